"""`make bench-scale`: the staff pages, routing, the sitemap and search at 1,000,000 leads.

1. PostgreSQL only (SQLite is refused): `<name>_scale` on DATABASE_URL's server, dropped and
   created again unless BENCH_SCALE_KEEP=1 (then the routing figures at 1,000 leads are
   skipped, since the small database no longer exists).
2. migrate, load_demo_content, career advisors, a manager login, BENCH_SCALE_ARTICLES published
   articles written with COPY (tests/bench/scale_articles.py).
3. 1,000 generated leads (tests/bench/scale_leads.py): routing timed; then up to
   BENCH_SCALE_LEADS (events and notes in proportion, one lead with a long timeline).
4. In-process with Django's test client, BENCH_SCALE_REPEAT requests each: the lead list as a
   manager (first page, searches, a filtered page), the lead change view and its full
   timeline, the dashboard, routing, the sitemap index and a sitemap page, article search.
   p50 and p95, and the SQL statements of one request.
5. The "Scale" section of docs/benchmarks.md, replaced in place; the rest of the file is
   tests/bench/run.py's.

`python -m tests.bench.scale search` runs only step 4's article search against the database a
full run left (never generated again) and replaces only the search rows and the notes.
"""

import datetime
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

from config.env import env_bool, env_int  # noqa: E402 - after the path is set
from tests.bench import run  # noqa: E402
from tests.bench.run import say  # noqa: E402

LEADS = env_int("BENCH_SCALE_LEADS", 1_000_000, minimum=1_000)
ARTICLES = env_int("BENCH_SCALE_ARTICLES", 10_000, minimum=10)
REPEAT = env_int("BENCH_SCALE_REPEAT", 30, minimum=5)
KEEP = env_bool("BENCH_SCALE_KEEP", False)
SMALL_LEADS = 1_000
# The timeline of one lead handled for years (the "long timeline"), notes in proportion.
LONG_TIMELINE_EVENTS = 5_000
LONG_TIMELINE_NOTES = 750
EMAIL_TERM = "scale-123456@example.com"
SEARCH_TERMS = ("ステーブルコイン", "生成AI 規制", "ＡＩ", "レイヤー2", "見つからない語句")
# The last page within the 1,000 newest matches a common term lists (news.search).
SEARCH_DEEP_PAGE = "84"
SEARCH_LABEL = "| search 「"
SECTION_TITLE = run.SCALE_SECTION_TITLE
NOTES = Path(__file__).with_name("scale_notes.md")


@dataclass
class Timing:
    label: str
    samples: list[float]
    queries: int | None = None

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def prepare_database(*, keep: bool = KEEP) -> tuple[str, str]:
    source = os.environ.get("DATABASE_URL", "")
    if not source.startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "make bench-scale needs PostgreSQL: set DATABASE_URL=postgres://… "
            "(a million rows in SQLite would measure SQLite, not the site)."
        )
    import psycopg

    parts = urlsplit(source)
    name = f"{parts.path.lstrip('/') or 'plusweb3'}_scale"
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not (keep and exists.fetchone()):
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
        version = connection.execute("SHOW server_version").fetchone()[0]
    url = urlunsplit(parts._replace(path=f"/{name}"))
    return url, f"PostgreSQL {version}, database `{name}` on {parts.hostname}:{parts.port}"


def load_base_content():
    """Schema, demo content, career advisors and a manager; returns the manager."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from careers.models import Advisor, Team
    from careers.roles import MANAGER_GROUP

    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load_demo_content", verbosity=0)
    for number in range(12):
        specialty = ("ai", "web3", "both")[number % 3]
        Advisor.objects.update_or_create(
            email=f"scale-{number}@plusweb3.example",
            defaults={
                "name": f"スケール {number}",
                "team": Team.CAREER,
                "specialty": specialty,
                "capacity": 30,
                "is_active": True,
                "is_accepting": True,
            },
        )
    manager, _ = get_user_model().objects.get_or_create(
        username="scale-manager", defaults={"is_staff": True, "email": "manager@example.com"}
    )
    manager.groups.add(Group.objects.get(name=MANAGER_GROUP))
    return manager


def lengthen_timeline() -> int:
    """The newest open generated lead gets months of events and notes; returns its id."""
    from django.db import connection

    from careers.models import Lead

    lead = Lead.objects.filter(reference__startswith="S").exclude(status="closed").latest("id")
    if lead.events.count() >= LONG_TIMELINE_EVENTS:
        return lead.id
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO careers_leadevent (kind, created_at, details, lead_id) "
            "SELECT 'status_changed', now() - k * interval '6 hours', '{}'::jsonb, %s "
            "FROM generate_series(1, %s) AS k",
            [lead.id, LONG_TIMELINE_EVENTS],
        )
        cursor.execute(
            "INSERT INTO careers_leadnote (body, created_at, lead_id) "
            "SELECT '電話で状況を伺いました。次回は来週です。', now() - k * interval '1 day', %s "
            "FROM generate_series(1, %s) AS k",
            [lead.id, LONG_TIMELINE_NOTES],
        )
        # As autovacuum would: with the statistics of before, the planner takes this lead
        # for one of three events and reads all 5,000 to sort them (11 ms instead of 0.1).
        cursor.execute("ANALYZE careers_leadevent")
        cursor.execute("ANALYZE careers_leadnote")
    return lead.id


def timed(label: str, function, *, count_queries: bool = True) -> Timing:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()  # warm: the first call pays for imports and template loading
    queries = None
    if count_queries:
        with CaptureQueriesContext(connection) as captured:
            function()
        queries = len(captured)
    samples = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    timing = Timing(label, samples, queries)
    say(f"{label}: p50 {timing.percentile(0.5):.1f} ms, p95 {timing.percentile(0.95):.1f} ms")
    return timing


def routing_timings(scale: str) -> list[Timing]:
    from django.utils import timezone

    from careers.models import Lead, Team
    from careers.selectors import advisor_candidates_for
    from careers.services.pipeline.routing import lead_route_dry_run

    lead = Lead.objects.filter(reference__startswith="S").exclude(status="closed").latest("id")
    today = timezone.localdate()
    return [
        timed(
            f"routing candidates at {scale}",
            lambda: advisor_candidates_for(team=Team.CAREER, on=today),
        ),
        timed(f"dry-run routing decision at {scale}", lambda: lead_route_dry_run(lead=lead)),
    ]


def staff_pages(manager, lead_id: int) -> list[tuple[str, object]]:
    """(label, request) for each staff page measured, as `manager`; a request raises unless
    its page answers 200."""
    from django.test import Client
    from django.urls import reverse

    from careers.models import Lead

    # A demo lead's: generated references are not in the form staff type (PW-7K3M-9QXA).
    reference = Lead.objects.filter(reference__startswith="PW-").values_list("reference")[0][0]
    staff = Client(headers=run.PROXY_HEADERS)
    staff.force_login(manager)

    def get(path: str, **data) -> None:
        response = staff.get(path, data, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")

    lead_list = reverse("admin:careers_lead_changelist")
    dashboard = reverse("admin:careers_lead_dashboard")
    return [
        ("lead list, manager, first page", lambda: get(lead_list)),
        (
            "lead list, manager, search for a name (「太郎123456」)",
            lambda: get(lead_list, q="太郎123456"),
        ),
        ("lead list, manager, search for a whole reference", lambda: get(lead_list, q=reference)),
        ("lead list, manager, search for an email address", lambda: get(lead_list, q=EMAIL_TERM)),
        (
            "lead list, manager, filtered (status 連絡済み, interest AI)",
            lambda: get(lead_list, status__exact="contacted", interest__exact="ai"),
        ),
        ("lead list, manager, page 200", lambda: get(lead_list, p=200)),
        (
            f"lead change view ({LONG_TIMELINE_EVENTS} events, {LONG_TIMELINE_NOTES} notes)",
            lambda: get(reverse("admin:careers_lead_change", args=[lead_id])),
        ),
        (
            "lead timeline, its newest page of 100",
            lambda: get(reverse("admin:careers_lead_timeline", args=[lead_id])),
        ),
        ("dashboard", lambda: get(dashboard)),
        ("dashboard, 90 days", lambda: get(dashboard, days=90)),
    ]


def page_timings(manager, lead_id: int) -> list[Timing]:
    from django.test import Client

    from news.cache import NEWS_PAGES

    reader = Client(headers=run.PROXY_HEADERS)

    def get(client, path: str, **extra) -> None:
        response = client.get(path, secure=True, **extra)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")

    timings = [timed(label, request) for label, request in staff_pages(manager, lead_id)]

    def sitemap_miss(path: str) -> None:
        NEWS_PAGES.bump_generation()
        get(reader, path)

    timings.append(
        timed("sitemap.xml (the index), page cache miss", lambda: sitemap_miss("/sitemap.xml"))
    )
    timings.append(
        timed(
            "sitemap-articles.xml?p=10 (1,000 articles), page cache miss",
            lambda: sitemap_miss("/sitemap-articles.xml?p=10"),
        )
    )
    return timings + search_timings()


def search_timings() -> list[Timing]:
    """Article search as a reader: the terms, then a common term's deepest page."""
    from django.test import Client
    from django.urls import reverse

    reader = Client(headers=run.PROXY_HEADERS)

    def get(**data) -> None:
        response = reader.get(reverse("news:search"), data, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"search {data} answered {response.status_code}")

    timings = [timed(f"search 「{term}」", lambda t=term: get(q=t)) for term in SEARCH_TERMS]
    term = SEARCH_TERMS[0]
    timings.append(
        timed(
            f"search 「{term}」, page {SEARCH_DEEP_PAGE} (the last of the newest 1,000)",
            lambda: get(q=term, page=SEARCH_DEEP_PAGE),
        )
    )
    return timings


def timing_row(timing: Timing) -> str:
    queries = "" if timing.queries is None else str(timing.queries)
    return (
        f"| {timing.label} | {timing.percentile(0.5):.1f} ms "
        f"| {timing.percentile(0.95):.1f} ms | {queries} |"
    )


def write_section(context: dict) -> None:
    """Replace the Scale section of docs/benchmarks.md (or add it before the commands)."""
    lines = [
        SECTION_TITLE,
        "",
        "Written by `make bench-scale` (`tests/bench/scale.py`); run it again rather than edit.",
        "In-process with Django's test client against PostgreSQL and Redis, so the figures are",
        "the server's own time without HTTP, on the 2-core machine (load average "
        f"{context['load_start']} at the start, {context['load_end']} at the end"
        + (
            "; other work was running, so read them as upper bounds on a busy machine)."
            if max(float(context["load_start"]), float(context["load_end"])) > 2
            else ")."
        ),
        "",
        f"- Date: {context['date']}; commit `{context['commit']}`",
        f"- Database: {context['database']}",
        f"- Generated: {context['leads']:,} leads ({context['events']:,} events, "
        f"{context['notes']:,} notes), {context['open']:,} of them open; "
        f"{context['articles']:,} public articles. Generation took {context['generation']:.0f} s.",
        f"- Each figure: {REPEAT} requests after one warm-up; statements counted on one more.",
        "",
        "| measure | p50 | p95 | SQL statements |",
        "| --- | --- | --- | --- |",
    ]
    lines += [timing_row(timing) for timing in context["timings"]]
    lines += ["", "```sh", context["command"], "```", "", NOTES.read_text().rstrip("\n"), "", ""]
    section = "\n".join(lines)

    output = run.OUTPUT
    text = output.read_text() if output.exists() else "# Benchmarks\n"
    start = text.find(SECTION_TITLE)
    if start >= 0:
        end = text.find("\n## ", start + len(SECTION_TITLE))
        text = text[:start] + section + (text[end + 1 :] if end >= 0 else "")
    else:
        anchor = text.find("\n## Commands")
        if anchor >= 0:
            text = text[: anchor + 1] + section + "\n" + text[anchor + 1 :]
        else:
            text = text.rstrip("\n") + "\n\n" + section
    output.write_text(text)
    say(f"wrote the Scale section of {output}")


def write_search_rows(timings: list[Timing], heading: str) -> None:
    """Replace the search rows and the notes of the Scale section; `heading` says when."""
    output = run.OUTPUT
    text = output.read_text()
    start = text.index(SECTION_TITLE)
    end = text.find("\n## ", start + len(SECTION_TITLE))
    end = len(text) if end < 0 else end + 1
    lines = text[start:end].split("\n")
    first = next(n for n, line in enumerate(lines) if line.startswith(SEARCH_LABEL))
    kept = [line for line in lines if not line.startswith(SEARCH_LABEL)]
    commands = kept.index("```", kept.index("```sh"))
    section = [
        *kept[:first],
        *(timing_row(timing) for timing in timings),
        *kept[first:commands],
        f"```\n\n{heading}\n\n{NOTES.read_text().rstrip()}\n\n",
    ]
    output.write_text(text[:start] + "\n".join(section) + text[end:])
    say(f"wrote the search rows of the Scale section of {output}")


def main_search() -> None:
    load_start = run.load_average()
    database_url, database_label = prepare_database(keep=True)
    redis_url, redis_label = run.prepare_redis()
    run.setup_django(run.Backing(database_url, database_label, redis_url, redis_label))
    from django.core.management import call_command

    from news.models import Article

    call_command("collectstatic", "--noinput", verbosity=0)
    if not Article.objects.public().exists():
        raise SystemExit("no articles: run make bench-scale once before its search step")
    timings = search_timings()
    write_search_rows(
        timings,
        f"The search rows: `python -m tests.bench.scale search` on "
        f"{run.git('rev-parse', '--short', 'HEAD')}, "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M UTC}, load average {load_start} "
        f"at the start, {run.load_average()} at the end; the other rows are the run above.",
    )


def main() -> None:
    load_start = run.load_average()
    database_url, database_label = prepare_database()
    redis_url, redis_label = run.prepare_redis()
    run.setup_django(run.Backing(database_url, database_label, redis_url, redis_label))
    say(f"database: {database_label}; cache: {redis_label}")

    from careers.models import Lead, LeadEvent, LeadNote
    from news.models import Article
    from tests.bench import scale_articles, scale_leads

    manager = load_base_content()
    started = time.perf_counter()
    scale_articles.generate_articles(ARTICLES)
    timings = []
    present = scale_leads.generated_lead_count()
    if present <= SMALL_LEADS:
        scale_leads.generate_leads(SMALL_LEADS)
        timings += routing_timings(f"{SMALL_LEADS:,} leads")
    else:
        say(f"{present:,} generated leads kept: routing at {SMALL_LEADS:,} leads not measured")
    say(f"generating {LEADS:,} leads")
    scale_leads.generate_leads(LEADS)
    lead_id = lengthen_timeline()
    generation = time.perf_counter() - started
    say(f"generated in {generation:.0f} s")
    timings += routing_timings(f"{LEADS:,} leads")
    timings += page_timings(manager, lead_id)

    write_section(
        {
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": run.git("rev-parse", "--short", "HEAD"),
            "database": database_label,
            "leads": Lead.objects.count(),
            "events": LeadEvent.objects.count(),
            "notes": LeadNote.objects.count(),
            "open": Lead.objects.exclude(status__in=("closed", "placed")).count(),
            "articles": Article.objects.public().count(),
            "generation": generation,
            "timings": timings,
            "load_start": load_start,
            "load_end": run.load_average(),
            "command": "DATABASE_URL=postgres://… REDIS_URL=redis://… make bench-scale",
        }
    )


if __name__ == "__main__":
    main_search() if sys.argv[1:] == ["search"] else main()
