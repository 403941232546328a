"""Publishing a task is ringing a doorbell: nice when it works, never worth waiting for.

The database rows (a `new` lead, a `pending` email) are the work; the broker message only
says "look now". When the broker is down or hangs, a request must not wait on it, so after
one failed publish this process stops trying for a short while and leaves the rows to the
sweeps, which run as often as CELERY_BEAT_SCHEDULE in config/settings.py says.

A task is rung by its registered name: services name the tasks they wake and tasks import
services, never the reverse, so the import graph has no circle.

A service whose work rings several doorbells (a lead's routing: its advisor's email and the
confirmation handed to it) wraps it in `together()`: what commits inside goes out in one round
trip, and the rings of a task that names a `batch_task` go out as one message of that task.
"""

import logging
import threading
import time
from contextlib import contextmanager

from celery import current_app
from django.db import transaction
from kombu.exceptions import BatchPublishError
from kombu.exceptions import OperationalError as BrokerUnavailable

logger = logging.getLogger(__name__)

# Long enough that a burst of submissions during an outage pays for one timeout, not one
# each; short enough that the doorbell works again soon after the broker is back.
QUIET_SECONDS = 15

_lock = threading.Lock()
_discovery_lock = threading.Lock()
_quiet_until = 0.0
# The rings committed inside this thread's together() block, waiting for its end, as
# (task name, args, batch task); None outside.
_gathered = threading.local()


def task_named(name: str):
    """The registered task called `name`; KeyError for a name no task module registers."""
    app = current_app
    if name not in app.tasks:
        # Nothing in a web process imports the task modules (services only name them):
        # load them the way a worker does when it starts. Celery's discovery returns at once,
        # having imported nothing, to a thread that calls it while another thread discovers
        # (its _RACE_PROTECTION): the first POSTs of a threaded web worker then failed with
        # NotRegistered. So the other threads wait for the one that discovers.
        with _discovery_lock:
            if name not in app.tasks:
                app.autodiscover_tasks(force=True)
    return app.tasks[name]


def ring(task_name: str, *args) -> bool:
    """Publish `task_name(*args)`; False when the broker is (or was just found) unavailable."""
    return _publish([(task_name, args)])


def _publish(rings: list[tuple[str, tuple]]) -> bool:
    """Publish every (task name, args); False when the broker is (or was just found) unavailable.

    Several go out through one producer of Celery's pool in one Redis pipeline: one client
    and one round trip instead of one each. A failed pipeline may have delivered some of
    them; the sweeps send the rest, and a redelivered task changes nothing.
    """
    # One flag per process, shared by its threads; a lost race only costs one more try.
    global _quiet_until
    if time.monotonic() < _quiet_until:
        logger.info("broker recently unavailable: %r left to the sweep", rings)
        return False
    tasks = [(task_named(name), args) for name, args in rings]
    try:
        if len(tasks) == 1 or current_app.conf.task_always_eager:
            for task, args in tasks:
                task.apply_async(args)
        else:
            with current_app.producer_or_acquire() as producer, producer.batch():
                for task, args in tasks:
                    task.apply_async(args, producer=producer)
    except (BrokerUnavailable, BatchPublishError):
        with _lock:
            _quiet_until = time.monotonic() + QUIET_SECONDS
        logger.warning(
            "broker unavailable: %r left to the sweep; not publishing for %d s",
            rings,
            QUIET_SECONDS,
            exc_info=True,
        )
        return False
    return True


def _batched(rings: list[tuple[str, tuple, str | None]]) -> list[tuple[str, tuple]]:
    """The rings to publish: those of one task with a batch task, when there are several,
    become one ring of the batch task with their arguments in a list, where the first was."""
    groups: dict[str, list] = {}
    for _name, args, batch_task in rings:
        if batch_task is not None:
            groups.setdefault(batch_task, []).append(args[0])
    published, batched = [], set()
    for name, args, batch_task in rings:
        if batch_task is None or len(groups[batch_task]) == 1:
            published.append((name, args))
        elif batch_task not in batched:
            batched.add(batch_task)
            published.append((batch_task, (groups[batch_task],)))
    return published


@contextmanager
def together():
    """Publish the rings of the transactions that commit inside this block together, at its end.

    Several rings of a task given a `batch_task` (ring_on_commit) are one message of it. A ring
    whose transaction commits later (the block ran inside an outer transaction, as in a test)
    rings on its own at that commit, as without the block.
    """
    if getattr(_gathered, "rings", None) is not None:
        yield  # nested: the outermost block publishes
        return
    _gathered.rings = []
    try:
        yield
    finally:
        rings, _gathered.rings = _gathered.rings, None
        if rings:
            try:
                _publish(_batched(rings))
            except Exception:
                # As ring_on_commit's robust callbacks: the committed rows are the truth.
                logger.exception("publishing %r failed; left to the sweep", rings)


def ring_on_commit(task_name: str, *args, batch_task: str | None = None) -> None:
    """Ring once the transaction commits, so the worker finds the row it is told about.

    `batch_task` names a task taking a list of this one-argument task's arguments: inside
    together(), several such rings are published as one message of it.
    """

    def ring_doorbell():
        gathered = getattr(_gathered, "rings", None)
        if gathered is not None:
            gathered.append((task_name, args, batch_task))
        else:
            ring(task_name, *args)

    ring_doorbell.__qualname__ = f"ring_doorbell[{task_name}]"
    # robust: anything else going wrong after the commit (a bug, an eager task's error in
    # development) is logged; the saved rows and the person's thank-you page are unaffected.
    transaction.on_commit(ring_doorbell, robust=True)


def reset() -> None:
    """Forget a past failure (tests, and a worker that knows the broker is back)."""
    global _quiet_until
    with _lock:
        _quiet_until = 0.0
