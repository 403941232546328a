"""Celery tasks of news: thin doors over news.readership and news.oembed."""

from celery import shared_task

from news.oembed import embedded_posts_fetch
from news.readership import views_flush


@shared_task
def views_flush_task() -> int:
    """Beat (news-views-flush): add the minute's counted views to the daily rows, once."""
    return views_flush()


@shared_task
def embedded_posts_fetch_task(urls: list[str]) -> int:
    """After an article's save: the words of the X posts it shows, fetched once (no retry:
    a failure leaves a plain link until a later save asks again)."""
    return embedded_posts_fetch(urls=urls)
