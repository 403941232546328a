"""People and leads for the staff admin tests: one login per role, two advisors' leads."""

import pytest
from django.contrib.auth.models import Group

from careers.models import Lead
from careers.roles import ADVISOR_GROUP, EDITOR_GROUP, MANAGER_GROUP
from news.permissions import CHIEF_EDITOR_GROUP
from tests.factories import AdvisorFactory, LeadFactory, StaffFactory, UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def staff_roles(staff_roles):
    """Every staff test has the roles (the fixture itself is in tests/conftest.py)."""
    return staff_roles


def _member(group_name, **kwargs):
    user = StaffFactory(**kwargs)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db):
    return _member(EDITOR_GROUP, username="editor-1")


@pytest.fixture
def chief_editor(db):
    return _member(CHIEF_EDITOR_GROUP, username="chief-1")


@pytest.fixture
def manager(db):
    return _member(MANAGER_GROUP, username="manager-1", email="manager@example.com")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def advisor_a(db):
    user = _member(ADVISOR_GROUP, username="advisor-a")
    return AdvisorFactory(name="佐藤 アドバイザー", user=user, capacity=20)


@pytest.fixture
def advisor_f(db):
    """An advisor of the freelance team, in charge of some projects (Project.advisors)."""
    user = _member(ADVISOR_GROUP, username="advisor-f")
    return AdvisorFactory(name="田中 アドバイザー", user=user, capacity=20, team="freelance")


@pytest.fixture
def advisor_b(db):
    user = _member(ADVISOR_GROUP, username="advisor-b")
    return AdvisorFactory(name="鈴木 アドバイザー", user=user, capacity=20)


def assigned_lead(advisor, **kwargs):
    """A lead as routing leaves it: assigned to `advisor`, the first call due in a day."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    defaults = {
        "status": Lead.Status.ASSIGNED,
        "advisor": advisor,
        "assigned_at": now,
        "first_contact_due_at": now + timedelta(days=1),
    }
    return LeadFactory(**{**defaults, **kwargs})


@pytest.fixture
def lead_of_a(advisor_a):
    return assigned_lead(advisor_a, name="高橋 花子", name_kana="タカハシ ハナコ")


@pytest.fixture
def lead_of_b(advisor_b):
    return assigned_lead(advisor_b, name="田中 一郎")
