"""The doorbell: publishing after commit, and staying quiet for a while once the broker is gone."""

import os
import subprocess
import sys

import pytest
from django.db import transaction

from config.celery import app as celery_app
from core import doorbell
from outbox.services import SEND_MANY_TASK, SEND_TASK
from tests.support.broker import point_app_at
from tests.support.processes import BASE_DIR
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
    tmp_path, django_capture_on_commit_callbacks, doorbell_rings
):
    """Services name the task they ring, so they need not import the tasks module."""
    marker = tmp_path / "marker"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        doorbell.ring_on_commit(write_marker.name, str(marker), "rung")
        assert doorbell_rings.pending == []
    assert [callback.__qualname__ for callback in callbacks] == [
        f"ring_doorbell[{write_marker.name}]"
    ]
    assert doorbell_rings.pending == [(write_marker.name, (str(marker), "rung"))]
    assert doorbell_rings.run() == [write_marker.name]
    assert marker.read_text() == "rung"


def test_the_first_rings_of_a_fresh_threaded_process_all_find_their_tasks():
    """A new web process has imported no task module; eight threads ringing at once (the
    first POSTs after a start) must each find the task, not fail with NotRegistered."""
    code = (
        "import threading\n"
        "from core.doorbell import task_named\n"
        "names = ['outbox.tasks.send_email_task', 'careers.tasks.routing.route_lead_task'] * 4\n"
        "start, failures = threading.Barrier(len(names)), []\n"
        "def ring(name):\n"
        "    start.wait()\n"
        "    try:\n"
        "        task_named(name)\n"
        "    except Exception as error:\n"
        "        failures.append(repr(error))\n"
        "threads = [threading.Thread(target=ring, args=(name,)) for name in names]\n"
        "[thread.start() for thread in threads]\n"
        "[thread.join() for thread in threads]\n"
        "print(len(failures), failures[:1])\n"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")} | {
        "DJANGO_SETTINGS_MODULE": "tests.settings"
    }
    for _ in range(3):  # the race is lost most of the time, not every time
        result = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup()\n{code}"],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.split()[0] == "0", result.stdout


@transaction.atomic
def _ring_then_fail(*ring) -> None:
    doorbell.ring_on_commit(*ring)
    raise ZeroDivisionError


@pytest.mark.django_db(transaction=True)
def test_rings_committed_together_go_out_when_the_block_ends(tmp_path, doorbell_rings):
    """What one service's transaction rang is published once the block ends, all of it and
    nothing a rolled-back transaction rang."""
    first, second, lost = (str(tmp_path / name) for name in ("first", "second", "lost"))
    with doorbell.together():
        with transaction.atomic():
            doorbell.ring_on_commit(write_marker.name, first, "1")
            doorbell.ring_on_commit(write_marker.name, second, "2")
        with pytest.raises(ZeroDivisionError):
            _ring_then_fail(write_marker.name, lost, "x")
        assert doorbell_rings.pending == []
    assert doorbell_rings.pending == [
        (write_marker.name, (first, "1")),
        (write_marker.name, (second, "2")),
    ]


@pytest.mark.django_db(transaction=True)
def test_rings_of_a_task_with_a_batch_task_go_out_as_one_message(tmp_path, doorbell_rings):
    """Several rings of one task in a block are one message of its batch task, in its first
    ring's place; a block with one such ring publishes it as it is."""
    marker = str(tmp_path / "marker")
    with doorbell.together():
        with transaction.atomic():
            doorbell.ring_on_commit(SEND_TASK, 7, batch_task=SEND_MANY_TASK)
            doorbell.ring_on_commit(write_marker.name, marker, "rung")
        with transaction.atomic():
            doorbell.ring_on_commit(SEND_TASK, 8, batch_task=SEND_MANY_TASK)
    assert doorbell_rings.pending == [
        (SEND_MANY_TASK, ([7, 8],)),
        (write_marker.name, (marker, "rung")),
    ]
    doorbell_rings.pending.clear()
    with doorbell.together(), transaction.atomic():
        doorbell.ring_on_commit(SEND_TASK, 9, batch_task=SEND_MANY_TASK)
    assert doorbell_rings.pending == [(SEND_TASK, (9,))]


@pytest.mark.django_db
def test_a_ring_committed_after_the_block_rings_at_its_commit(
    tmp_path, django_capture_on_commit_callbacks, doorbell_rings
):
    """Inside an outer transaction (a caller's, a test's) the block ends before the commit:
    the ring still goes out, at the commit, as without the block."""
    marker = str(tmp_path / "marker")
    with django_capture_on_commit_callbacks(execute=True):
        with doorbell.together():
            doorbell.ring_on_commit(write_marker.name, marker, "rung")
        assert doorbell_rings.pending == []
    assert doorbell_rings.pending == [(write_marker.name, (marker, "rung"))]


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_rings_committed_together_reach_the_broker(real_broker, tmp_path):
    """Both messages of one block are on the queue once it ends (one round trip to Redis)."""
    import redis

    client = redis.Redis.from_url(celery_app.conf.broker_url)
    queue = celery_app.conf.task_default_queue
    before = client.llen(queue)
    with doorbell.together(), transaction.atomic():
        doorbell.ring_on_commit(write_marker.name, str(tmp_path / "a"), "1")
        doorbell.ring_on_commit(write_marker.name, str(tmp_path / "b"), "2")
    assert client.llen(queue) == before + 2
    celery_app.control.purge()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_rings_committed_together_while_the_broker_is_down_are_left_to_the_sweep(
    broker_down, settings, tmp_path
):
    """The block ends without an error; the doorbell goes quiet as after a single ring."""
    with doorbell.together(), transaction.atomic():
        doorbell.ring_on_commit(write_marker.name, str(tmp_path / "a"), "1")
        doorbell.ring_on_commit(write_marker.name, str(tmp_path / "b"), "2")
    point_app_at(settings.REDIS_URL)  # the broker is back; this process has just found it down
    assert doorbell.ring(write_marker.name, "/nonexistent", "x") is False
