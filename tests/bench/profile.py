"""`make bench-profile`: the bench's pages timed and profiled in-process, beside the bare view.

Same database preparation, settings and content as `make bench` (tests/bench/run.py), but
no gunicorn and no wrk: Django's test client calls the WSGI handler directly, so what is
left is our own CPU. For each page it times, alternating with the bare view of the same size:

- hit: the page cache holds the page;
- miss: the page-cache generation was just bumped (every page is stale, nothing else);
- after save: an editor just saved another public article, one this page does not show
  (not timed: only the render after it), so the page cache misses and the article page's
  parts stored by version (news.versions) stay; the article page is also timed right after
  a save of an article it shows (its first related card);
- cold: every cache emptied first (the cache's `clear()`), so fragments and the
  generation itself are gone too;
- shared: a reader with a cookie, whom the page cache never serves, while the page's
  fragments are stored (what `make bench` times with the page cache off).

Pages are timed in CPU time (time.process_time), which the other sessions on a shared
machine disturb far less than wall time.

Then it runs cProfile over the misses and the hits of the article page and prints the
functions with the most cumulative time, grouped by where the time goes.

`--hit`: the article's page-cache hit alone beside its bare view, in rounds, and its profile.

The form (`--form`; both without an option): PROFILE_REPEAT candidates each open the
consultation form, then each sends a valid POST and opens the thank-you page it is sent to,
as the bench's visitors do, with CSRF enforced and the rate limit on (limits no one reaches).
It prints the CPU time (time.process_time) per POST and per thank-you page beside a bare GET
through the same test client, the SQL statements, commits and Redis round trips of each,
and then cProfile's view of each. Knobs: PROFILE_REPEAT (200 hits, a quarter as many
misses; 200 submissions), PROFILE_TOP (25).
"""

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

from config.env import env_int  # noqa: E402 - after the path is set
from tests.bench import run  # noqa: E402
from tests.support import loadgen  # noqa: E402

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


def timed(function, count: int, clock=time.perf_counter, before=None) -> float:
    """Median milliseconds of `count` calls, by `clock`; `before` runs untimed before each."""
    samples = []
    for _ in range(count):
        if before is not None:
            before()
        started = clock()
        function()
        samples.append((clock() - started) * 1000)
    return statistics.median(samples)


def profiled(function, count: int, before=None, clock=None) -> pstats.Stats:
    profile = cProfile.Profile(clock) if clock else cProfile.Profile()
    for _ in range(count):
        if before is not None:
            before()
        profile.enable()
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


def print_profile(label: str, stats: pstats.Stats, count: int) -> None:
    print(f"\n### {label}: own time per request by area (ms)\n")
    for name, value in bucket_totals(stats, count).items():
        print(f"- {name}: {value:.2f}")
    print(f"\n### {label}: top {TOP} by cumulative time ({count} requests)\n")
    print(top_functions(stats))


def profile_pages(pages: dict[str, str]) -> None:
    from django.test import Client

    from news.cache import NEWS_PAGES, cache_clear
    from news.models import Article

    client = Client(headers=run.PROXY_HEADERS)
    reader_with_cookie = Client(headers=run.PROXY_HEADERS)
    reader_with_cookie.cookies["seen-banner"] = "1"

    def get(path: str, by=client) -> bytes:
        response = by.get(path, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return response.content

    def shared(path: str) -> None:
        get(path, by=reader_with_cookie)

    def miss(path: str) -> None:
        NEWS_PAGES.bump_generation()
        get(path)

    def cold(path: str) -> None:
        cache_clear()
        get(path)

    article_page = get(pages["article"]).decode()
    public = Article.objects.public().order_by("published_at")
    # An editor's save of an article the article page does not link to, and of one it does.
    unshown = next(a for a in public if a.get_absolute_url() not in article_page)
    shown = next(
        a
        for a in public.reverse()
        if a.get_absolute_url() != pages["article"] and a.get_absolute_url() in article_page
    )
    run.say(f"after save: saving {unshown.slug} (not shown), {shown.slug} (shown)")

    print(f"\n{REPEAT} hits and {REPEAT // 4} misses a page, median CPU ms, in-process\n")
    print(
        "| page | bare | hit | miss | after save | cold | shared "
        "| hit ÷ bare | miss ÷ bare | after save ÷ bare | cold ÷ bare | shared ÷ bare |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    cpu = time.process_time
    for page in ("article", "home", "category"):
        path = pages[page]
        size = len(get(path))
        bare_path = f"/bench/bare/?bytes={size}"
        get(bare_path)
        hit = timed(lambda p=path: get(p), REPEAT, cpu)
        # Timed right after the page, so drift in the machine's load reaches both sides.
        bare = timed(lambda b=bare_path: get(b), REPEAT, cpu)
        missed = timed(lambda p=path: miss(p), REPEAT // 4, cpu)
        after_save = timed(lambda p=path: get(p), REPEAT // 4, cpu, before=unshown.save)
        coldest = timed(lambda p=path: cold(p), max(REPEAT // 20, 3), cpu)
        shared(path)
        fragments = timed(lambda p=path: shared(p), REPEAT // 4, cpu)
        print(
            f"| {page} | {bare:.2f} | {hit:.2f} | {missed:.2f} | {after_save:.2f} "
            f"| {coldest:.2f} | {fragments:.2f} "
            f"| {bare / hit:.2f} | {bare / missed:.3f} | {bare / after_save:.3f} "
            f"| {bare / coldest:.3f} | {bare / fragments:.2f} |"
        )
        if page == "article":
            after_shown = timed(lambda p=path: get(p), REPEAT // 4, cpu, before=shown.save)
            print(
                f"| article, after a save of an article it shows | {bare:.2f} | | "
                f"| {after_shown:.2f} | | | | | {bare / after_shown:.3f} | | |"
            )

    article = pages["article"]
    for label, function, count, before in (
        ("article page-cache miss", lambda: miss(article), REPEAT // 4, None),
        (
            "article right after a save of an article it does not show",
            lambda: get(article),
            REPEAT // 4,
            unshown.save,
        ),
        ("article page-cache hit", lambda: get(article), REPEAT, None),
    ):
        print_profile(label, profiled(function, count, before), count)


def profile_hit(pages: dict[str, str], rounds: int = 3) -> None:
    """The article's page-cache hit alone beside its bare view, CPU per request, in rounds;
    then cProfile (CPU clock) of the hits, with the share of the pieces issue 13 named."""
    from django.test import Client

    client = Client(headers=run.PROXY_HEADERS)

    def get(path: str) -> None:
        response = client.get(path, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")

    path = pages["article"]
    get(path)
    size = len(client.get(path, secure=True).content)
    bare_path = f"/bench/bare/?bytes={size}"
    get(bare_path)
    cpu = time.process_time
    print(f"\n{REPEAT} article hits and bare views a round, median CPU ms, in-process\n")
    print("| round | bare | hit | hit − bare | bare ÷ hit |")
    print("| --- | --- | --- | --- | --- |")
    for number in range(1, rounds + 1):
        hit = timed(lambda: get(path), REPEAT, cpu)
        bare = timed(lambda: get(bare_path), REPEAT, cpu)
        print(f"| {number} | {bare:.3f} | {hit:.3f} | {hit - bare:.3f} | {bare / hit:.2f} |")
    stats = profiled(lambda: get(path), REPEAT, clock=cpu)
    total = cumulative_ms(stats, "news/cache.py", "__call__", REPEAT)
    print(f"\n### article page-cache hit: the page cache's own CPU, {total:.3f} ms a hit\n")
    for part, filename_part, function_name in HIT_PARTS:
        value = cumulative_ms(stats, filename_part, function_name, REPEAT) or 0.0
        print(f"- {part}: {value:.3f} ({value / total:.0%})")
    print_profile("article page-cache hit (CPU clock)", stats, REPEAT)


# Where a page-cache hit spends its CPU inside PageCacheMiddleware.
HIT_PARTS = (
    ("the marked view found (URL resolve)", "news/cache.py", "_marked_view"),
    ("the page key (query string, host, generations)", "news/cache.py", "page_key"),
    ("Redis GET of the page", "redis/commands/core.py", "get"),
    ("the response rebuilt", "django/http/response.py", "__init__"),
    ("the view counted", "news/readership.py", "article_view_count"),
)


# Where a POST and its thank-you page spend their CPU, by the function that does each part.
FORM_PARTS = (
    ("request body parsing", "django/http/request.py", "_load_post_and_files"),
    ("CSRF check", "django/middleware/csrf.py", "process_view"),
    ("form built", "careers/forms/base.py", "__init__"),
    ("form validated", "django/forms/forms.py", "full_clean"),
    ("rate limit", "core/ratelimit.py", "submission_rate_limit"),
    ("attribution", "careers/attribution.py", "attribution_for"),
    ("lead_create", "careers/services/capture.py", "lead_create"),
    ("  its confirmation email", "careers/services/capture.py", "lead_confirmation_queue"),
    ("  its doorbells (Celery publish)", "core/doorbell.py", "_publish"),
    ("session writes", "django/contrib/sessions/backends/cached_db.py", "save"),
    ("session reads", "django/contrib/sessions/backends/cached_db.py", "load"),
    ("thank-you page view", "careers/views.py", "get"),
    ("  its template", "django/shortcuts.py", "render"),
)


def cumulative_ms(stats: pstats.Stats, filename_part: str, function_name: str, count: int):
    """Milliseconds per request inside `function_name` (cumulative), or None if it never ran."""
    values = [
        cumulative
        for (filename, _, name), (_, _, _, cumulative, _) in stats.stats.items()
        if name == function_name and filename_part in filename
    ]
    return sum(values) * 1000 / count if values else None


def print_parts(label: str, stats: pstats.Stats, count: int) -> None:
    total = cumulative_ms(stats, "django/core/handlers/base.py", "get_response", count)
    print(f"\n### {label}: where the CPU goes (ms per request under the profiler)\n")
    print(f"- the whole request (handler): {total:.2f}")
    for part, filename_part, function_name in FORM_PARTS:
        value = cumulative_ms(stats, filename_part, function_name, count)
        if value is not None:
            print(f"- {part}: {value:.2f} ({value / total:.0%})")


def calls_of(stats: pstats.Stats, filename_part: str, function_name: str) -> int:
    """How many times functions called `function_name` in files matching ran (primitive calls)."""
    return sum(
        primitive
        for (filename, _, name), (primitive, *_rest) in stats.stats.items()
        if name == function_name and filename_part in filename
    )


class FormVisitors:
    """Candidates who opened the consultation form, each with its own cookies, as in the bench."""

    def __init__(self, count: int, *, tag: str):
        from django.test import Client

        self.visitors = []
        for index in range(count):
            client = Client(
                enforce_csrf_checks=True,
                headers={**run.PROXY_HEADERS, "User-Agent": "plusweb3-profile/1"},
            )
            response = client.get(loadgen.FORM_PATH, secure=True)
            if response.status_code != 200:
                raise RuntimeError(f"the form answered {response.status_code}")
            fields = {
                **loadgen.hidden_inputs(response.content.decode()),
                **loadgen.consultation_fields(index, f"{tag}-{index:05d}@example.com"),
            }
            self.visitors.append((client, fields))

    @staticmethod
    def post(client, fields: dict[str, str]) -> str:
        """Send the form; the thank-you page's path it redirects to."""
        # Encoded as a browser (and the bench's visitors) send it, not the client's multipart.
        response = client.post(
            loadgen.FORM_PATH,
            urlencode(fields),
            content_type="application/x-www-form-urlencoded",
            secure=True,
            headers={"Origin": "https://testserver", "Referer": "https://testserver/consultation/"},
        )
        if response.status_code != 303:
            raise RuntimeError(f"a valid POST answered {response.status_code}")
        return response["Location"]

    @staticmethod
    def thanks(client, path: str) -> int:
        """Open the thank-you page; its size in bytes."""
        response = client.get(path, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return len(response.content)


def profile_form() -> None:
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    # The bench turns the rate limit off (one visitor sends everything); production has it
    # on, so its cost is counted here with limits no run reaches.
    limits = override_settings(
        RATELIMIT_ENABLE=True, RATELIMIT_IP_LIMIT=10**9, RATELIMIT_EMAIL_LIMIT=10**9
    )
    limits.enable()
    warm = FormVisitors(10, tag="warm")
    for client, fields in warm.visitors:
        thanks_size = FormVisitors.thanks(client, FormVisitors.post(client, fields))

    # CPU per request, beside a bare GET of a thank-you page's size through the same client.
    timed_visitors = FormVisitors(REPEAT, tag="timed")
    post_cpu, thanks_cpu = [], []
    for client, fields in timed_visitors.visitors:
        started = time.process_time()
        location = FormVisitors.post(client, fields)
        posted = time.process_time()
        FormVisitors.thanks(client, location)
        post_cpu.append((posted - started) * 1000)
        thanks_cpu.append((time.process_time() - posted) * 1000)
    bare_client = Client(headers=run.PROXY_HEADERS)
    bare_cpu = []
    for _ in range(REPEAT):
        started = time.process_time()
        bare_client.get(f"/bench/bare/?bytes={thanks_size}", secure=True)
        bare_cpu.append((time.process_time() - started) * 1000)

    # What each request asks of PostgreSQL: statements (Django's own count) and one POST's SQL.
    counted = FormVisitors(10, tag="counted")
    post_queries, thanks_queries = [], []
    for client, fields in counted.visitors:
        with CaptureQueriesContext(connection) as posting:
            location = FormVisitors.post(client, fields)
        with CaptureQueriesContext(connection) as thanking:
            FormVisitors.thanks(client, location)
        post_queries.append(posting.captured_queries)
        thanks_queries.append(thanking.captured_queries)

    profiled_visitors = FormVisitors(REPEAT, tag="profiled")
    # CPU time, not wall time: waits on PostgreSQL and Redis cost the web worker nothing, and
    # on a loaded machine they would drown what does.
    post_profile = cProfile.Profile(time.process_time)
    thanks_profile = cProfile.Profile(time.process_time)
    for client, fields in profiled_visitors.visitors:
        post_profile.enable()
        location = FormVisitors.post(client, fields)
        post_profile.disable()
        thanks_profile.enable()
        FormVisitors.thanks(client, location)
        thanks_profile.disable()
    limits.disable()

    post_stats, thanks_stats = pstats.Stats(post_profile), pstats.Stats(thanks_profile)
    print(f"\n## The consultation form: {REPEAT} valid submissions, in-process\n")
    print("| request | CPU median | CPU mean | SQL statements | commits | Redis round trips |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, cpu, queries, stats in (
        ("POST /consultation/", post_cpu, post_queries, post_stats),
        ("thank-you page", thanks_cpu, thanks_queries, thanks_stats),
    ):
        print(
            f"| {label} | {statistics.median(cpu):.2f} ms | {statistics.fmean(cpu):.2f} ms | "
            f"{max(len(each) for each in queries)} | "
            f"{calls_of(stats, 'django/db/backends/', '_commit') / REPEAT:.1f} | "
            f"{calls_of(stats, 'redis/', 'send_packed_command') / REPEAT:.1f} |"
        )
    print(
        f"| bare GET, same client | {statistics.median(bare_cpu):.2f} ms | "
        f"{statistics.fmean(bare_cpu):.2f} ms | 0 | 0 | 0 |"
    )
    print("\nThe statements of one POST:\n")
    for query in post_queries[-1]:
        print(f"- {query['sql'][:160]}")
    print("\nThe statements of one thank-you page:\n")
    for query in thanks_queries[-1]:
        print(f"- {query['sql'][:160]}")
    for label, stats in (("POST /consultation/", post_stats), ("thank-you page", thanks_stats)):
        print_parts(label, stats, REPEAT)
        print_profile(label, stats, REPEAT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", action="store_true", help="the pages only")
    parser.add_argument("--form", action="store_true", help="the consultation form only")
    parser.add_argument(
        "--hit", action="store_true", help="the article's page-cache hit beside the bare view only"
    )
    options = parser.parse_args()
    both = not (options.pages or options.form or options.hit)

    database_url, database_label = run.prepare_database()
    redis_url, redis_label = run.prepare_redis()
    run.setup_django(run.Backing(database_url, database_label, redis_url, redis_label))
    run.say(f"database: {database_label}; cache: {redis_label}")
    pages = run.load_content()
    if options.hit:
        profile_hit(pages)
    if options.pages or both:
        profile_pages(pages)
    if options.form or both:
        profile_form()


if __name__ == "__main__":
    main()
