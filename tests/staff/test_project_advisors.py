"""Advisors of the freelance team see their own leads and the applicants to their projects."""

from http import HTTPStatus

import pytest

from careers.models import Lead
from careers.roles import leads_visible_to
from tests.factories import AdvisorFactory, ProjectFactory, UserFactory
from tests.staff.conftest import assigned_lead

pytestmark = pytest.mark.django_db


def test_their_projects_applicants_and_their_own_leads_each_once(advisor_f, advisor_a):
    colleague = AdvisorFactory(team="freelance")
    theirs, other = ProjectFactory(), ProjectFactory()
    theirs.advisors.add(advisor_f.user)
    to_theirs = assigned_lead(colleague, kind="freelance", project=theirs)
    theirs_and_own = assigned_lead(advisor_f, kind="freelance", project=theirs)
    own_on_other = assigned_lead(advisor_f, kind="freelance", project=other)
    assigned_lead(colleague, kind="freelance", project=other)
    assigned_lead(advisor_a)

    visible = leads_visible_to(user=advisor_f.user, queryset=Lead.objects.all())

    assert sorted(visible.values_list("pk", flat=True)) == sorted(
        [to_theirs.pk, theirs_and_own.pk, own_on_other.pk]
    )


def test_managers_choose_a_projects_advisors_among_active_staff(client, manager, advisor_f):
    UserFactory(username="not-staff", is_staff=False)
    project = ProjectFactory()
    client.force_login(manager)

    response = client.get(f"/admin/projects/project/{project.pk}/change/")

    assert response.status_code == HTTPStatus.OK
    choices = {
        str(label)
        for _value, label in response.context["adminform"].form.fields["advisors"].choices
    }
    assert "advisor-f" in choices
    assert "not-staff" not in choices
    assert "担当アドバイザー" in response.content.decode()
