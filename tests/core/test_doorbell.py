"""The doorbell: publishing after commit, and staying quiet for a while once the broker is gone."""

import os
import subprocess
import sys

import pytest

from config.celery import app as celery_app
from core import doorbell
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
