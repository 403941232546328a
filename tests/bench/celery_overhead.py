"""`make bench-worker`: what a lead costs the Celery worker, and what Celery itself costs.

1. The database and content of `make bench` (`<name>_bench`, migrate, demo content, advisors
   with room for every lead); REDIS_URL's database is flushed and used as the broker.
2. In-process: LEADS candidates through `lead_create` (the request's service, CPU timed too),
   then the routing task's body (`lead_route`, handed the confirmation as the form's message
   hands it) and the email task's body (`email_send`, once per email) for each lead, timed
   with time.process_time and profiled with cProfile.
3. A real worker, `celery -A config worker -Q routing,email,default --concurrency 2` as
   `make bench` runs it, on the real Redis broker: TASKS empty tasks through the routing
   queue, then 40 leads to warm the pool processes up, then TASKS leads routed with their two
   emails sent (two messages a lead: routing, then one for both emails; counted from the
   worker's log), all rung at once; then TASKS more paced, each lead rung once the one
   before it is done (no backlog, the two pool processes never busy together). CPU of the
   worker's parent and of its pool children is read from /proc before and after each batch,
   so Celery's own cost (receiving, dispatching to the pool, acknowledging) shows beside the
   cost of our task bodies.

The profile counts CPU time (cProfile with time.process_time), not time spent waiting for
PostgreSQL or Redis, which a loaded machine stretches.

Knobs (environment): BENCH_WORKER_LEADS (300), BENCH_WORKER_TASKS (300), PROFILE_TOP (25),
BENCH_WORKER_REUSE (0; 1 keeps the database of the last run and only migrates it),
BENCH_WORKER_PARTS ("profile,worker").
"""

import cProfile
import io
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

from config.env import env_bool, env_int  # noqa: E402 - after the path is set
from tests.bench import run  # noqa: E402
from tests.bench.profile import TOP, bucket_totals, top_functions  # noqa: E402
from tests.support import drills  # noqa: E402
from tests.support.processes import celery_worker_argv, wait_for  # noqa: E402

LEADS = env_int("BENCH_WORKER_LEADS", 300, minimum=10)
TASKS = env_int("BENCH_WORKER_TASKS", 300, minimum=10)
REUSE = env_bool("BENCH_WORKER_REUSE", False)
PARTS = os.environ.get("BENCH_WORKER_PARTS", "profile,worker").split(",")
EMPTY_TASK = "tests.support.tasks.empty"
# Leads routed before the measured batch, so each pool process has done its first-use work.
WARM_UP_LEADS = 40
ROUTE_LEAD_TASK = "careers.tasks.routing.route_lead_task"


def say(message: str) -> None:
    print(f"[bench-worker {time.strftime('%H:%M:%S')}] {message}", flush=True)


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def candidates(tag: str, count: int) -> tuple[list[int], float]:
    """`count` candidate leads through the form's service: their ids, and the median CPU
    milliseconds of one lead_create (the request's share of a lead)."""
    from careers.services.capture import LeadDetails, lead_create

    ids, samples = [], []
    for index in range(count):
        details = LeadDetails(
            name=f"検証 太郎{index}",
            name_kana="ケンショウ タロウ",
            email=f"{tag}-{index}@bench.example",
            interest=("ai", "web3", "both")[index % 3],
            message="負荷試験の送信です。",
        )
        started = time.process_time()
        ids.append(lead_create(details=details, consent_version=None).id)
        samples.append(time.process_time() - started)
    return ids, statistics.median(samples) * 1000


def timed_calls(function, arguments: list[int]) -> list[float]:
    """CPU milliseconds of each call."""
    samples = []
    for argument in arguments:
        started = time.process_time()
        function(argument)
        samples.append((time.process_time() - started) * 1000)
    return samples


def profile_calls(function, arguments: list[int]):
    import pstats

    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for argument in arguments:
        function(argument)
    profile.disable()
    return pstats.Stats(profile)


def own_time(stats) -> str:
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats("tottime").print_stats(TOP)
    return out.getvalue()


def summary(label: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p90 = ordered[int(len(ordered) * 0.9)]
    return (
        f"{label}: median {statistics.median(samples):.2f} ms, p90 {p90:.2f} ms, "
        f"mean {statistics.fmean(samples):.2f} ms CPU over {len(samples)}"
    )


def in_process() -> None:
    from django.db import connection

    from careers.models import Lead
    from careers.services.pipeline import lead_route
    from outbox.models import Email
    from outbox.services import email_send

    say(f"in-process: {LEADS} leads timed, then {LEADS} more profiled (load {load_average()})")
    half = {}
    for phase in ("timed", "profiled"):
        lead_ids, create_ms = candidates(f"inproc-{phase}-{int(time.time())}", LEADS)
        # What the form's message hands routing: each lead's confirmation.
        confirmation = dict(
            Email.objects.filter(object_id__in=lead_ids, kind="lead_confirmation").values_list(
                "object_id", "id"
            )
        )

        def route(lead_id: int, confirmation: dict = confirmation) -> None:
            lead_route(lead_id=lead_id, then_send=[confirmation[lead_id]])

        # The first routing of a process reads the published rule set once; count a later one.
        route(lead_ids[0])
        connection.force_debug_cursor = True
        connection.queries_log.clear()
        route(lead_ids[1])
        route_sql = [query["sql"] for query in connection.queries_log]
        connection.force_debug_cursor = False
        routed = lead_ids[:2]
        rest = lead_ids[2:]
        emails = lambda ids: list(  # noqa: E731 - a one-line read used twice
            Email.objects.filter(object_id__in=ids, status=Email.Status.PENDING)
            .order_by("id")
            .values_list("id", flat=True)
        )
        if phase == "timed":
            route_ms = timed_calls(route, rest)
            email_ids = emails(routed + rest)
            connection.force_debug_cursor = True
            connection.queries_log.clear()
            email_send(email_id=email_ids[0])
            send_queries = len(connection.queries_log)
            connection.force_debug_cursor = False
            send = timed_calls(lambda email_id: email_send(email_id=email_id), email_ids[1:])
            half.update(
                create_ms=create_ms,
                route=route_ms,
                send=send,
                route_sql=route_sql,
                send_queries=send_queries,
            )
        else:
            route_stats = profile_calls(route, rest)
            send_stats = profile_calls(
                lambda email_id: email_send(email_id=email_id), emails(routed + rest)
            )
    unassigned = Lead.objects.filter(status=Lead.Status.UNASSIGNED).count()
    print()
    print(f"lead_create (the request's service): median {half['create_ms']:.2f} ms CPU")
    print(summary("lead_route (routing task body)", half["route"]))
    print(summary("email_send (email task body)", half["send"]))
    per_lead = statistics.median(half["route"]) + 2 * statistics.median(half["send"])
    print(f"per lead, routing and two emails: {per_lead:.2f} ms CPU (medians)")
    print(f"statements: {len(half['route_sql'])} per routing, {half['send_queries']} per email")
    for sql in half["route_sql"]:
        print(f"  {sql[:150]}")
    print(f"unassigned leads (should be 0): {unassigned}")
    for label, stats, count in (
        ("routing", route_stats, LEADS - 2),
        ("email", send_stats, 2 * LEADS),
    ):
        print(f"\n--- cProfile, {label} task body: where the time goes (ms per call) ---")
        for name, value in bucket_totals(stats, count).items():
            print(f"  {name:28} {value:6.2f}")
        print(top_functions(stats))
        print(f"--- cProfile, {label} task body: by own time ---")
        print(own_time(stats))


def worker_cpu(worker) -> float:
    return run.cpu_seconds([worker.pid, *drills.child_pids(worker.pid)])


def parent_cpu(worker) -> float:
    """The worker's main process alone: receiving, dispatching, acknowledging."""
    return run.cpu_seconds([worker.pid])


def on_worker(env: dict[str, str]) -> None:
    from django.db.models import Q

    from careers.models import Lead
    from config.celery import app
    from core import doorbell
    from outbox.models import Email

    worker = drills.ManagedProcess(
        "celery-overhead-worker",
        celery_worker_argv(name="overhead", concurrency=2, include=("tests.support.tasks",)),
        env=env,
        log_dir=run.LOG_DIR,
    )
    drills.start_worker(worker)
    try:
        # Idle cost first: polling the broker is charged to every batch below as well.
        idle_before, parent_idle_before = worker_cpu(worker), parent_cpu(worker)
        started = time.monotonic()
        time.sleep(5)
        idle_seconds = time.monotonic() - started
        idle_per_second = (worker_cpu(worker) - idle_before) / idle_seconds
        parent_idle_per_second = (parent_cpu(worker) - parent_idle_before) / idle_seconds

        def batch(label: str, publish, done) -> tuple[float, float]:
            before, started = worker_cpu(worker), time.monotonic()
            publish()
            wait_for(done, timeout=600, message=f"{label} never finished", interval=0.2)
            elapsed = time.monotonic() - started
            return worker_cpu(worker) - before, elapsed

        parent_share: dict[str, float] = {}

        def empty_done() -> bool:
            return worker.log().count(f"Task {EMPTY_TASK}[") >= 2 * TASKS

        def empties():
            for _ in range(TASKS):
                app.send_task(EMPTY_TASK, queue="routing")

        # The worker logs "received" and "succeeded" for each: two lines a task.
        empty_cpu, empty_wall = batch("empty tasks", empties, empty_done)

        def leads_batch(
            label: str, count: int, *, paced: bool = False
        ) -> tuple[list[int], float, float]:
            # The leads exist before the clock starts: the request's work is not the
            # worker's. Their doorbells are kept back (the sweep is not running) and rung in
            # the batch.
            doorbell_was = doorbell.ring_on_commit
            rung: list[tuple[str, tuple]] = []
            doorbell.ring_on_commit = lambda name, *args, **_batch: rung.append((name, args))
            try:
                lead_ids, _create_ms = candidates(f"{label}-{int(time.time())}", count)
            finally:
                doorbell.ring_on_commit = doorbell_was

            def done(ids) -> bool:
                open_leads = Lead.objects.filter(id__in=ids, status=Lead.Status.NEW)
                unsent = Email.objects.filter(Q(object_id__in=ids), ~Q(status=Email.Status.SENT))
                return not open_leads.exists() and not unsent.exists()

            def ring_all():
                for name, args in rung:
                    doorbell.ring(name, *args)
                    if paced and name == ROUTE_LEAD_TASK:
                        lead_id = args[0]
                        wait_for(
                            lambda lead_id=lead_id: done([lead_id]),
                            timeout=60,
                            interval=0.01,
                            message=f"lead {lead_id} never finished",
                        )

            parent_before = parent_cpu(worker)
            result = batch(label, ring_all, lambda: done(lead_ids))
            parent_share[label] = parent_cpu(worker) - parent_before
            return lead_ids, *result

        # Each pool process loads templates, translations and compiled reads on its first
        # leads; a batch of a few hundred would carry that into every lead's figure.
        leads_batch("worker-warm-up", WARM_UP_LEADS)
        received_before = worker.log().count("] received")
        lead_ids, lead_cpu, lead_wall = leads_batch("worker", TASKS)
        # The worker logs "Task <name>[<id>] received" for each message it takes.
        messages = worker.log().count("] received") - received_before
        emails = Email.objects.filter(object_id__in=lead_ids).count()
        _paced_ids, paced_cpu, paced_wall = leads_batch("worker-paced", TASKS, paced=True)
    finally:
        worker.stop()

    def per(cpu: float, wall: float, count: int) -> float:
        return (cpu - idle_per_second * wall) * 1000 / count

    print()
    print(f"real worker (prefork, concurrency 2), load average {load_average()}")
    print(f"  idle: {idle_per_second * 1000:.1f} ms CPU a second (broker polling, heartbeats)")
    print(
        f"  empty task: {per(empty_cpu, empty_wall, TASKS):.2f} ms CPU each, idle taken out "
        f"({empty_cpu * 1000 / TASKS:.2f} ms with it; {TASKS} in {empty_wall:.1f} s)"
    )
    print(
        f"  lead ({messages / TASKS:.2f} messages and {emails / TASKS:.0f} emails a lead): "
        f"{per(lead_cpu, lead_wall, TASKS):.2f} ms CPU each, idle taken out "
        f"({lead_cpu * 1000 / TASKS:.2f} ms with it; {TASKS} leads in {lead_wall:.1f} s); "
        f"{per(lead_cpu, lead_wall, messages):.2f} ms per message"
    )
    for label, cpu, wall in (
        ("at once", lead_cpu, lead_wall),
        ("paced, one lead at a time", paced_cpu, paced_wall),
    ):
        parent = parent_share["worker" if label == "at once" else "worker-paced"]
        parent_idle = parent_idle_per_second * wall
        pool_idle = (idle_per_second - parent_idle_per_second) * wall
        print(
            f"  lead, {label}: {per(cpu, wall, TASKS):.2f} ms CPU each, idle taken out: "
            f"parent {(parent - parent_idle) * 1000 / TASKS:.2f} ms, pool processes "
            f"{(cpu - parent - pool_idle) * 1000 / TASKS:.2f} ms ({TASKS} leads in {wall:.1f} s)"
        )


def main() -> None:
    if REUSE:
        # run.prepare_database's name, `<name>_bench`, without dropping it.
        parts = urlsplit(os.environ["DATABASE_URL"])
        database_url = urlunsplit(parts._replace(path=f"{parts.path}_bench"))
        database_label = f"the database of the last run, {parts.path}_bench"
    else:
        database_url, database_label = run.prepare_database()
    redis_url, redis_label = run.prepare_redis()
    if not redis_url:
        raise SystemExit("REDIS_URL is not set: a real worker needs the real broker")
    backing = run.Backing(database_url, database_label, redis_url, redis_label)
    run.setup_django(backing)
    say(f"{database_label}; {redis_label}; load average {load_average()}")
    if REUSE:
        from django.core.management import call_command

        call_command("migrate", "--noinput", verbosity=0)
    else:
        run.load_content()
    if "profile" in PARTS:
        in_process()
    if "worker" not in PARTS:
        return
    # What the in-process leads published is done already; the worker starts from empty queues.
    run.prepare_redis()
    env = {
        key: os.environ[key]
        for key in drills.site_env(
            database_url=database_url, redis_url=redis_url, mail_dir=run.MAIL_DIR
        )
    }
    env["DJANGO_SETTINGS_MODULE"] = "tests.bench.settings"
    on_worker(env)


if __name__ == "__main__":
    main()
