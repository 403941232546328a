"""A run without services ends by saying what it skipped, why, and how to run it all."""

import os
import subprocess
import sys

from tests.support.processes import BASE_DIR
from tests.support.services import FULL_SUITE_COMMAND


def test_a_run_without_redis_ends_with_one_line_counting_the_skipped_tests():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "REQUIRE_SERVICES"}
    }
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/outbox/test_integration.py",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    *_, summary, tally = finished.stdout.strip().splitlines()
    assert summary == f"3 tests skipped: needs Redis (3). Run them all with: {FULL_SUITE_COMMAND}"
    assert tally.startswith("3 skipped in ")
