"""A read compiled once answers each call with that call's values, exactly as its queryset."""

from datetime import date

import pytest
from django.db import connection

from careers.models import Advisor, AdvisorAbsence, Lead, Team
from careers.selectors import advisors_with_load
from core.prepared import PreparedRead
from tests.factories import AdvisorFactory, LeadFactory

pytestmark = pytest.mark.django_db

FIELDS = ("id", "name", "open_leads", "is_absent")


def _load(team, on):
    return advisors_with_load(team=team, on=on).values(*FIELDS)


def test_each_call_answers_with_its_own_values(django_assert_num_queries):
    """The same prepared read asked about two teams and two days gives each its own answer,
    what the queryset itself answers, in one statement a call."""
    career = AdvisorFactory(team=Team.CAREER)
    sales = AdvisorFactory(team=Team.SALES)
    AdvisorAbsence.objects.create(
        advisor=career, starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 3)
    )
    read = PreparedRead(_load, team="\x00team", on=date(1, 1, 1))
    asked = [
        (Team.CAREER, date(2026, 12, 2)),
        (Team.CAREER, date(2026, 12, 4)),
        (Team.SALES, date(2026, 12, 2)),
    ]
    for team, on in asked:
        with django_assert_num_queries(1):
            rows = read.rows(team=team, on=on)
        assert rows == list(_load(team, on))
    assert read.rows(team=Team.CAREER, on=date(2026, 12, 2))[0]["is_absent"] is True
    assert read.rows(team=Team.CAREER, on=date(2026, 12, 4))[0]["is_absent"] is False
    assert [row["id"] for row in read.rows(team=Team.SALES, on=date(2026, 12, 2))] == [sales.id]
    if connection.vendor == "postgresql":
        assert read._compiled, "the read was not compiled once for PostgreSQL"


def test_a_sentinel_the_query_does_not_carry_falls_back_to_the_queryset():
    """An argument the compiled SQL has no place for never yields a wrong answer: the
    queryset runs as built."""
    AdvisorFactory(team=Team.CAREER, name="田中")
    # `name` is used only in Python, so it never reaches the SQL's parameters.
    read = PreparedRead(
        lambda team, name: Advisor.objects.filter(team=team).values("name"),
        team="\x00team",
        name="\x00name",
    )
    assert read.rows(team=Team.CAREER, name="田中") == [{"name": "田中"}]
    assert read._compiled is False


def test_instances_are_whole_rows_that_save_like_any_other():
    """A prepared read of model rows gives instances equal to the ORM's, fields decoded
    (JSON included), that save back."""
    lead = LeadFactory()
    read = PreparedRead(lambda lead_id: Lead.objects.filter(id=lead_id), lead_id=-1)
    (found,) = read.instances(lead_id=lead.id)
    expected = Lead.objects.get(id=lead.id)
    for field in Lead._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    found.message = "変更しました"
    found.save(update_fields=["message"])
    assert Lead.objects.get(id=lead.id).message == "変更しました"
    assert read.instances(lead_id=lead.id + 1000) == []
