"""With REDIS_URL set, work goes through real Redis to a real worker process."""

import pytest

from tests.support.processes import wait_for
from tests.support.tasks import write_marker

pytestmark = pytest.mark.integration


def test_a_real_worker_consumes_a_task_through_redis(celery_worker_process, tmp_path):
    marker = tmp_path / "marker.txt"
    write_marker.delay(str(marker), "届きました")
    wait_for(marker.exists, timeout=30, message="the worker never ran the task")
    assert marker.read_text() == "届きました"
    assert "write_marker" in celery_worker_process.log()
