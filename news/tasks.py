"""Celery tasks of news: thin doors over news.readership."""

from celery import shared_task

from news.readership import views_flush


@shared_task
def views_flush_task() -> int:
    """Beat (news-views-flush): add the minute's counted views to the daily rows, once."""
    return views_flush()
