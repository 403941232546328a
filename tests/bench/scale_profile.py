"""The staff pages of `make bench-scale`, profiled on the database it kept.

    DATABASE_URL=postgres://…/plusweb3 python -m tests.bench.scale_profile [--profile LABEL]

Reads `<name>_scale` as `make bench-scale` left it (run that first, BENCH_SCALE_KEEP=1 keeps
it between runs) and, per page, PROFILE_REPEAT requests: the median CPU time of the request
(time.process_time), the median time PostgreSQL took to answer its statements (timed around
each execute, so it includes the round trip) and the statements. Both are honest on a
machine shared with other sessions, where wall time is mostly waiting for a core. With
--profile, cProfile's cumulative view of the pages whose label contains LABEL, and each of
their statements with EXPLAIN ANALYZE's execution time.
"""

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

from config.env import env_int  # noqa: E402 - after the path is set
from tests.bench import run  # noqa: E402
from tests.bench.scale import EMAIL_TERM, staff_pages  # noqa: E402

REPEAT = env_int("PROFILE_REPEAT", 10, minimum=3)
TOP = env_int("PROFILE_TOP", 30, minimum=1)


class StatementClock:
    """Every statement of the requests it wraps, with the milliseconds it took."""

    def __init__(self):
        self.statements: list[tuple[str, tuple, float]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((sql, params, (time.perf_counter() - started) * 1000))


def measure(request) -> tuple[float, float, int]:
    """Median CPU ms, median SQL ms and the statements of one request."""
    from django.db import connection

    request()  # warm
    cpu, sql, count = [], [], 0
    for _ in range(REPEAT):
        clock = StatementClock()
        with connection.execute_wrapper(clock):
            started = time.process_time()
            request()
            cpu.append((time.process_time() - started) * 1000)
        sql.append(sum(elapsed for *_, elapsed in clock.statements))
        count = len(clock.statements)
    return statistics.median(cpu), statistics.median(sql), count


def explain(request) -> None:
    from django.db import connection

    clock = StatementClock()
    with connection.execute_wrapper(clock):
        request()
    for sql, params, elapsed in clock.statements:
        if not sql.lstrip().upper().startswith("SELECT"):
            print(f"\n-- {elapsed:.1f} ms from the client, not explained\n{sql[:400]}")
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = [row[0] for row in cursor.fetchall()]
        print(f"\n-- {elapsed:.1f} ms from the client; {plan[-1].strip()}\n{sql[:400]}")
        print("\n".join(plan[:25]))


def profile(request) -> None:
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(REPEAT):
        request()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(TOP)
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="", help="cProfile and EXPLAIN pages with LABEL")
    options = parser.parse_args()

    parts = urlsplit(run.os.environ.get("DATABASE_URL", ""))
    database = f"{parts.path.lstrip('/') or 'plusweb3'}_scale"
    url = urlunsplit(parts._replace(path=f"/{database}"))
    run.setup_django(run.Backing(url, database, run.os.environ.get("REDIS_URL", ""), ""))

    from django.contrib.auth import get_user_model

    from careers.models import Lead

    manager = get_user_model().objects.get(username="scale-manager")
    lead = Lead.objects.filter(reference__startswith="S").exclude(status="closed").latest("id")
    say_load = f"load {Path('/proc/loadavg').read_text().split()[0]}"
    print(f"{database}, {REPEAT} requests a page, {say_load}; email searched: {EMAIL_TERM}")
    print(f"{'page':<62} {'CPU ms':>8} {'SQL ms':>8} {'stmts':>6}")
    for label, request in staff_pages(manager, lead.id):
        cpu, sql, count = measure(request)
        print(f"{label:<62} {cpu:8.1f} {sql:8.1f} {count:6d}")
        if options.profile and options.profile in label:
            profile(request)
            explain(request)
    print(f"at the end: load {Path('/proc/loadavg').read_text().split()[0]}")


if __name__ == "__main__":
    main()
