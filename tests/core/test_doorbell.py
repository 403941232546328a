"""The doorbell: publishing after commit, and staying quiet for a while once the broker is gone."""

import pytest

from config.celery import app as celery_app
from core import doorbell
from tests.support.broker import point_app_at
from tests.support.tasks import write_marker


@pytest.mark.integration
def test_after_a_refused_publish_the_doorbell_stays_quiet_for_a_while(broker_down, settings):
    """One request pays for finding the broker down; the next ones do not even try."""
    assert doorbell.ring(write_marker.name, "/nonexistent", "x") is False
    point_app_at(settings.REDIS_URL)  # the broker is back; this process has not tried yet
    assert doorbell.ring(write_marker.name, "/nonexistent", "x") is False
    doorbell.reset()
    assert doorbell.ring(write_marker.name, "/nonexistent", "x") is True
    celery_app.control.purge()


@pytest.mark.django_db
def test_a_task_named_by_its_dotted_name_rings_after_commit(
    tmp_path, django_capture_on_commit_callbacks
):
    """Services name the task they ring, so they need not import the tasks module."""
    marker = tmp_path / "marker"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        doorbell.ring_on_commit(write_marker.name, str(marker), "rung")
    assert [callback.__qualname__ for callback in callbacks] == [
        f"ring_doorbell[{write_marker.name}]"
    ]
    assert marker.read_text() == "rung"
