"""`make bench-profile`: the bench's pages timed and profiled in-process, beside the bare view.

Same database preparation, settings and content as `make bench` (tests/bench/run.py), but
no gunicorn and no wrk: Django's test client calls the WSGI handler directly, so what is
left is our own CPU. For each page it times, alternating with the bare view of the same size:

- hit: the page cache holds the page;
- miss: the page-cache generation was just bumped (what an editor's save does);
- cold: every cache emptied first (the cache's `clear()`), so fragments and the
  generation itself are gone too.

Then it runs cProfile over the misses and the hits of the article page and prints the
functions with the most cumulative time, grouped by where the time goes. Knobs:
PROFILE_REPEAT (200 hits, a quarter as many misses), PROFILE_TOP (25).
"""

import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

from config.env import env_int  # noqa: E402 - after the path is set
from tests.bench import run  # noqa: E402

REPEAT = env_int("PROFILE_REPEAT", 200, minimum=4)
TOP = env_int("PROFILE_TOP", 25, minimum=1)

# Where the cumulative time of a profile goes, by the file a function lives in.
BUCKETS = (
    ("template rendering", ("django/template/",)),
    ("ORM query building", ("django/db/models/",)),
    ("SQL execution", ("django/db/backends/", "psycopg")),
    ("cache (Redis)", ("django/core/cache/", "redis/")),
    ("middleware and handler", ("django/middleware/", "django/contrib/", "django/core/handlers/")),
)


def timed(function, count: int) -> float:
    """Median milliseconds of `count` calls."""
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def profiled(function, count: int) -> pstats.Stats:
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(count):
        function()
    profile.disable()
    return pstats.Stats(profile)


def bucket_totals(stats: pstats.Stats, count: int) -> dict[str, float]:
    """Milliseconds per call spent inside each bucket's own code (tottime, no double counting)."""
    totals = dict.fromkeys((name for name, _ in BUCKETS), 0.0)
    totals["everything else"] = 0.0
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():
        name = next(
            (label for label, parts in BUCKETS if any(part in filename for part in parts)),
            "everything else",
        )
        totals[name] += tottime * 1000 / count
    return totals


def top_functions(stats: pstats.Stats) -> str:
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats("cumulative").print_stats(TOP)
    return out.getvalue()


def main() -> None:
    database_url, database_label = run.prepare_database()
    redis_url, redis_label = run.prepare_redis()
    run.setup_django(run.Backing(database_url, database_label, redis_url, redis_label))
    run.say(f"database: {database_label}; cache: {redis_label}")
    pages = run.load_content()

    from django.core.cache import cache
    from django.test import Client

    from news.cache import NEWS_PAGES

    client = Client(headers=run.PROXY_HEADERS)

    def get(path: str) -> bytes:
        response = client.get(path, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return response.content

    def miss(path: str) -> None:
        NEWS_PAGES.bump_generation()
        get(path)

    def cold(path: str) -> None:
        cache.clear()
        get(path)

    print(f"\n{REPEAT} hits and {REPEAT // 4} misses a page, median ms, in-process\n")
    print("| page | bare | hit | miss | cold | hit ÷ bare | miss ÷ bare | cold ÷ bare |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for page in ("article", "home", "category"):
        path = pages[page]
        size = len(get(path))
        bare_path = f"/bench/bare/?bytes={size}"
        get(bare_path)
        hit = timed(lambda p=path: get(p), REPEAT)
        # Timed right after the page, so drift in the machine's load reaches both sides.
        bare = timed(lambda b=bare_path: get(b), REPEAT)
        missed = timed(lambda p=path: miss(p), REPEAT // 4)
        coldest = timed(lambda p=path: cold(p), max(REPEAT // 20, 3))
        print(
            f"| {page} | {bare:.2f} | {hit:.2f} | {missed:.2f} | {coldest:.2f} | "
            f"{bare / hit:.2f} | {bare / missed:.2f} | {bare / coldest:.2f} |"
        )

    article = pages["article"]
    for label, function, count in (
        ("article page-cache miss", lambda: miss(article), REPEAT // 4),
        ("article page-cache hit", lambda: get(article), REPEAT),
    ):
        stats = profiled(function, count)
        print(f"\n### {label}: own time per request by area (ms)\n")
        for name, value in bucket_totals(stats, count).items():
            print(f"- {name}: {value:.2f}")
        print(f"\n### {label}: top {TOP} by cumulative time ({count} requests)\n")
        print(top_functions(stats))


if __name__ == "__main__":
    main()
