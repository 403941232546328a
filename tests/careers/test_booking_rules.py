"""Booking follows the team's published rule set: slots only from the advisors it allows."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from careers.booking.selectors import booking_slots_for
from careers.booking.services import BookingError, booking_schedule
from careers.models import Booking, Lead, LeadEvent, RuleSet, Team
from careers.routing import Exclusion
from careers.services.rulesets import ruleset_draft_create, ruleset_publish
from tests.factories import (
    SENIOR_RULE,
    AdvisorFactory,
    LeadFactory,
    senior_rule_draft,
    weekly_hours_create,
)

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
# Tuesday 1 December 2026, 09:00 in Tokyo.
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=TOKYO)


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=TOKYO)


@pytest.fixture
def senior():
    """The senior team (one advisor) meets in the mornings only."""
    senior = AdvisorFactory(name="シニア 高橋", specialty="both")
    weekly_hours_create(senior, ("10:00", "12:00"))
    return senior


@pytest.fixture
def junior():
    """Everyone else meets in the afternoons only."""
    junior = AdvisorFactory(name="佐藤", specialty="web3")
    weekly_hours_create(junior, ("14:00", "18:00"))
    return junior


@pytest.fixture
def senior_rule_published(senior, junior):
    published = RuleSet.objects.get(team=Team.CAREER, status=RuleSet.Status.PUBLISHED)
    draft = senior_rule_draft(published, senior)
    ruleset_publish(ruleset=draft)
    draft.refresh_from_db()
    return draft


def hours_offered(lead) -> set[int]:
    return {slot.starts_at.astimezone(TOKYO).hour for slot in booking_slots_for(lead=lead, now=NOW)}


def test_a_lead_the_rule_sends_to_the_senior_team_sees_only_that_teams_slots(
    senior_rule_published, senior, junior
):
    hurry = LeadFactory(interest="web3", timing="now", status=Lead.Status.UNASSIGNED)
    slots = booking_slots_for(lead=hurry, now=NOW)
    assert slots
    assert {advisor_id for slot in slots for advisor_id in slot.advisor_ids} == {senior.id}
    # 45-minute slots: 10:00 and 10:45 in the morning, none in the afternoon.
    assert hours_offered(hurry) == {10}

    with pytest.raises(BookingError) as error:
        booking_schedule(lead=hurry, starts_at=at(2, 14), meeting="online", now=NOW)
    assert error.value.code == "slot_unavailable"
    assert not Booking.objects.exists()


def test_the_booking_names_the_rule_set_version_and_the_rule_that_allowed_the_advisor(
    senior_rule_published, senior, junior
):
    hurry = LeadFactory(interest="web3", timing="now", status=Lead.Status.UNASSIGNED)
    booking = booking_schedule(lead=hurry, starts_at=at(2, 10), meeting="online", now=NOW)
    assert booking.advisor == senior
    record = hurry.events.get(kind=LeadEvent.Kind.BOOKED).details["decision"]
    assert record["ruleset"]["version"] == senior_rule_published.version
    assert record["matched_rule"]["name"] == SENIOR_RULE
    excluded = {c["name"]: c["excluded"] for c in record["candidates"]}
    assert excluded == {"シニア 高橋": None, "佐藤": Exclusion.OUTSIDE_RULE}


def test_a_lead_no_senior_rule_matches_sees_the_whole_teams_slots(senior_rule_published):
    later = LeadFactory(interest="web3", timing="6_months", status=Lead.Status.UNASSIGNED)
    assert hours_offered(later) == {10, 14, 15, 16, 17}


def test_a_rule_that_leaves_leads_waiting_offers_no_slot_to_an_unassigned_lead(senior, junior):
    published = RuleSet.objects.get(team=Team.CAREER, status=RuleSet.Status.PUBLISHED)
    draft = ruleset_draft_create(source=published)
    draft.rules.all().delete()
    ruleset_publish(ruleset=draft)
    waiting = LeadFactory(interest="web3", status=Lead.Status.UNASSIGNED)
    assert booking_slots_for(lead=waiting, now=NOW) == []
