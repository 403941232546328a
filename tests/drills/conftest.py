"""The drills' world: our own Redis and PostgreSQL servers, and the site's real processes.

One PostgreSQL cluster and one redis-server per test session (on free ports, never the
shared 5432 and 6379); a migrated template database with advisors; per drill, a fresh
database copied from the template, an empty Redis, and gunicorn, a Celery worker and
Celery beat started against them and stopped afterwards.
"""

import contextlib
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import redis

from config.env import env_bool
from tests.drills.ledger import Ledger, read_ledger
from tests.support import drills
from tests.support.loadgen import Submission
from tests.support.processes import wait_for
from tests.support.services import missing

TEMPLATE_DATABASE = "drill_template"
QUEUES = ("routing", "email", "default")

# Advisors with room for every drill at full size, one per specialty.
SEED_ADVISORS = """
from careers.models import Advisor, Team
for specialty in ("ai", "web3", "both"):
    Advisor.objects.create(
        name=f"訓練 {specialty}", email=f"drill-{specialty}@plusweb3.example",
        team=Team.CAREER, specialty=specialty, capacity=30000,
    )
print(Advisor.objects.count())
"""


@dataclass(frozen=True)
class Scale:
    name: str
    submissions: int
    rate: float  # submissions a second
    redis_outage: float  # seconds
    database_outage: float  # seconds
    # Worst case for the last email: a send claimed by a killed worker is stale after 5
    # minutes, and the next outbox sweep rings for it again.
    settle: float


SCALES = {
    # Outages end by 70% of the stream, so forms keep arriving after the server returns.
    "ci": Scale("ci", submissions=40, rate=8, redis_outage=2, database_outage=2, settle=450),
    "full": Scale(
        "full", submissions=300, rate=10, redis_outage=20, database_outage=10, settle=480
    ),
}


@pytest.fixture(scope="session")
def scale() -> Scale:
    name = os.environ.get("DRILL_SCALE", "ci")
    if name not in SCALES:
        raise pytest.UsageError(f"DRILL_SCALE must be one of {sorted(SCALES)}, not {name!r}")
    return SCALES[name]


def _require_drill_services() -> None:
    # Each drill takes a minute or more: run them where services are expected (CI,
    # `make drill`), not in a newcomer's SQLite `make test`.
    if not (env_bool("REQUIRE_SERVICES", False) or os.environ.get("DRILL_SCALE")):
        pytest.skip("fault drills run with REQUIRE_SERVICES=1 or `make drill`")
    if drills.redis_server_path() is None:
        missing("the drills need redis-server (Debian package redis-server)")
    if drills.postgres_bindir() is None:
        missing("the drills need the PostgreSQL server binaries (Debian package postgresql)")


@pytest.fixture(scope="session")
def drill_servers(tmp_path_factory):
    """Our own redis-server and PostgreSQL cluster, with a migrated template database."""
    _require_drill_services()
    log_dir = tmp_path_factory.mktemp("drill-servers")
    with contextlib.ExitStack() as stack:
        redis_server = stack.enter_context(drills.RedisServer(log_dir=log_dir))
        cluster = stack.enter_context(drills.PostgresCluster(log_dir=log_dir))
        url = cluster.create_database(TEMPLATE_DATABASE)
        env = drills.site_env(
            database_url=url,
            redis_url=redis_server.url(),
            mail_dir=log_dir / "mail",
            DJANGO_SETTINGS_MODULE="tests.settings",
        )
        drills.manage("migrate", "--noinput", "-v0", env=env)
        drills.manage("shell", "-c", SEED_ADVISORS, env=env)
        yield redis_server, cluster


@dataclass
class Site:
    """One drill's running site: gunicorn, a Celery worker and beat on our own servers."""

    tag: str
    database_url: str
    mail_dir: Path
    redis: drills.RedisServer
    cluster: drills.PostgresCluster
    web: drills.Gunicorn
    worker: drills.ManagedProcess
    beat: drills.ManagedProcess

    def ledger(
        self, submissions: list[Submission], *, tolerated: frozenset[str] = frozenset()
    ) -> Ledger:
        return read_ledger(
            database_url=self.database_url,
            mail_dir=self.mail_dir,
            tag=self.tag,
            submissions=submissions,
            tolerated=tolerated,
        )

    def settle(
        self,
        submissions: list[Submission],
        *,
        timeout: float,
        drain: bool = False,
        tolerated: frozenset[str] = frozenset(),
    ) -> Ledger:
        """Wait until the site has caught up: every lead routed and every email delivered
        (and, with drain, every queued or unacknowledged message consumed); the last ledger
        either way. Whether its books balance is for the caller to ask (`Ledger.problems`).

        The ledger's `routed_at` is when every stored lead was first seen routed.
        """
        latest: list[Ledger] = []
        routed_at: list[float] = []

        def caught_up() -> bool:
            try:
                book = self.ledger(submissions, tolerated=tolerated)
            except psycopg.OperationalError:
                return False
            latest[:] = [book]
            if not routed_at and book.stored and book.routed == book.stored:
                routed_at.append(time.monotonic())
            return book.caught_up() and (not drain or self.drained())

        with contextlib.suppress(TimeoutError):
            wait_for(caught_up, timeout=timeout, message="never caught up", interval=1)
        book = latest[0] if latest else self.ledger(submissions, tolerated=tolerated)
        book.routed_at = routed_at[0] if routed_at else None
        return book

    def drained(self) -> bool:
        """No message waits in a queue, and none is held unacknowledged by a worker."""
        client = redis.Redis(host=drills.HOST, port=self.redis.port)
        try:
            queued = sum(client.llen(queue) for queue in QUEUES)
            return queued == 0 and client.hlen("unacked") == 0
        except redis.RedisError:
            return False
        finally:
            client.close()

    @contextlib.contextmanager
    def worker_supervised(self):
        """Start the worker again whenever it exits, as production's process manager does
        (systemd Restart=always, a platform running the Procfile); yields the restart log.

        kombu can stop a worker when Redis goes away under it ("Unrecoverable error" while
        restoring unacknowledged messages); the drill counts such restarts and shows them.
        """
        restarts: list[str] = []
        done = threading.Event()

        def watch() -> None:
            while not done.wait(0.2):
                if not self.worker.is_running():
                    restarts.append(self.worker.log()[-600:])
                    drills.start_worker(self.worker)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            yield restarts
        finally:
            done.set()
            watcher.join(timeout=120)

    def logs(self) -> str:
        """The tail of every process log, for a failing drill's report."""
        parts = []
        for process in (self.web, self.worker, self.beat):
            parts.append(f"--- {process.name} ---\n{process.log()[-3000:]}")
        return "\n".join(parts)


@pytest.fixture
def site(request, drill_servers, tmp_path):
    redis_server, cluster = drill_servers
    name = "drill_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:50]
    database_url = cluster.create_database(name, template=TEMPLATE_DATABASE)
    redis_server.flush()
    mail_dir = tmp_path / "mail"
    env = drills.site_env(
        database_url=database_url,
        redis_url=redis_server.url(),
        mail_dir=mail_dir,
        DJANGO_SETTINGS_MODULE="tests.settings",
    )
    web = drills.Gunicorn(env=env, log_dir=tmp_path)
    worker = drills.celery_worker(env=env, log_dir=tmp_path)
    beat = drills.celery_beat(env=env, log_dir=tmp_path)
    with contextlib.ExitStack() as stack:
        # Stopped in reverse order, whatever happens in the drill.
        for process in (web, worker, beat):
            stack.callback(process.stop)
        web.start()
        drills.start_worker(worker)
        drills.start_and_wait_for_log(beat, "beat: Starting...", timeout=60)
        yield Site(
            tag=name.replace("_", "-"),
            database_url=database_url,
            mail_dir=mail_dir,
            redis=redis_server,
            cluster=cluster,
            web=web,
            worker=worker,
            beat=beat,
        )
