"""Fault drills: real servers fail during a stream of consultation forms, and nothing is lost.

Each drill prints one line: submitted / thank-you pages / stored / routed / emails / lost.
CI runs them small (40 submissions, outages of seconds); `make drill` runs them at full
size (DRILL_SCALE=full: 300 submissions, Redis down 20 s, PostgreSQL down 10 s).
"""

import json
import threading
import time
import urllib.error
import urllib.request
from http import HTTPStatus

import psycopg
import pytest
from celery import Celery

from tests.support import drills
from tests.support.loadgen import FormStream
from tests.support.processes import wait_for

pytestmark = [pytest.mark.drill, pytest.mark.integration]

ROUTE_TASK = "careers.tasks.routing.route_lead_task"
SEND_TASK = "outbox.tasks.send_email_task"
# The promise: after Redis returns, the sweep routes every waiting lead within this.
SWEEP_PROMISE_SECONDS = 120


def healthz(site) -> tuple[int, dict]:
    # Our own gunicorn on the loopback, over plain http.
    url = f"{site.web.base_url}/healthz"
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def report(
    site,
    title: str,
    stream: FormStream,
    *,
    timeout: float,
    drain: bool = False,
    tolerated: frozenset[str] = frozenset(),
):
    """Wait for the site to catch up, print the drill's line and fail unless the books balance:
    submitted = thank-you pages = stored = routed once = emails sent once."""
    book = site.settle(stream.submissions, timeout=timeout, drain=drain, tolerated=tolerated)
    print(book.line(title))
    problems = book.problems()
    assert not problems, "\n".join([book.line(title), *problems, site.logs()])
    return book


def test_worker_killed_mid_stream_loses_nothing_and_repeats_nothing(site, scale):
    """SIGKILL the Celery worker mid-stream and start it again: every lead is routed once and
    every email sent once."""
    with FormStream(
        drills.HOST, site.web.port, count=scale.submissions, rate=scale.rate, tag=site.tag
    ) as stream:
        stream.wait_started(scale.submissions // 3)
        site.worker.kill()
        # Forms keep arriving with no worker at all, then a new one starts.
        stream.wait_started(scale.submissions // 2)
        drills.start_worker(site.worker)
    # At full size, also wait for the killed worker's unacknowledged messages to come back
    # (after the 2-minute visibility timeout) and be consumed: their redelivery must
    # change nothing either.
    report(
        site,
        f"worker killed ({scale.name})",
        stream,
        timeout=scale.settle,
        drain=scale.name == "full",
    )


def test_broker_down_keeps_every_thanked_lead_and_the_sweep_routes_them(site, scale):
    """Stop Redis (the server process) mid-stream: every thank-you page has a stored lead, and
    after Redis returns the sweep routes them all within two minutes."""
    outage = int(scale.redis_outage * scale.rate)
    start = scale.submissions // 5
    with site.worker_supervised() as worker_restarts:
        with FormStream(
            drills.HOST, site.web.port, count=scale.submissions, rate=scale.rate, tag=site.tag
        ) as stream:
            stream.wait_started(start)
            site.redis.stop()
            stopped_at = time.monotonic()
            stream.wait_started(start + outage)
            wait_for(
                lambda: time.monotonic() - stopped_at >= scale.redis_outage,
                timeout=scale.redis_outage + 5,
                message="outage shorter than planned",
            )
            site.redis.start()
            back_at = time.monotonic()
        outage_seconds = back_at - stopped_at
        book = report(
            site,
            f"broker down {outage_seconds:.0f} s ({scale.name})",
            stream,
            timeout=SWEEP_PROMISE_SECONDS + 60,
        )
    during = [s for s in stream.submissions if start <= s.index < start + outage]
    assert during, "no submission arrived while Redis was down"
    routed_after = book.routed_at - back_at
    print(
        f"DRILL broker down: every lead routed {routed_after:.0f} s after Redis returned; "
        f"worker restarted by its supervisor {len(worker_restarts)} times"
    )
    for tail in worker_restarts:
        print(f"DRILL broker down: the worker had exited:\n{tail}")
    assert all(s.saw_thanks for s in during), book.outcomes.counts
    assert routed_after <= SWEEP_PROMISE_SECONDS


def test_database_down_answers_the_friendly_page_and_resumes_by_itself(site, scale):
    """Stop PostgreSQL mid-stream: 503 pages in Japanese (never a 500 or a trace), nothing
    half-written, /healthz 503 then 200, and service resumes with no restart of web or worker."""
    web_pid, worker_pid = site.web.pid, site.worker.pid
    outage = int(scale.database_outage * scale.rate)
    start = scale.submissions // 5
    health_during = None
    with FormStream(
        drills.HOST, site.web.port, count=scale.submissions, rate=scale.rate, tag=site.tag
    ) as stream:
        stream.wait_started(start)
        site.cluster.stop()
        stopped_at = time.monotonic()

        def unavailable():
            status, body = healthz(site)
            return body if status == HTTPStatus.SERVICE_UNAVAILABLE else None

        health_during = wait_for(
            unavailable, timeout=30, message="/healthz never said 503 while PostgreSQL was down"
        )
        stream.wait_started(start + outage)
        wait_for(
            lambda: time.monotonic() - stopped_at >= scale.database_outage,
            timeout=scale.database_outage + 5,
            message="outage shorter than planned",
        )
        site.cluster.start()
        back_at = time.monotonic()
    outage_seconds = back_at - stopped_at
    wait_for(
        lambda: healthz(site)[0] == HTTPStatus.OK,
        timeout=60,
        message="/healthz never came back to 200",
    )
    # The friendly 503, on the form or on the thank-you page, is the one page other than a
    # thank-you page a candidate may see here.
    book = report(
        site,
        f"database down {outage_seconds:.0f} s ({scale.name})",
        stream,
        timeout=scale.settle,
        tolerated=frozenset({"unavailable", "thanks_unavailable"}),
    )
    outcomes = book.outcomes
    print(f"DRILL database down: friendly 503 pages {outcomes['unavailable']}")
    assert health_during.get("failing") == ["database"]
    assert outcomes["unavailable"] > 0, "no submission met the outage"
    after = [s for s in stream.submissions if s.started_at > outage_seconds + start / scale.rate]
    assert after, "no submission arrived after PostgreSQL returned"
    assert all(s.saw_thanks for s in after[-5:]), "service did not resume"
    # No restart: the same gunicorn master and Celery worker served before and after.
    assert (site.web.pid, site.worker.pid) == (web_pid, worker_pid)
    assert site.web.is_running()
    assert site.worker.is_running()


def test_duplicate_delivery_assigns_and_sends_nothing_twice(site, scale):
    """Enqueue every routing and email task a second time, racing the first: nothing is
    assigned or sent twice."""
    client = Celery("drill-duplicates", broker=site.redis.url(), set_as_current=False)
    client.conf.update(task_serializer="json", accept_content=["json"])
    doubled = {"leads": set(), "notifications": set()}
    done = threading.Event()

    def double_everything() -> None:
        with psycopg.connect(site.database_url, autocommit=True) as connection:
            while not done.is_set():
                leads = [row[0] for row in connection.execute("SELECT id FROM careers_lead")]
                emails = [row[0] for row in connection.execute("SELECT id FROM outbox_email")]
                for lead_id in set(leads) - doubled["leads"]:
                    client.send_task(ROUTE_TASK, args=[lead_id], queue="routing")
                    doubled["leads"].add(lead_id)
                for notification_id in set(emails) - doubled["notifications"]:
                    client.send_task(SEND_TASK, args=[notification_id], queue="email")
                    doubled["notifications"].add(notification_id)
                done.wait(0.1)

    doubler = threading.Thread(target=double_everything, daemon=True)
    doubler.start()
    try:
        with FormStream(
            drills.HOST, site.web.port, count=scale.submissions, rate=scale.rate, tag=site.tag
        ) as stream:
            pass
        book = site.settle(stream.submissions, timeout=scale.settle)
        # The assignment emails appear last: wait until their second copy was enqueued too.
        wait_for(
            lambda: doubled["notifications"] >= {row["id"] for row in book.notifications},
            timeout=30,
            message="not every email task was enqueued twice",
        )
    finally:
        done.set()
        doubler.join(timeout=30)
        client.close()
    # Every copy consumed before counting: a second assignment or email would show now.
    report(site, f"duplicate delivery ({scale.name})", stream, timeout=scale.settle, drain=True)
    print(
        f"DRILL duplicate delivery: {len(doubled['leads'])} routing and "
        f"{len(doubled['notifications'])} email tasks enqueued a second time"
    )
