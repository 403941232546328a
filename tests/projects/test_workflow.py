"""draft → review → open → filled or closed: each step by its role, recorded with who and when."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from projects.models import Project, ProjectEvent
from projects.services import ProjectTransitionError, project_transition
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return ProjectFactory(status="draft", opened_at=None)


def _steps(project):
    return list(
        ProjectEvent.objects.filter(project=project).values_list(
            "from_status", "to_status", "actor__username"
        )
    )


def test_a_project_goes_from_draft_to_filled_with_who_and_when_at_each_step(draft, editor, manager):
    project_transition(project=draft, to="review", actor=editor)
    opened = project_transition(project=draft, to="open", actor=manager)
    project_transition(project=draft, to="filled", actor=manager)

    assert opened.opened_at is not None
    assert Project.objects.get(pk=draft.pk).status == Project.Status.FILLED
    assert _steps(draft) == [
        ("draft", "review", "editor-1"),
        ("review", "open", "manager-1"),
        ("open", "filled", "manager-1"),
    ]
    assert all(event.created_at for event in ProjectEvent.objects.filter(project=draft))


def test_editors_submit_but_cannot_publish_or_close(draft, editor):
    project_transition(project=draft, to="review", actor=editor)

    with pytest.raises(ProjectTransitionError):
        project_transition(project=draft, to="open", actor=editor)
    assert Project.objects.get(pk=draft.pk).status == Project.Status.REVIEW
    assert len(_steps(draft)) == 1


@pytest.mark.parametrize(
    ("start", "to"), [("draft", "open"), ("filled", "open"), ("open", "draft")]
)
def test_steps_outside_the_workflow_are_refused(manager, start, to):
    project = ProjectFactory(status=start)
    with pytest.raises(ProjectTransitionError, match="には変更できません"):
        project_transition(project=project, to=to, actor=manager)
    assert Project.objects.get(pk=project.pk).status == start


def test_an_incomplete_or_expired_project_cannot_be_published(manager):
    incomplete = ProjectFactory(status="review", opened_at=None, rate_min=None)
    expired = ProjectFactory(
        status="review", opened_at=None, closes_at=timezone.now() - timedelta(days=1)
    )

    with pytest.raises(ProjectTransitionError, match="単価"):
        project_transition(project=incomplete, to="open", actor=manager)
    with pytest.raises(ProjectTransitionError, match="募集締切が過ぎています"):
        project_transition(project=expired, to="open", actor=manager)
    assert not ProjectEvent.objects.exists()


def test_a_stale_click_does_not_step_twice(manager):
    project = ProjectFactory(status="open")
    stale_copy = Project.objects.get(pk=project.pk)
    project_transition(project=project, to="filled", actor=manager)

    with pytest.raises(ProjectTransitionError):
        project_transition(project=stale_copy, to="closed", actor=manager)
    assert Project.objects.get(pk=project.pk).status == Project.Status.FILLED


def test_admin_buttons_save_then_step_and_explain_a_refusal_in_japanese(client, manager):
    project = ProjectFactory(status="review", opened_at=None, description="")
    client.force_login(manager)
    url = f"/admin/projects/project/{project.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("skills", "welcome_skills")
    }
    data |= {
        "closes_at_0": (timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%d"),
        "closes_at_1": "18:00:00",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    data.pop("closes_at", None)

    refused = client.post(url, {**data, "_transition": "open"}, follow=True)
    assert "業務内容" in refused.content.decode()
    assert Project.objects.get(pk=project.pk).status == "review"

    published = client.post(
        url, {**data, "description": "仕事の内容です。", "_transition": "open"}, follow=True
    )
    assert published.status_code == HTTPStatus.OK
    assert "「募集中」にしました" in published.content.decode()
    assert Project.objects.get(pk=project.pk).status == "open"


def test_admin_list_shows_days_until_close(client, manager):
    ProjectFactory(title="あと数日の案件", closes_at=timezone.now() + timedelta(days=3, hours=1))
    ProjectFactory(title="終わった案件", closes_at=timezone.now() - timedelta(days=1))
    client.force_login(manager)

    page = client.get("/admin/projects/project/").content.decode()

    assert "あと3日" in page or "あと4日" in page
    assert "締切済み" in page


def test_admin_list_runs_a_constant_number_of_queries(
    client, manager, django_assert_max_num_queries
):
    ProjectFactory.create_batch(3)
    client.force_login(manager)
    client.get("/admin/projects/project/")
    ProjectFactory.create_batch(20)
    with django_assert_max_num_queries(10):
        client.get("/admin/projects/project/")


def test_creating_a_project_in_the_admin_records_who_created_it(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/projects/project/add/",
        {
            "title": "新しい案件",
            "slug": "new-project",
            "field": "ai",
            "role": "pdm",
            "remote": "full",
            "days_per_week_min": "2",
            "days_per_week_max": "3",
            "rate_unit": "monthly",
            "client_description": "AIスタートアップ",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    project = Project.objects.get(slug="new-project")
    assert project.status == Project.Status.DRAFT
    assert _steps(project) == [("", "draft", "editor-1")]
