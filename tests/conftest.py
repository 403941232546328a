from collections import Counter
from importlib import import_module
from unittest import mock

import pytest
from celery.utils import uuid
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.cache import caches
from kombu import serialization

from config.celery import app as celery_app
from core import doorbell
from news.cache import cache_clear
from news.permissions import CHIEF_EDITOR_GROUP
from tests.support import processes
from tests.support.broker import CLOSED_BROKER, point_app_at
from tests.support.services import (
    FULL_SUITE_COMMAND,
    require_chromium,
    require_postgresql,
    require_redis,
)

# Without these, Chromium keeps dialling out to hosts this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and cached pages must not leak from one test into the next."""
    yield
    cache_clear()
    caches["counters"].clear()


@pytest.fixture
def staff_roles(db):
    """The groups of the roles data migrations; recreated after a transactional test's flush."""
    if not Group.objects.filter(name=CHIEF_EDITOR_GROUP).exists():
        careers_roles = import_module("careers.migrations.0003_staff_roles")
        # Since outbox/migrations/0001_initial.py the managers' outbox grant is outbox.view_email.
        moved = [
            ("outbox", "view_email") if pair == ("careers", "view_notification") else pair
            for pair in careers_roles.MANAGER_PERMISSIONS
        ]
        with mock.patch.object(careers_roles, "MANAGER_PERMISSIONS", moved):
            careers_roles.create_roles(django_apps, None)
        import_module("news.migrations.0005_chief_editor_role").grant(django_apps, None)


@pytest.fixture
def real_broker():
    """Publish tasks to the real Redis broker, where a worker process can take them."""
    require_redis()
    celery_app.control.purge()


class DoorbellRings:
    """The tasks a unit test's services published, held here instead of in a broker.

    The doorbell runs as it does in production (its quiet period, its task lookup, Celery's
    argument check); only the message stays in this process, so a test says which work it
    runs and when, as a worker would, instead of Celery running it in the middle of a commit.
    """

    def __init__(self, capture_on_commit):
        self.pending: list[tuple[str, tuple]] = []
        # The publishing options of each message ever published (countdown, retries…), in order.
        self.options: list[dict] = []
        self._capture_on_commit = capture_on_commit

    def publish(self, name, args=None, kwargs=None, **options):
        # Through the broker's JSON, so a task given something a broker cannot carry fails here.
        content_type, encoding, data = serialization.dumps((args or (), kwargs or {}), "json")
        args, kwargs = serialization.loads(data, content_type, encoding, accept=[content_type])
        assert not kwargs, f"{name}: the doorbell publishes positional arguments only"
        self.pending.append((name, tuple(args)))
        self.options.append(options)
        return celery_app.AsyncResult(uuid())

    def run_next(self) -> str:
        """Run the first held task alone, as run() does; its name."""
        name, args = self.pending.pop(0)
        with self._capture_on_commit(execute=True):
            doorbell.task_named(name)(*args)
        return name

    def run(self) -> list[str]:
        """Run every held task in order, and the tasks they ring in turn, with their
        after-commit work; the names of the tasks run."""
        ran = []
        while self.pending:
            ran.append(self.run_next())
        return ran


@pytest.fixture(autouse=True)
def doorbell_rings(request, monkeypatch, django_capture_on_commit_callbacks):
    """What the doorbell published in this test (`.pending`, as (task name, args)); `.run()`
    does that work. Tests with a real broker publish to it instead, and get None."""
    if "real_broker" in request.fixturenames:
        yield None
        return
    rings = DoorbellRings(django_capture_on_commit_callbacks)
    monkeypatch.setattr(celery_app, "send_task", rings.publish)
    yield rings


@pytest.fixture
def broker_down(settings, real_broker):
    """The web side of the app publishes to a closed port; a worker keeps real Redis.

    Yields a function that brings the broker back.
    """
    working = celery_app.conf.broker_url
    settings.CELERY_BROKER_URL = CLOSED_BROKER
    point_app_at(CLOSED_BROKER)
    doorbell.reset()

    def broker_back():
        point_app_at(working)
        # The process would try again by itself after QUIET_SECONDS; tests do not wait.
        doorbell.reset()

    yield broker_back
    broker_back()


@pytest.fixture
def celery_worker_process(transactional_db, real_broker, tmp_path):
    """A real Celery worker process on real Redis and PostgreSQL; stopped after the test."""
    require_postgresql()
    mail_dir = tmp_path / "mail"
    worker = processes.celery_worker(
        log_dir=tmp_path,
        env={
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
        },
    )
    worker.mail_dir = mail_dir
    with worker:
        worker.wait_for_log("ready.", timeout=60)
        yield worker


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian Chromium driven by Playwright; never a downloaded browser."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def desktop_page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(chromium):
    context = chromium.new_context(
        viewport={"width": 375, "height": 740}, locale="ja-JP", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


def _skip_reason(report) -> str:
    """'needs PostgreSQL' from 'Skipped: needs PostgreSQL: set DATABASE_URL=…'."""
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    return reason.removeprefix("Skipped: ").split(":")[0]


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter):
    """One line after every other summary, just above the final tally: how many tests were
    skipped, why, and how to run them all."""
    yield
    skipped = terminalreporter.stats.get("skipped", [])
    if not skipped:
        return
    reasons = Counter(_skip_reason(report) for report in skipped)
    why = ", ".join(f"{reason} ({count})" for reason, count in reasons.most_common())
    terminalreporter.write_line(
        f"{len(skipped)} tests skipped: {why}. Run them all with: {FULL_SUITE_COMMAND}",
        yellow=True,
        bold=True,
    )
