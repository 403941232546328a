"""Clean control of the real processes that integration tests and drills start.

Every process runs in its own session, logs to a file (no pipe to fill up),
and is stopped with its whole process group, so nothing stray outlives a test.
"""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from uuid import uuid4

from celery import Celery
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]
BIN_DIR = Path(sys.executable).parent


def wait_for(predicate: Callable[[], object], *, timeout: float, message: str, interval=0.05):
    """Poll until predicate() is truthy and return its value; fail with message at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{message} (waited {timeout:.0f} s)")
        time.sleep(interval)


def port_is_open(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


def wait_for_port(host: str, port: int, *, timeout: float = 20) -> None:
    wait_for(lambda: port_is_open(host, port), timeout=timeout, message=f"{host}:{port} not open")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The URL of the database this test process uses (the test database), for a child process."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class ManagedProcess:
    def __init__(self, name: str, argv: list[str], *, env: dict[str, str], log_dir: Path):
        self.name = name
        self.argv = argv
        self.env = {**os.environ, "PATH": f"{BIN_DIR}:{os.environ.get('PATH', '')}", **env}
        self.log_path = log_dir / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "ManagedProcess":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None, f"{self.name} was never started"
        return self.process.pid

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_for_log(self, text: str, *, timeout: float = 30) -> None:
        def seen():
            if not self.is_running():
                raise RuntimeError(f"{self.name} exited early:\n{self.log()[-4000:]}")
            return text in self.log()

        wait_for(seen, timeout=timeout, message=f"{self.name} never logged {text!r}")

    def signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signum)

    def kill(self) -> None:
        """SIGKILL the process and its children, the way a crash or the OOM killer would."""
        if self.process is None:
            return
        self.signal_group(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, *, timeout: float = 15) -> None:
        """Ask politely (SIGTERM), then SIGKILL whatever is left of the group."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.signal_group(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=timeout)
        # Pool children may linger after the parent exits.
        self.signal_group(signal.SIGKILL)
        if self.process.poll() is None:
            self.process.wait(timeout=10)

    def __enter__(self) -> "ManagedProcess":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


def celery_worker_argv(*, name: str, concurrency: int, include: tuple[str, ...] = ()) -> list[str]:
    """`celery worker` on every queue, as `make worker` runs it."""
    return [
        str(BIN_DIR / "celery"),
        "-A",
        "config",
        "worker",
        "--queues",
        "routing,email,default",
        "--concurrency",
        str(concurrency),
        "--hostname",
        f"{name}-{os.getpid()}@%h",
        "--loglevel",
        "INFO",
        *(option for module in include for option in ("--include", module)),
        "--without-gossip",
        "--without-mingle",
    ]


def celery_worker(
    *, log_dir: Path, env: dict[str, str], name: str = "worker", concurrency: int = 2
) -> ManagedProcess:
    """A real Celery worker on every queue, using the test database and real Redis."""
    return ManagedProcess(
        name,
        celery_worker_argv(name=name, concurrency=concurrency, include=("tests.support.tasks",)),
        env={
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url(),
            **env,
        },
        log_dir=log_dir,
    )


def task_result(worker: ManagedProcess, task_id: str, *, timeout: float = 30) -> str:
    """Wait until the worker logged that this task returned; the repr of what it returned.

    Results are not stored (CELERY_TASK_IGNORE_RESULT), but a worker at INFO logs each one.
    """
    finished = re.compile(rf"\[{re.escape(task_id)}\] (succeeded in \S+: (.*)|raised .*)")

    def logged():
        match = finished.search(worker.log())
        if match and match.group(2) is None:
            raise AssertionError(f"task {task_id} failed: {match.group(0)}")
        return match

    return wait_for(logged, timeout=timeout, message=f"{worker.name} never finished {task_id}")[2]


def drain_queue(*, broker_url: str, queue: str, directory: Path, timeout: float = 30) -> None:
    """Send a marker task through `queue` and wait until a test worker ran it, so every
    message queued there before it has been received: a "nothing was sent" check that
    follows is then a real one."""
    client = Celery("drain", broker=broker_url, set_as_current=False)
    client.conf.update(task_serializer="json", accept_content=["json"])
    marker = directory / f"drained-{queue}-{uuid4().hex}"
    try:
        client.send_task("tests.support.tasks.write_marker", args=[str(marker), queue], queue=queue)
    finally:
        client.close()
    wait_for(marker.exists, timeout=timeout, message=f"the marker never came through {queue!r}")
