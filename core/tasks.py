"""Project-wide periodic housekeeping."""

from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task
def sessions_clear_expired_task() -> None:
    """Delete expired sessions (what `manage.py clearsessions` does), nightly from beat."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
