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
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_the_invariants(transactional_db):
    """The database before 0011; migrated to the latest again after the test."""
    yield _migrate(BEFORE)
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_rows_that_break_the_rules_are_mended_and_then_refused(before_the_invariants):
    apps = before_the_invariants
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

    # The lead as 0011 left it: today's model has columns later migrations add.
    MendedLead = _migrate(AFTER).get_model("careers", "Lead")

    assert MendedLead.objects.get(id=closed.id).close_reason == Lead.CloseReason.OTHER
    nobody = MendedLead.objects.get(id=nobody.id)
    assert (nobody.status, nobody.assigned_at) == (Lead.Status.UNASSIGNED, None)
    untimed = MendedLead.objects.get(id=untimed.id)
    assert untimed.assigned_at == untimed.updated_at
    assert MendedLead.objects.get(id=fine.id).close_reason == Lead.CloseReason.LOST


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
