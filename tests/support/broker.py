"""Pointing this process's Celery app at another broker, to play a broker outage."""

from config.celery import app as celery_app

# Nothing listens here: every publish is refused at once, like a stopped Redis.
CLOSED_BROKER = "redis://127.0.0.1:9/0"


def point_app_at(url: str) -> None:
    celery_app.conf.broker_url = url
    # The connection and producer pools remember the old URL; drop them.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
