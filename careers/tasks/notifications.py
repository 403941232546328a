"""Celery tasks that send the outbox's emails."""
