"""Publishing a task is ringing a doorbell: nice when it works, never worth waiting for.

The database rows (a `new` lead, a `pending` email) are the work; the broker message only
says "look now". When the broker is down or hangs, a request must not wait on it, so after
one failed publish this process stops trying for a short while and leaves the rows to the
sweeps, which run as often as CELERY_BEAT_SCHEDULE in config/settings.py says.
"""

import logging
import threading
import time

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnavailable

logger = logging.getLogger(__name__)

# Long enough that a burst of submissions during an outage pays for one timeout, not one
# each; short enough that the doorbell works again soon after the broker is back.
QUIET_SECONDS = 15

_lock = threading.Lock()
_quiet_until = 0.0


def ring(task, *args) -> bool:
    """Publish `task(*args)`; False when the broker is (or was just found) unavailable."""
    # One flag per process, shared by its threads; a lost race only costs one more try.
    global _quiet_until
    if time.monotonic() < _quiet_until:
        logger.info("broker recently unavailable: %s%r left to the sweep", task.name, args)
        return False
    try:
        task.delay(*args)
    except BrokerUnavailable:
        with _lock:
            _quiet_until = time.monotonic() + QUIET_SECONDS
        logger.warning(
            "broker unavailable: %s%r left to the sweep; not publishing for %d s",
            task.name,
            args,
            QUIET_SECONDS,
            exc_info=True,
        )
        return False
    return True


def ring_on_commit(task, *args) -> None:
    """Ring once the transaction commits, so the worker finds the row it is told about."""

    def ring_doorbell():
        ring(task, *args)

    ring_doorbell.__qualname__ = f"ring_doorbell[{task.name}]"
    # robust: anything else going wrong after the commit (a bug, an eager task's error in
    # development) is logged; the saved rows and the person's thank-you page are unaffected.
    transaction.on_commit(ring_doorbell, robust=True)


def reset() -> None:
    """Forget a past failure (tests, and a worker that knows the broker is back)."""
    global _quiet_until
    with _lock:
        _quiet_until = 0.0
