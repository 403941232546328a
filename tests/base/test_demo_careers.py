"""Demo content: advisors and leads, routed at once, each with its decision record."""

import pytest
from django.core.management import call_command

from base.demo import careers as demo
from careers.models import Advisor, Lead, LeadEvent, Team

pytestmark = pytest.mark.django_db


def test_demo_leads_are_routed_at_once_with_their_decision_records():
    summary = demo.load()
    assert "13 new demo leads, 13 routed" in summary

    leads = Lead.objects.select_related("advisor")
    assert leads.count() == 13
    for lead in leads:
        assert lead.advisor is not None, lead
        team = Team.SALES if lead.kind == Lead.Kind.COMPANY else Team.CAREER
        assert lead.advisor.team == team
        routed = lead.events.get(kind=LeadEvent.Kind.ROUTED)
        assert routed.details["decision"]["chosen"]["id"] == lead.advisor_id
        assert routed.details["decision"]["why"]

    duplicate = Lead.objects.get(submission_key="demo-candidate-11")
    assert duplicate.duplicate_of is not None
    assert duplicate.advisor == duplicate.duplicate_of.advisor
    statuses = set(leads.values_list("status", flat=True))
    assert {Lead.Status.ASSIGNED, Lead.Status.CONTACTED, Lead.Status.PLACED} <= statuses


def test_loading_the_demo_twice_changes_nothing():
    demo.load()
    events = LeadEvent.objects.count()
    summary = demo.load()
    assert "0 new demo leads" in summary
    assert Advisor.objects.count() == 9
    assert Lead.objects.count() == 13
    assert LeadEvent.objects.count() == events


def test_the_demo_command_links_leads_to_the_news_demo_articles(capsys):
    call_command("load_demo_content")
    assert "careers:" in capsys.readouterr().out
    candidates = Lead.objects.filter(kind=Lead.Kind.CANDIDATE)
    assert candidates.filter(source_article__isnull=True).count() == 0
    assert not Lead.objects.filter(advisor__isnull=True).exists()


def test_demo_career_and_sales_advisors_take_bookings_on_weekdays():
    """`make run` shows bookable slots at once to candidates and companies: every career
    advisor and every corporate sales member has weekday hours."""
    demo.load()
    demo.load()
    advisors = Advisor.objects.filter(team__in=(Team.CAREER, Team.SALES))
    assert advisors.filter(team=Team.SALES).exists()
    for advisor in advisors:
        weekdays = set(advisor.weekly_hours.values_list("weekday", flat=True))
        assert weekdays == {0, 1, 2, 3, 4}
        assert advisor.weekly_hours.count() == 10
