"""/recruiters/: a company asking for 業務委託 gets a draft project that staff complete."""

import re
from http import HTTPStatus

import pytest

from careers.models import Lead, Team
from projects.models import Project, ProjectEvent
from projects.services import ProjectTransitionError, project_transition
from tests.factories import AdvisorFactory, UserFactory, company_inquiry_form_data

pytestmark = pytest.mark.django_db

URL = "/recruiters/"


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks, doorbell_rings):
    """POST the inquiry as a browser would, then let a worker do the work it queued."""

    def _submit(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(URL, company_inquiry_form_data(**overrides))
        doorbell_rings.run()
        return response

    return _submit


def test_the_form_offers_freelance_as_well_as_hiring_hiring_chosen_first(client):
    body = client.get(URL).content.decode()

    assert "ご依頼の形" in body
    assert "業務委託で依頼したい" in body
    radios = {
        re.search(r'value="(\w+)"', tag).group(1): "checked" in tag
        for tag in re.findall(r'<input[^>]*name="engagement"[^>]*>', body)
    }
    assert radios == {"hiring": True, "freelance": False}


def test_a_freelance_inquiry_becomes_a_draft_project_linked_to_the_lead(client, submit):
    sales = AdvisorFactory(team=Team.SALES, specialty="both", email="sales@plusweb3.example")

    response = submit(engagement="freelance", interest="web3")

    assert response.status_code == HTTPStatus.SEE_OTHER
    lead = Lead.objects.get()
    assert (lead.kind, lead.engagement, lead.advisor) == ("company", "freelance", sales)
    project = lead.requested_project
    assert project.status == Project.Status.DRAFT
    assert project.field == "web3"
    assert project.title == "株式会社ミライAIラボ様からの業務委託のご依頼"
    assert (project.client_name, project.client_name_public) == ("株式会社ミライAIラボ", False)
    assert ProjectEvent.objects.get(project=project).note == (
        f"法人のお問い合わせ({lead.reference})から作成"
    )
    # Readers never see a draft: not listed, and its page is not found.
    assert project.title not in client.get("/projects/").content.decode()
    assert client.get(project.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_a_hiring_inquiry_makes_no_project(submit):
    submit(engagement="hiring")

    assert Lead.objects.get().requested_project is None
    assert not Project.objects.exists()


def test_a_bot_choosing_freelance_makes_no_project(submit):
    submit(engagement="freelance", website="https://cheap-pills.example")

    assert Lead.objects.get().status == Lead.Status.SPAM
    assert not Project.objects.exists()


def test_an_unknown_choice_gets_a_japanese_error_and_stores_nothing(submit):
    response = submit(engagement="partnership")

    assert response.status_code == HTTPStatus.OK
    assert "ご依頼の形は表示された選択肢から選んでください。" in response.content.decode()
    assert not Lead.objects.exists()
    assert not Project.objects.exists()


def test_staff_see_both_ends_of_the_link_and_complete_the_draft_before_publishing(client, submit):
    manager = UserFactory(username="root", is_staff=True, is_superuser=True)
    submit(engagement="freelance")
    lead = Lead.objects.get()
    project = lead.requested_project
    client.force_login(manager)

    project_page = client.get(f"/admin/projects/project/{project.pk}/change/").content.decode()
    lead_page = client.get(f"/admin/careers/lead/{lead.pk}/change/").content.decode()

    assert f"{lead.reference} 株式会社ミライAIラボ のお問い合わせ" in project_page
    assert f"/admin/careers/lead/{lead.pk}/change/" in project_page
    assert "業務委託で依頼したい" in lead_page
    assert f"/admin/projects/project/{project.pk}/change/" in lead_page

    project_transition(project=project, to="review", actor=manager)
    with pytest.raises(ProjectTransitionError, match="職種"):
        project_transition(project=project, to="open", actor=manager)
