"""Migration 0011 puts the lead invariants in the database, mending old rows first."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from careers.models import Lead
from tests.factories import LeadFactory

BEFORE = [("careers", "0010_notification_to_outbox")]
AFTER = [("careers", "0011_lead_invariants")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_rows_that_break_the_rules_are_mended_and_then_refused():
    apps = _migrate(BEFORE)
    OldLead = apps.get_model("careers", "Lead")
    OldAdvisor = apps.get_model("careers", "Advisor")
    advisor = OldAdvisor.objects.create(
        name="旧 担当", email="old@example.com", team="career", specialty="ai", capacity=5
    )
    now = timezone.now()

    def old_lead(reference, **fields):
        return OldLead.objects.create(
            reference=reference,
            name="山田 太郎",
            email=f"{reference}@example.com",
            interest="ai",
            consent_version="1",
            consented_at=now,
            **fields,
        )

    closed = old_lead("PW-OLD1-0001", status="closed")
    nobody = old_lead("PW-OLD1-0002", status="assigned", assigned_at=now)
    untimed = old_lead("PW-OLD1-0003", status="assigned", advisor=advisor)
    fine = old_lead("PW-OLD1-0004", status="closed", close_reason="lost")

    _migrate(AFTER)

    assert Lead.objects.get(id=closed.id).close_reason == Lead.CloseReason.OTHER
    nobody = Lead.objects.get(id=nobody.id)
    assert (nobody.status, nobody.assigned_at) == (Lead.Status.UNASSIGNED, None)
    untimed = Lead.objects.get(id=untimed.id)
    assert untimed.assigned_at == untimed.updated_at
    assert Lead.objects.get(id=fine.id).close_reason == Lead.CloseReason.LOST


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"status": Lead.Status.CLOSED, "close_reason": ""},
        {"status": Lead.Status.ASSIGNED, "advisor": None},
        {"status": Lead.Status.ASSIGNED, "assigned_at": None},
    ],
)
def test_the_database_refuses_a_lead_that_breaks_the_pipeline_rules(fields):
    """A closed lead without its reason, an assigned one without advisor or time."""
    with pytest.raises(IntegrityError), transaction.atomic():
        LeadFactory(**fields)
