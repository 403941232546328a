"""Actions offer only what they can do: common transitions, the leads' own team, a fresh
suggestion; choosing the suggestion is logged as the rules' decision. One history per lead."""

from http import HTTPStatus

import pytest

from careers.models import Lead, LeadEvent, Team
from careers.services.pipeline import lead_reassign
from tests.factories import AdvisorFactory, LeadFactory
from tests.staff.conftest import assigned_lead

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/careers/lead/"


def _action(client, action, leads, **extra):
    return client.post(
        LIST_URL,
        {"action": action, "_selected_action": [lead.pk for lead in leads], "index": 0, **extra},
        follow=True,
    )


def test_status_change_offers_only_what_every_selected_lead_may_become(client, manager):
    advisor = AdvisorFactory()
    leads = [
        assigned_lead(advisor),
        assigned_lead(advisor, status=Lead.Status.CONTACTED),
    ]
    client.force_login(manager)

    response = _action(client, "change_status", leads)

    assert response.status_code == HTTPStatus.OK
    # 担当決定 may become 連絡済み/クローズ/スパム, 連絡済み 面談・選考中/クローズ: only クローズ.
    assert list(response.context["form"].fields["to"].choices) == [("closed", "クローズ")]


def test_status_change_explains_when_the_selection_has_nothing_in_common(client, manager):
    advisor = AdvisorFactory()
    leads = [assigned_lead(advisor), assigned_lead(advisor, status=Lead.Status.PLACED)]
    client.force_login(manager)

    response = _action(client, "change_status", leads)

    assert "form" not in (response.context or {})
    assert "共通して選べる変更先はありません" in response.content.decode()


def test_reassignment_lists_only_the_selected_leads_team(client, manager):
    career = AdvisorFactory(name="キャリア 担当", team=Team.CAREER)
    AdvisorFactory(name="法人 担当", team=Team.SALES)
    leads = [assigned_lead(career), assigned_lead(career)]
    client.force_login(manager)

    response = _action(client, "reassign", leads)

    names = [str(advisor) for advisor in response.context["form"].fields["advisor"].queryset]
    assert "キャリア 担当" in names
    assert "法人 担当" not in names

    mixed = [assigned_lead(career), LeadFactory(kind=Lead.Kind.COMPANY, company_name="株式会社A")]
    response = _action(client, "reassign", mixed)
    assert "チームごとに選んでください" in response.content.decode()


@pytest.fixture
def three_ai_advisors():
    return (
        AdvisorFactory(name="青木", specialty="ai"),
        AdvisorFactory(name="井上", specialty="ai"),
        AdvisorFactory(name="上田", specialty="ai"),
    )


def test_the_suggestion_never_proposes_the_advisor_the_lead_just_left(
    client, manager, three_ai_advisors
):
    aoki, inoue, ueda = three_ai_advisors
    # 上田 has the highest load, so only the exclusion can make the rules pick them.
    for _ in range(3):
        assigned_lead(ueda, interest="ai")
    lead = assigned_lead(aoki, interest="ai")
    lead_reassign(lead=lead, advisor=inoue, actor=manager, reason="本人の希望")
    client.force_login(manager)

    response = client.get(f"{LIST_URL}{lead.pk}/reassign/")

    suggestion = response.context["suggestion"]
    assert suggestion["chosen"]["name"] == "上田"
    assert response.context["form"].initial["advisor"] == ueda.pk


def test_choosing_the_suggested_advisor_is_logged_as_the_suggestion(
    client, manager, three_ai_advisors
):
    aoki, inoue, ueda = three_ai_advisors
    assigned_lead(ueda, interest="ai")
    lead = assigned_lead(aoki, interest="ai")
    client.force_login(manager)
    suggested = client.get(f"{LIST_URL}{lead.pk}/reassign/").context["suggestion"]
    assert suggested["chosen"]["name"] == "井上"

    client.post(f"{LIST_URL}{lead.pk}/reassign/", {"advisor": inoue.pk, "reason": "おすすめ通り"})

    event = LeadEvent.objects.get(lead=lead, kind=LeadEvent.Kind.REASSIGNED)
    assert event.details["decision"]["rule"] != "manual"
    assert event.details["decision"]["why"] == suggested["why"]
    html = client.get(f"{LIST_URL}{lead.pk}/change/").content.decode()
    assert "手動指定" not in html.split('id="lead-timeline"')[1]


def test_a_lead_has_one_history_its_timeline(client, manager, lead_of_a):
    client.force_login(manager)
    page = client.get(f"{LIST_URL}{lead_of_a.pk}/change/").content.decode()
    assert f"{lead_of_a.pk}/history/" not in page
    assert 'href="#lead-timeline"' in page

    response = client.get(f"{LIST_URL}{lead_of_a.pk}/history/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{LIST_URL}{lead_of_a.pk}/change/#lead-timeline"
