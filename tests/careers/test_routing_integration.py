"""Routing with real PostgreSQL, Redis and Celery worker processes started by the test.

Leads are routed by worker processes racing each other (two workers, four pool
children in all); the pool lock must keep capacity and fairness exact, and a worker
killed mid-burst must cost no lead and no double assignment.
"""

import itertools
import re
import threading
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from careers.models import Advisor, Lead, LeadEvent
from careers.roles import MANAGER_GROUP
from careers.routing import covers
from careers.services.pipeline import ROUTE_LEAD_TASK, lead_route, routing_sweep
from careers.tasks.routing import route_lead_task, routing_sweep_task, sla_check_task
from outbox.models import Email
from outbox.services import SEND_MANY_TASK
from tests.factories import (
    AdvisorFactory,
    LeadFactory,
    UserFactory,
    consultation_form_data,
    lead_submit,
)
from tests.support import processes
from tests.support.concurrency import run_at_once
from tests.support.mail import mail_to
from tests.support.processes import task_result, wait_for
from tests.support.services import require_postgresql

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

INTERESTS = ("ai", "web3", "both")


@pytest.fixture
def team():
    """Four career advisors per specialty, equal capacity: 240 seats for a 200-lead burst."""
    return [
        AdvisorFactory(name=f"{specialty}-{n}", specialty=specialty, capacity=20)
        for specialty in INTERESTS
        for n in range(4)
    ]


@pytest.fixture
def manager():
    user = UserFactory(username="manager", email="manager@example.com", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])
    return user


@pytest.fixture
def second_worker(celery_worker_process, tmp_path):
    worker = processes.celery_worker(
        log_dir=tmp_path,
        name="worker-b",
        env={
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(celery_worker_process.mail_dir),
        },
    )
    with worker:
        worker.wait_for_log("ready.", timeout=60)
        yield worker


def count_assigned():
    return Lead.objects.filter(status=Lead.Status.ASSIGNED).count()


def assert_routed_exactly_once_and_fairly(total):
    """The invariants of a burst, read back from the database."""
    leads = list(Lead.objects.select_related("advisor"))
    assert len(leads) == total
    assert all(lead.status == Lead.Status.ASSIGNED for lead in leads)
    # Every lead went to an advisor whose specialty covers its interest.
    assert all(covers(lead.advisor.specialty, lead.interest) for lead in leads)
    # Exactly one routing decision per lead, and nothing was reassigned.
    routed = Counter(
        LeadEvent.objects.filter(kind=LeadEvent.Kind.ROUTED).values_list("lead_id", flat=True)
    )
    assert sorted(routed) == sorted(lead.id for lead in leads)
    assert set(routed.values()) == {1}
    assert not LeadEvent.objects.filter(kind=LeadEvent.Kind.REASSIGNED).exists()
    # No capacity exceeded; advisors of one specialty end within one lead of each other.
    loads = defaultdict(list)
    advisors = Advisor.objects.annotate(
        open_leads=Count("leads", filter=Q(leads__status=Lead.Status.ASSIGNED))
    )
    for advisor in advisors:
        assert advisor.open_leads <= advisor.capacity
        loads[advisor.specialty].append(advisor.open_leads)
    for specialty, counts in loads.items():
        assert max(counts) - min(counts) <= 1, (specialty, counts)
    return loads


def test_a_submitted_lead_is_two_messages_assigned_with_both_emails_sent(
    client, celery_worker_process
):
    """The form rings routing alone; routing rings one message for both emails."""
    advisor = AdvisorFactory(email="advisor@example.com")
    response = client.post("/consultation/", consultation_form_data())
    assert response.status_code == HTTPStatus.SEE_OTHER
    lead = Lead.objects.get()
    mail_dir = celery_worker_process.mail_dir
    wait_for(
        lambda: mail_to(mail_dir, "taro@example.com") and mail_to(mail_dir, advisor.email),
        timeout=30,
        message="the confirmation and the advisor's email never both went out",
    )
    lead.refresh_from_db()
    assert (lead.status, lead.advisor) == (Lead.Status.ASSIGNED, advisor)
    assert set(Email.objects.filter(lead=lead).values_list("kind", "status")) == {
        ("lead_confirmation", Email.Status.SENT),
        ("lead_assigned", Email.Status.SENT),
    }
    # The worker logs "Task <name>[<id>] received" for each message it takes.
    received = re.findall(r"Task (\S+)\[[^\]]+\] received", celery_worker_process.log())
    assert received == [ROUTE_LEAD_TASK, SEND_MANY_TASK]


def test_a_burst_of_200_concurrent_submissions_is_routed_exactly_once_and_fairly(
    team, celery_worker_process, second_worker
):
    """Eight threads submit through the capture service; two workers route concurrently."""
    total, threads = 200, 8
    interests = list(itertools.islice(itertools.cycle(INTERESTS), total))
    errors = []

    def submit(chunk):
        try:
            for n in chunk:
                lead_submit(
                    name=f"候補者{n}",
                    email=f"burst{n}@example.com",
                    interest=interests[n],
                    message="よろしくお願いします。",
                )
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    workers = [
        threading.Thread(target=submit, args=(range(i, total, threads),)) for i in range(threads)
    ]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    assert errors == []

    # How fast is the bench's question (tests/bench); here, only that it all happens.
    wait_for(lambda: count_assigned() == total, timeout=120, message="the burst was not routed")

    assert_routed_exactly_once_and_fairly(total)
    # Both worker processes took part in the race.
    assert "route_lead_task" in celery_worker_process.log()
    assert "route_lead_task" in second_worker.log()


def test_a_worker_killed_mid_burst_loses_no_lead_and_routes_none_twice(
    team, celery_worker_process, tmp_path
):
    """SIGKILL the only worker mid-burst, start another; the sweep finds what was in flight."""
    total = 200
    interests = itertools.cycle(INTERESTS)
    lead_ids = [LeadFactory(interest=next(interests)).id for _ in range(total)]
    for lead_id in lead_ids:
        route_lead_task.delay(lead_id)

    wait_for(lambda: count_assigned() >= 20, timeout=60, message="the burst never started")
    celery_worker_process.kill()
    routed_before_kill = count_assigned()
    assert routed_before_kill < total, "the burst was over before the kill"

    replacement = processes.celery_worker(
        log_dir=tmp_path,
        name="worker-replacement",
        env={
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(celery_worker_process.mail_dir),
        },
    )
    with replacement:
        replacement.wait_for_log("ready.", timeout=60)
        broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        wait_for(
            lambda: broker.llen("routing") == 0,
            timeout=90,
            message="the replacement never drained the queue",
        )
        # The killed worker's reserved messages come back only after the 120 s visibility
        # timeout; the sweep (beat, every 15 s) is what bounds recovery. Run it now, through
        # the worker, with a clock two minutes on so those leads count as lost. Routing
        # tasks may still be running: the sweep racing them must route nothing twice.
        later = (timezone.now() + timedelta(minutes=2)).isoformat()
        routing_sweep_task.delay(now=later)
        wait_for(lambda: count_assigned() == total, timeout=60, message="leads were lost")
        broker.close()

    assert_routed_exactly_once_and_fairly(total)


def test_nobody_eligible_waits_mails_managers_once_and_flows_after_capacity_and_sweep(
    manager, celery_worker_process
):
    advisor = AdvisorFactory(capacity=1, email="full@example.com")
    LeadFactory(advisor=advisor, status=Lead.Status.CONTACTED)
    lead = lead_submit(name="待機 太郎", email="waiting@example.com", interest="ai")

    wait_for(
        lambda: Lead.objects.get(id=lead.id).status == Lead.Status.UNASSIGNED,
        timeout=30,
        message="the lead was not marked unassigned",
    )
    mail_dir = celery_worker_process.mail_dir
    wait_for(
        lambda: mail_to(mail_dir, "manager@example.com", lead.reference),
        timeout=30,
        message="the managers were not mailed",
    )
    # Two sweeps retry the waiting lead, find nobody again and stay quiet: no event, no
    # second alert to the managers.
    for _ in range(2):
        sweep = routing_sweep_task.delay()
        assert task_result(celery_worker_process, sweep.id) == "0"
    assert Lead.objects.get(id=lead.id).status == Lead.Status.UNASSIGNED
    assert lead.events.filter(kind=LeadEvent.Kind.UNASSIGNED).count() == 1
    assert Email.objects.filter(kind="lead_unassigned", lead=lead).count() == 1

    Advisor.objects.filter(id=advisor.id).update(capacity=2)
    routing_sweep_task.delay()
    wait_for(
        lambda: Lead.objects.get(id=lead.id).advisor_id == advisor.id,
        timeout=30,
        message="the sweep did not assign the waiting lead",
    )
    wait_for(
        lambda: mail_to(mail_dir, "full@example.com", lead.reference),
        timeout=30,
        message="the advisor was not mailed",
    )
    assert len(mail_to(mail_dir, "manager@example.com", lead.reference)) == 1
    assert Email.objects.filter(kind="lead_unassigned", lead=lead).count() == 1
    kinds = Counter(Lead.objects.get(id=lead.id).events.values_list("kind", flat=True))
    assert kinds[LeadEvent.Kind.UNASSIGNED] == 1
    assert kinds[LeadEvent.Kind.ROUTED] == 1


def test_a_full_sla_cycle_through_the_worker_with_a_controlled_clock(
    manager, celery_worker_process
):
    tokyo = ZoneInfo("Asia/Tokyo")
    first = AdvisorFactory(name="佐藤", email="sato@example.com")
    second = AdvisorFactory(name="鈴木", email="suzuki@example.com")
    lead = LeadFactory()
    # Wednesday 11:00: due Thursday 11:00, reminded Wednesday 18:00.
    lead_route(lead_id=lead.id, now=datetime(2026, 6, 10, 11, 0, tzinfo=tokyo))

    def events(kind):
        return LeadEvent.objects.filter(lead=lead, kind=kind).count()

    def check_at(moment, kind, count):
        sla_check_task.delay(now=moment.isoformat())
        wait_for(lambda: events(kind) == count, timeout=30, message=f"no {kind} event")

    check_at(datetime(2026, 6, 10, 18, 5, tzinfo=tokyo), LeadEvent.Kind.SLA_REMINDER, 1)
    check_at(datetime(2026, 6, 11, 11, 1, tzinfo=tokyo), LeadEvent.Kind.SLA_BREACHED, 1)
    check_at(datetime(2026, 6, 12, 11, 1, tzinfo=tokyo), LeadEvent.Kind.REASSIGNED, 1)

    lead.refresh_from_db()
    assert lead.advisor == second
    assert events(LeadEvent.Kind.SLA_BREACHED) == 2
    mail_dir = celery_worker_process.mail_dir
    wait_for(
        lambda: (
            len(mail_to(mail_dir, "manager@example.com", "期限超過")) == 2
            and mail_to(mail_dir, "suzuki@example.com", lead.reference)
        ),
        timeout=30,
        message="the SLA emails were not all sent",
    )
    assert len(mail_to(mail_dir, first.email, "リマインド")) == 1


def test_sweeps_on_several_hosts_at_once_route_each_lost_lead_once(team):
    """Three sweeps racing over the same lost leads (three beat hosts): no double routing."""
    require_postgresql()
    total = 60
    interests = itertools.cycle(INTERESTS)
    lead_ids = [LeadFactory(interest=next(interests)).id for _ in range(total)]
    later = timezone.now() + timedelta(minutes=2)

    results = run_at_once(lambda: routing_sweep(now=later).routed, times=3)

    assert sum(results) == total
    assert sorted(Lead.objects.values_list("id", flat=True)) == sorted(lead_ids)
    assert_routed_exactly_once_and_fairly(total)
