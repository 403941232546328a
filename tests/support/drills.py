"""Real servers for the fault drills and the benchmark, each one ours alone.

The drills stop Redis and PostgreSQL on purpose. They never touch the shared
servers on 6379 and 5432 that other test runs use: they start a private
redis-server and a throwaway PostgreSQL cluster on free ports, and stop those.
Every process runs under ManagedProcess (own session, log file, whole group
stopped), and every wait is on a condition, never a fixed sleep.
"""

import contextlib
import grp
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import psycopg

from tests.support.processes import (
    BIN_DIR,
    ManagedProcess,
    celery_worker_argv,
    free_port,
    port_is_open,
    wait_for,
    wait_for_port,
)

HOST = "127.0.0.1"
POSTGRES_USER = "postgres"


def postgres_bindir() -> Path | None:
    """The newest Debian PostgreSQL server binaries on this machine (PG_BINDIR overrides)."""
    if configured := os.environ.get("PG_BINDIR"):
        return Path(configured)
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/postgres"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else None


def redis_server_path() -> str | None:
    return shutil.which("redis-server")


def start_and_wait_for_log(process: ManagedProcess, text: str, *, count: int = 1, timeout: float):
    """Start the process and wait until its log shows text `count` more times than before.

    A restarted server appends to the same log, so the line from its first life
    must not count as the second one being ready.
    """
    before = process.log().count(text)
    process.start()
    wait_for_more_log(process, text, before=before, count=count, timeout=timeout)
    return process


def wait_for_more_log(
    process: ManagedProcess, text: str, *, before: int, count: int = 1, timeout: float
) -> None:
    def seen():
        if not process.is_running():
            raise RuntimeError(f"{process.name} exited early:\n{process.log()[-4000:]}")
        return process.log().count(text) >= before + count

    wait_for(seen, timeout=timeout, message=f"{process.name} never logged {text!r}")


# ------------------------------------------------------------------------------
# Redis
# ------------------------------------------------------------------------------
class RedisServer:
    """A private redis-server without persistence: a stop loses every queued message, on purpose."""

    def __init__(self, *, log_dir: Path, port: int | None = None):
        self.port = port or free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="plusweb3-redis-"))
        self.process = ManagedProcess(
            f"redis-{self.port}",
            [
                redis_server_path() or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.dir),
            ],
            env={},
            log_dir=log_dir,
        )

    def url(self, db: int = 0) -> str:
        return f"redis://{HOST}:{self.port}/{db}"

    def start(self) -> "RedisServer":
        start_and_wait_for_log(self.process, "Ready to accept connections", timeout=20)
        wait_for_port(HOST, self.port)
        return self

    def stop(self) -> None:
        """Shut the server down (SIGTERM) and wait until its port is closed."""
        self.process.stop()
        wait_for(lambda: not port_is_open(HOST, self.port), timeout=10, message="redis still up")

    def flush(self) -> None:
        import redis

        client = redis.Redis(host=HOST, port=self.port)
        try:
            client.flushall()
        finally:
            client.close()

    def close(self) -> None:
        self.process.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "RedisServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.close()


# ------------------------------------------------------------------------------
# PostgreSQL
# ------------------------------------------------------------------------------
def _as_postgres_user() -> dict:
    """initdb and postgres refuse to run as root; as root, run them as the postgres user."""
    if os.geteuid() != 0:
        return {}
    return {"user": POSTGRES_USER, "group": POSTGRES_USER, "extra_groups": []}


class PostgresCluster:
    """A throwaway PostgreSQL cluster (initdb in a temporary directory) on a free port.

    The postmaster runs in the foreground under ManagedProcess, so stop() is a
    real fast shutdown of the real server and nothing outlives close().
    """

    def __init__(self, *, log_dir: Path, port: int | None = None):
        bindir = postgres_bindir()
        if bindir is None:
            raise FileNotFoundError("PostgreSQL server binaries not found (set PG_BINDIR)")
        self.bindir = bindir
        self.port = port or free_port()
        self.log_dir = log_dir
        self.root = Path(tempfile.mkdtemp(prefix="plusweb3-pg-"))
        self.data_dir = self.root / "data"
        self.process: ManagedProcess | None = None
        if os.geteuid() == 0:
            os.chown(
                self.root, pwd.getpwnam(POSTGRES_USER).pw_uid, grp.getgrnam(POSTGRES_USER).gr_gid
            )

    def initdb(self) -> None:
        log = self.log_dir / f"initdb-{self.port}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("wb") as output:
            subprocess.run(
                [
                    str(self.bindir / "initdb"),
                    "-D",
                    str(self.data_dir),
                    "-U",
                    POSTGRES_USER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ],
                check=True,
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=self.root,
                **_as_postgres_user(),
            )

    def start(self) -> "PostgresCluster":
        if not (self.data_dir / "PG_VERSION").exists():
            self.initdb()
        if self.process is None:
            self.process = _PostgresProcess(self)
        start_and_wait_for_log(
            self.process, "database system is ready to accept connections", timeout=60
        )
        wait_for_port(HOST, self.port)
        return self

    def stop(self) -> None:
        """Fast shutdown: open sessions are cut, as in a real database outage."""
        if self.process is None or not self.process.is_running():
            return
        # SIGINT is PostgreSQL's fast shutdown; SIGTERM ("smart") would wait for
        # the web's persistent connections to go away by themselves.
        os.kill(self.process.pid, signal.SIGINT)
        self.process.process.wait(timeout=60)
        self.process.stop()
        wait_for(lambda: not port_is_open(HOST, self.port), timeout=10, message="postgres still up")

    def url(self, database: str) -> str:
        return f"postgres://{POSTGRES_USER}@{HOST}:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(self.url(database), autocommit=True, connect_timeout=3)

    def create_database(self, name: str, *, template: str | None = None) -> str:
        with self.connect() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            suffix = f' TEMPLATE "{template}"' if template else ""
            connection.execute(f'CREATE DATABASE "{name}"{suffix}')
        return self.url(name)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        if self.process is not None:
            self.process.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> "PostgresCluster":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.close()


class _PostgresProcess(ManagedProcess):
    def __init__(self, cluster: PostgresCluster):
        super().__init__(
            f"postgres-{cluster.port}",
            [
                str(cluster.bindir / "postgres"),
                "-D",
                str(cluster.data_dir),
                "-p",
                str(cluster.port),
                "-c",
                f"listen_addresses={HOST}",
                "-c",
                f"unix_socket_directories={cluster.root}",
                # A throwaway cluster: durability across a power cut is not what we drill.
                "-c",
                "fsync=off",
                "-c",
                "max_connections=200",
            ],
            env={},
            log_dir=cluster.log_dir,
        )
        self.cluster = cluster

    def start(self) -> "ManagedProcess":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                cwd=self.cluster.root,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                **_as_postgres_user(),
            )
        return self


# ------------------------------------------------------------------------------
# The site's own processes
# ------------------------------------------------------------------------------
def site_env(*, database_url: str, redis_url: str, mail_dir: Path, **extra: str) -> dict[str, str]:
    """Production posture against the given servers, with a test-only secret and file email."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "drills-and-benchmarks-only-not-a-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        # The load generator stands in for the load balancer: it says https in X-Forwarded-Proto.
        "TRUSTED_PROXY_COUNT": "1",
        # The benchmark and the drills are one visitor sending many forms.
        "RATELIMIT_ENABLE": "0",
        "FORM_MIN_FILL_SECONDS": "0",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def manage(*args: str, env: dict[str, str], timeout: float = 300) -> str:
    """Run a manage.py command in a child process and return its output; fail loudly."""
    result = subprocess.run(
        [str(BIN_DIR / "python"), "manage.py", *args],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


class Gunicorn(ManagedProcess):
    """gunicorn with config/gunicorn.conf.py on a free loopback port."""

    def __init__(
        self,
        *,
        env: dict[str, str],
        log_dir: Path,
        wsgi: str = "config.wsgi",
        port: int | None = None,
        name: str = "gunicorn",
        options: tuple[str, ...] = (),
    ):
        self.port = port or free_port()
        super().__init__(
            name,
            [str(BIN_DIR / "gunicorn"), "-c", "config/gunicorn.conf.py", *options, wsgi],
            env={"HOST": HOST, "PORT": str(self.port), **env},
            log_dir=log_dir,
        )

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> "Gunicorn":
        workers = int(self.env.get("WEB_CONCURRENCY", "2"))
        before = self.log().count("Booting worker")
        super().start()
        wait_for_more_log(self, "Booting worker", before=before, count=workers, timeout=60)
        wait_for_port(HOST, self.port, timeout=30)
        return self

    def worker_pids(self) -> list[int]:
        return child_pids(self.pid)


def celery_worker(
    *, env: dict[str, str], log_dir: Path, name: str = "worker", concurrency: int = 2
) -> ManagedProcess:
    """A Celery worker on every queue, as `make worker` runs it."""
    return ManagedProcess(
        name,
        celery_worker_argv(name=name, concurrency=concurrency),
        env=env,
        log_dir=log_dir,
    )


def start_worker(worker: ManagedProcess) -> ManagedProcess:
    """Start (or restart) a Celery worker and wait until it consumes."""
    return start_and_wait_for_log(worker, "ready.", timeout=90)


def celery_beat(*, env: dict[str, str], log_dir: Path, name: str = "beat") -> ManagedProcess:
    """Celery beat with its schedule file next to its log, so parallel runs never share one."""
    return ManagedProcess(
        name,
        [
            str(BIN_DIR / "celery"),
            "-A",
            "config",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(log_dir / f"{name}-schedule"),
        ],
        env=env,
        log_dir=log_dir,
    )


# ------------------------------------------------------------------------------
# Memory
# ------------------------------------------------------------------------------
def child_pids(pid: int) -> list[int]:
    """Direct children of pid, read from /proc (no psutil needed)."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            children.extend(int(part) for part in task.read_text().split())
    return children


def peak_rss_kib(pid: int) -> int:
    """The peak resident set size (VmHWM) of a process, in KiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"no VmHWM for pid {pid}")
    return int(match.group(1))
