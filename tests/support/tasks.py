"""Tasks that exist only for tests; test workers import them with --include."""

from pathlib import Path

from celery import shared_task


@shared_task
def write_marker(path: str, text: str) -> None:
    Path(path).write_text(text)


@shared_task
def empty() -> None:
    """Nothing: what Celery itself costs per task (tests/bench/celery_overhead.py)."""
