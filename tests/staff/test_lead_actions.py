"""Changes made in the admin go through the pipeline services and leave events behind."""

from http import HTTPStatus

import pytest

from careers.models import Lead, LeadEvent
from careers.services.pipeline import lead_route
from tests.factories import AdvisorFactory, LeadFactory
from tests.staff.conftest import assigned_lead

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/careers/lead/"


def test_mark_contacted_action_writes_a_status_event_with_the_actor(client, advisor_a, lead_of_a):
    client.force_login(advisor_a.user)

    response = client.post(
        LIST_URL, {"action": "mark_contacted", "_selected_action": [lead_of_a.pk], "index": 0}
    )

    assert response.status_code == HTTPStatus.FOUND
    lead_of_a.refresh_from_db()
    assert lead_of_a.status == Lead.Status.CONTACTED
    assert lead_of_a.first_contacted_at is not None
    event = LeadEvent.objects.get(lead=lead_of_a, kind=LeadEvent.Kind.STATUS_CHANGED)
    assert event.actor == advisor_a.user
    assert (event.details["from"], event.details["to"]) == ("assigned", "contacted")


def test_mark_contacted_from_the_change_form(client, advisor_a, lead_of_a):
    client.force_login(advisor_a.user)

    client.post(
        f"/admin/careers/lead/{lead_of_a.pk}/change/",
        {"CHANGE_FORM-action": "mark_contacted", "_selected_action": [lead_of_a.pk]},
    )

    lead_of_a.refresh_from_db()
    assert lead_of_a.status == Lead.Status.CONTACTED


def test_a_refused_transition_is_reported_and_changes_nothing(client, advisor_a):
    lead = assigned_lead(advisor_a, status=Lead.Status.PLACED)
    client.force_login(advisor_a.user)

    response = client.post(
        LIST_URL,
        {"action": "mark_contacted", "_selected_action": [lead.pk], "index": 0},
        follow=True,
    )

    assert "には変更できません" in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == Lead.Status.PLACED


def test_closing_asks_for_a_close_reason_and_records_the_reason(client, advisor_a, lead_of_a):
    url = f"/admin/careers/lead/{lead_of_a.pk}/status/"
    client.force_login(advisor_a.user)
    page = client.get(url).content.decode()
    # Only the moves the pipeline allows from `assigned` are offered.
    assert 'value="contacted"' in page
    assert 'value="placed"' not in page

    refused = client.post(url, {"to": "closed", "reason": "本人から辞退の連絡"})
    assert refused.status_code == HTTPStatus.OK
    assert "クローズ理由を選んでください。" in refused.content.decode()
    lead_of_a.refresh_from_db()
    assert lead_of_a.status == Lead.Status.ASSIGNED

    done = client.post(
        url, {"to": "closed", "close_reason": "withdrawn", "reason": "本人から辞退の連絡"}
    )
    assert done.status_code == HTTPStatus.FOUND
    lead_of_a.refresh_from_db()
    assert (lead_of_a.status, lead_of_a.close_reason) == ("closed", "withdrawn")
    event = LeadEvent.objects.get(lead=lead_of_a, kind=LeadEvent.Kind.STATUS_CHANGED)
    assert event.actor == advisor_a.user
    assert event.details["reason"] == "本人から辞退の連絡"
    assert event.details["close_reason"] == "withdrawn"


def test_bulk_status_change_shows_a_form_then_applies_through_the_pipeline(client, manager):
    advisor = AdvisorFactory()
    leads = [assigned_lead(advisor) for _ in range(3)]
    ids = [lead.pk for lead in leads]
    client.force_login(manager)

    form = client.post(LIST_URL, {"action": "change_status", "_selected_action": ids, "index": 0})
    assert form.status_code == HTTPStatus.OK
    assert "ステータスの一括変更" in form.content.decode()

    client.post(
        LIST_URL,
        {
            "action": "change_status",
            "_selected_action": ids,
            "apply": "yes",
            "to": "spam",
            "reason": "同じ内容の連続投稿",
        },
    )

    assert set(Lead.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"spam"}
    events = LeadEvent.objects.filter(lead__in=ids, kind=LeadEvent.Kind.STATUS_CHANGED)
    assert events.count() == 3
    assert {event.actor for event in events} == {manager}


def test_reassign_shows_the_dry_run_first_and_records_who_and_why(
    client, manager, django_capture_on_commit_callbacks
):
    first = AdvisorFactory(name="第一 アドバイザー", specialty="ai")
    lead = LeadFactory(interest="ai")
    with django_capture_on_commit_callbacks(execute=True):
        lead_route(lead_id=lead.pk)
    second = AdvisorFactory(name="第二 アドバイザー", specialty="ai")
    url = f"/admin/careers/lead/{lead.pk}/reassign/"
    client.force_login(manager)

    page = client.get(url)
    html = page.content.decode()
    assert "振り分けルールによるおすすめ" in html
    assert "<strong>第二 アドバイザー</strong>" in html
    assert page.context["form"].initial["advisor"] == second.pk

    missing_reason = client.post(url, {"advisor": second.pk, "reason": ""})
    assert missing_reason.status_code == HTTPStatus.OK
    lead.refresh_from_db()
    assert lead.advisor == first

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"advisor": second.pk, "reason": "専門が近いため"})
    assert done.status_code == HTTPStatus.FOUND
    lead.refresh_from_db()
    assert lead.advisor == second
    event = LeadEvent.objects.get(lead=lead, kind=LeadEvent.Kind.REASSIGNED)
    assert event.actor == manager
    assert event.details["reason"] == "専門が近いため"
    assert event.details["previous_advisor"]["name"] == "第一 アドバイザー"


def test_bulk_reassign_lets_routing_choose_and_is_for_managers_only(
    client, manager, advisor_a, django_capture_on_commit_callbacks
):
    other = AdvisorFactory(specialty="ai")
    lead = assigned_lead(advisor_a, interest="ai")
    data = {"action": "reassign", "_selected_action": [lead.pk], "index": 0}

    client.force_login(advisor_a.user)
    client.post(LIST_URL, data)
    lead.refresh_from_db()
    assert lead.advisor == advisor_a

    client.force_login(manager)
    page = client.post(LIST_URL, data)
    assert "振り分けルールによるおすすめ" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            LIST_URL,
            {
                "action": "reassign",
                "_selected_action": [lead.pk],
                "apply": "yes",
                "advisor": "",
                "reason": "担当者の休暇前に引き継ぎ",
            },
        )
    lead.refresh_from_db()
    assert lead.advisor == other
    assert LeadEvent.objects.get(lead=lead, kind=LeadEvent.Kind.REASSIGNED).actor == manager
