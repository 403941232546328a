"""`make lighthouse`: Lighthouse on a phone, every public page, production posture; writes
docs/lighthouse.md.

1. Lighthouse and Chromium are found (LIGHTHOUSE, var/tools/lighthouse or PATH; CHROME_PATH or
   PATH), else the run stops at once, saying how to install them, and exits 0.
2. A fresh database `<name>_lighthouse` (as `make bench` makes its own), REDIS_URL's database
   flushed; migrate, collectstatic, load_demo_content, with uploads in var/lighthouse/media
   served by the web process (MEDIA_STORAGE=filesystem).
3. gunicorn with config/gunicorn.conf.py on a free loopback port, DEBUG off. Plain http, as
   Lighthouse reaches it without a TLS proxy: DJANGO_SECURE_SSL_REDIRECT=0. Django sends HSTS
   only over https, and Chromium takes the __Host- secure cookies from 127.0.0.1 (a secure
   context), so the best-practices audit sees what a reader behind the proxy gets.
4. Each page is requested once (the page cache warm, as readers find it), then Lighthouse runs
   LIGHTHOUSE_RUNS times (3) with its default mobile emulation and simulated slow 4G; the run
   with the median performance score is reported, as Lighthouse's own docs advise.
5. docs/lighthouse.md: the four scores, TBT, LCP and console errors per page, every audit that
   cost a point, the date, the commit, the load average and the versions.

Knobs (environment): LIGHTHOUSE_RUNS (3), LIGHTHOUSE_PAGES (comma-separated names, all by
default), LIGHTHOUSE_OUTPUT.
"""

import datetime
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

from config.env import env_int, env_list  # noqa: E402 - after the path is set
from tests.bench import run as bench  # noqa: E402
from tests.support import drills  # noqa: E402

WORK_DIR = BASE_DIR / "var" / "lighthouse"
REPORT_DIR = WORK_DIR / "reports"
LOG_DIR = WORK_DIR / "logs"
OUTPUT = Path(os.environ.get("LIGHTHOUSE_OUTPUT", BASE_DIR / "docs" / "lighthouse.md"))
RUNS = env_int("LIGHTHOUSE_RUNS", 3, minimum=1)
LOCAL_LIGHTHOUSE = (
    BASE_DIR / "var" / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
)
INSTALL_HINT = (
    "install it into the ignored tool folder with "
    "`npm install --prefix var/tools/lighthouse lighthouse` (or set LIGHTHOUSE to its path)"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Lighthouse now and then loses its trace on a busy machine (NO_NAVSTART); such a run is
# taken again, not reported.
ATTEMPTS_PER_RUN = 3
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def say(message: str) -> None:
    print(f"[lighthouse {time.strftime('%H:%M:%S')}] {message}", flush=True)


def find_lighthouse() -> str | None:
    if given := os.environ.get("LIGHTHOUSE"):
        return shutil.which(given)
    if LOCAL_LIGHTHOUSE.exists():
        return str(LOCAL_LIGHTHOUSE)
    return shutil.which("lighthouse")


def find_chromium() -> str | None:
    if given := os.environ.get("CHROME_PATH"):
        return shutil.which(given)
    return next(
        filter(None, (shutil.which(name) for name in ("chromium", "chromium-browser", "chrome"))),
        None,
    )


def japanese_fonts() -> str:
    """Which Japanese fonts Chromium can use here: without one, its layout of the text differs
    from a reader's phone (fallback glyphs, each looked up in vain)."""
    if not shutil.which("fc-list"):
        return "unknown (no fc-list)"
    result = subprocess.run(
        ["fc-list", ":lang=ja", "family"], capture_output=True, text=True, check=False
    )
    families = sorted({line.split(",")[0] for line in result.stdout.splitlines() if line})
    return ", ".join(families) if families else "none installed"


def version_of(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "unknown"


# ------------------------------------------------------------------------------
# The site
# ------------------------------------------------------------------------------
def site_env(database_url: str, redis_url: str) -> dict[str, str]:
    return drills.site_env(
        database_url=database_url,
        redis_url=redis_url,
        mail_dir=WORK_DIR / "mail",
        # Lighthouse talks to gunicorn directly: no proxy, no TLS.
        TRUSTED_PROXY_COUNT="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
        MEDIA_STORAGE="filesystem",
        MEDIA_ROOT=str(WORK_DIR / "media"),
    )


def load_pages() -> dict[str, str]:
    """Demo content in the fresh database, and the path of each public page to measure."""
    from django.core.management import call_command
    from django.urls import reverse

    from news.models import Article
    from projects.models import Project

    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load_demo_content")
    # The richest article: newest public one with a hero image, an author and a category.
    article = (
        Article.objects.public()
        .exclude(hero_image="")
        .filter(authors__isnull=False, categories__isnull=False)
        .order_by("-published_at")
        .first()
    )
    # An open one: a closed project's page is noindex on purpose, and SEO would say so.
    project = Project.objects.accepting().order_by("-pk").first()
    if article is None or project is None:
        raise SystemExit("load_demo_content made no article with an author, or no open project")
    return {
        "home": reverse("news:home"),
        "article": article.get_absolute_url(),
        "category": article.categories.first().get_absolute_url(),
        "author": reverse("news:author", args=[article.authors.first().slug]),
        "consultation": reverse("careers:consultation"),
        "recruiters": reverse("careers:recruiters"),
        "projects": reverse("projects:list"),
        "project": project.get_absolute_url(),
        "newsletter": reverse("newsletter:signup"),
    }


def warm(base_url: str, path: str) -> None:
    status, body, _ = bench.http_get(base_url, path)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}: {body[:300]!r}")


# ------------------------------------------------------------------------------
# Lighthouse
# ------------------------------------------------------------------------------
@dataclass
class Run:
    scores: dict[str, int]
    total_blocking_time_ms: float
    largest_contentful_paint_ms: float
    console_errors: list[str]
    lost_points: dict[str, list[str]]

    @classmethod
    def from_report(cls, report: dict) -> "Run":
        audits = report["audits"]
        lost_points = {}
        for key in CATEGORIES:
            category = report["categories"][key]
            # Performance loses points on its metrics, shown in the table; the other three
            # on audits that pass or fail.
            if key == "performance":
                continue
            lost_points[key] = [
                audits[ref["id"]]["title"]
                for ref in category["auditRefs"]
                if ref["weight"] > 0 and (audits[ref["id"]].get("score") or 0) < 1
            ]
        console = audits["errors-in-console"].get("details", {}).get("items", [])
        return cls(
            scores={key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES},
            total_blocking_time_ms=audits["total-blocking-time"]["numericValue"],
            largest_contentful_paint_ms=audits["largest-contentful-paint"]["numericValue"],
            console_errors=[item.get("description", "") for item in console],
            lost_points=lost_points,
        )


def lighthouse_once(lighthouse: str, chromium: str, url: str, output: Path) -> Run:
    command = [
        lighthouse,
        url,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        # Root in a container has no user namespace for Chromium's sandbox.
        "--chrome-flags=--headless=new --no-sandbox",
    ]
    for attempt in range(1, ATTEMPTS_PER_RUN + 1):
        output.unlink(missing_ok=True)
        result = subprocess.run(
            command,
            env={**os.environ, "CHROME_PATH": chromium},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        report = json.loads(output.read_text()) if output.exists() else {}
        if result.returncode == 0 and report and not report.get("runtimeError"):
            return Run.from_report(report)
        reason = (report.get("runtimeError") or {}).get("code") or result.stderr[-300:]
        say(f"  attempt {attempt} lost its trace ({reason}); again")
    raise RuntimeError(f"Lighthouse failed {ATTEMPTS_PER_RUN} times on {url}")


@dataclass
class PageResult:
    name: str
    path: str
    runs: list[Run]

    @property
    def median(self) -> Run:
        ordered = sorted(self.runs, key=lambda run: run.scores["performance"])
        return ordered[len(ordered) // 2]

    def misses(self) -> list[str]:
        median = self.median
        missed = [
            f"{key} {median.scores[key]} < {target}"
            for key, target in TARGETS.items()
            if median.scores[key] < target
        ]
        if median.console_errors:
            missed.append(f"{len(median.console_errors)} console error(s)")
        return missed


def measure(lighthouse: str, chromium: str, base_url: str, pages: dict[str, str]):
    results = []
    for name, path in pages.items():
        warm(base_url, path)
        runs = []
        for number in range(1, RUNS + 1):
            run = lighthouse_once(
                lighthouse, chromium, base_url + path, REPORT_DIR / f"{name}-{number}.json"
            )
            say(
                f"{name} {path} run {number}: {run.scores}, TBT {run.total_blocking_time_ms:.0f} ms"
            )
            runs.append(run)
        results.append(PageResult(name, path, runs))
    return results


# ------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------
def write_report(results: list[PageResult], context: dict) -> None:
    lines = [
        "# Lighthouse: every public page on a phone",
        "",
        "Written by `make lighthouse` (tests/bench/lighthouse.py) from a real run; do not edit "
        "by hand. Targets: performance at least 95, accessibility, best practices and SEO 100, "
        "no console error.",
        "",
        f"- Date: {context['date']}, commit {context['commit']}{context['dirty']}",
        f"- CPUs: {os.cpu_count()}; load average (1 min) at start / end: "
        f"{context['load_start']} / {context['load_end']}{context['load_note']}",
        f"- {context['lighthouse']} (`--only-categories={','.join(CATEGORIES)}`, its default "
        "mobile emulation: Moto G Power screen, 4× CPU slowdown, simulated slow 4G), "
        f"{context['chromium']} headless; Japanese fonts: {context['japanese_fonts']}",
        f"- Site: {context['database']}; gunicorn with config/gunicorn.conf.py, DEBUG off, "
        "page cache on and warmed by one request per page, uploads served from the filesystem "
        "at /media/, plain http on 127.0.0.1 (DJANGO_SECURE_SSL_REDIRECT=0, no proxy)",
        f"- Runs per page: {RUNS}; the table shows the run with the median performance score, "
        "and the performance of every run",
        "",
        "| page | path | performance | accessibility | best practices | SEO "
        "| TBT | LCP | console errors | performance, every run |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for result in results:
        median = result.median
        every_run = ", ".join(str(run.scores["performance"]) for run in result.runs)
        lines.append(
            f"| {result.name} | `{result.path}` | "
            + " | ".join(str(median.scores[key]) for key in CATEGORIES)
            + f" | {median.total_blocking_time_ms:.0f} ms"
            f" | {median.largest_contentful_paint_ms:.0f} ms"
            f" | {len(median.console_errors)} | {every_run} |"
        )
    lines += ["", "## Against the targets", ""]
    missed_any = False
    for result in results:
        misses = result.misses()
        lost = {key: titles for key, titles in result.median.lost_points.items() if titles}
        if misses or lost:
            missed_any = True
            detail = "; ".join(f"{key}: {', '.join(titles)}" for key, titles in lost.items())
            errors = "; ".join(result.median.console_errors)
            lines.append(
                f"- **{result.name}**: {', '.join(misses) or 'targets met'}"
                + (f" (audits that cost points: {detail})" if detail else "")
                + (f" (console: {errors})" if errors else "")
            )
    if not missed_any:
        lines.append("Every page met every target in its median run.")
    lines += [
        "",
        "## How to run it",
        "",
        "```",
        "npm install --prefix var/tools/lighthouse lighthouse   # once; var/ is not committed",
        "make lighthouse                                         # LIGHTHOUSE_RUNS=3 by default",
        "```",
        "",
        "It needs DATABASE_URL's PostgreSQL server (or makes an SQLite file), REDIS_URL (its "
        "database is flushed) and Debian's chromium. The JSON reports of every run stay in "
        "var/lighthouse/reports/ for reading a failing audit in full.",
        "",
    ]
    OUTPUT.write_text("\n".join(lines))


def main() -> None:
    lighthouse = find_lighthouse()
    if lighthouse is None:
        print(f"make lighthouse: skipped, Lighthouse is not installed: {INSTALL_HINT}.")
        return
    chromium = find_chromium()
    if chromium is None:
        print(
            "make lighthouse: skipped, no Chromium: install Debian's `chromium` "
            "(apt-get install chromium) or set CHROME_PATH."
        )
        return
    wanted = env_list("LIGHTHOUSE_PAGES", [])
    started = datetime.datetime.now(datetime.UTC)
    load_start = bench.load_average()
    for directory in (REPORT_DIR, LOG_DIR, WORK_DIR / "media", WORK_DIR / "mail"):
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
    database_url, database_label = bench.prepare_database("lighthouse", WORK_DIR)
    redis_url, _ = bench.prepare_redis()
    env = site_env(database_url, redis_url)
    os.environ.update(env)
    import django

    django.setup()
    pages = load_pages()
    if wanted:
        pages = {name: path for name, path in pages.items() if name in wanted}
    say(f"pages: {pages}")
    with drills.Gunicorn(env=env, log_dir=LOG_DIR) as server:
        bench.wait_until_serving(server)
        results = measure(lighthouse, chromium, server.base_url, pages)
    load_end = bench.load_average()
    busy = float(load_start) > 1 or float(load_end) > 1
    write_report(
        results,
        {
            "date": started.strftime("%Y-%m-%d %H:%M UTC"),
            "commit": bench.git("rev-parse", "--short", "HEAD"),
            "dirty": " (with uncommitted changes)"
            if bench.git("status", "--porcelain", "--untracked-files=no")
            else "",
            "load_start": load_start,
            "load_end": load_end,
            "load_note": (
                "; other work was running on the machine, and total blocking time grows with "
                "it (Lighthouse multiplies the main thread's observed work by 4)"
                if busy
                else ""
            ),
            "lighthouse": f"Lighthouse {version_of([lighthouse, '--version'])}",
            "chromium": version_of([chromium, "--version"]),
            "japanese_fonts": japanese_fonts(),
            "database": database_label,
        },
    )
    say(f"wrote {OUTPUT}")
    for result in results:
        if misses := result.misses():
            say(f"{result.name}: {', '.join(misses)}")


if __name__ == "__main__":
    main()
