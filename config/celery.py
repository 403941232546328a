"""The Celery app, wired the standard Django way (settings under the CELERY_ namespace)."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("plusweb3")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
@signals.task_postrun.connect
def close_old_database_connections(task=None, **kwargs) -> None:
    """Around each task, what Django does around each request: close a connection that failed
    or outlived CONN_MAX_AGE and keep a healthy one (CELERY_DB_REUSE_MAX stops Celery's own
    fixup from closing every connection, which cost a new PostgreSQL connection per task)."""
    if task is not None and task.request.is_eager:
        # An eager task runs inside its caller's transaction (make run, a test): leave it be.
        return
    from django.db import close_old_connections

    close_old_connections()
