"""Celery tasks that route leads and keep the first-contact promise."""
