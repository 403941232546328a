"""The roles exist on every database with exact permissions, and the demo has a login per role."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from careers.roles import (
    ADVISOR_GROUP,
    EDITOR_GROUP,
    MANAGER_GROUP,
    demo_password_file,
    ensure_demo_role_users,
)
from news.permissions import CHIEF_EDITOR_GROUP
from tests.factories import AdvisorFactory

pytestmark = pytest.mark.django_db


def codenames(group_name):
    return {
        f"{app}.{codename}"
        for app, codename in Group.objects.get(name=group_name).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_the_groups_hold_exactly_their_permissions():
    editor, advisor, manager = (
        codenames(name) for name in (EDITOR_GROUP, ADVISOR_GROUP, MANAGER_GROUP)
    )

    # Editors: the editorial apps (the newsletter grants its own in its migration), no leads.
    assert "news" in {name.split(".")[0] for name in editor}
    assert not {name for name in editor if name.startswith(("careers.", "auth."))}
    assert {"news.change_article", "news.add_calltoaction", "news.view_ctaclick"} <= editor
    assert "news.change_ctaclick" not in editor
    # Publishing is the 編集長's: everything an editor may do, and publish_article.
    assert "news.publish_article" not in editor
    assert codenames(CHIEF_EDITOR_GROUP) == editor | {"news.publish_article"}
    # Projects: editors write and submit them; putting them live or ending them is a manager's.
    assert {"projects.change_project", "projects.view_projectevent"} <= editor
    assert "projects.publish_project" not in editor
    assert {"projects.change_project", "projects.publish_project"} <= manager
    assert "projects.delete_project" not in manager

    # 面談予約: their own schedule and consultation hours (the admin scopes the rows).
    hours = {
        f"careers.{action}_{model}"
        for model in ("advisorweeklyhours", "advisorhoursexception")
        for action in ("view", "add", "change", "delete")
    }
    assert advisor == {
        "careers.view_lead",
        "careers.change_lead",
        "careers.view_leadnote",
        "careers.add_leadnote",
        "careers.view_booking",
        "careers.change_booking",
        *hours,
    }
    assert {"careers.view_booking", "careers.change_booking", *hours} <= manager

    assert {
        "careers.view_all_leads",
        "careers.reassign_lead",
        "careers.export_lead",
        "careers.view_dashboard",
        "careers.handle_personal_data",
        "careers.change_advisor",
        "careers.add_advisorabsence",
    } <= manager
    assert "outbox.view_email" in manager
    assert not {name for name in manager if name.startswith(("news.", "auth."))}
    # Nobody but a superuser deletes leads or writes the event log and outbox by hand.
    for group in (editor, advisor, manager):
        assert (
            not {
                "careers.delete_lead",
                "careers.add_lead",
                "careers.change_leadevent",
                "outbox.change_email",
            }
            & group
        )


def test_demo_role_users_are_created_once_with_private_passwords(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    demo_advisor = AdvisorFactory(name="デモ アドバイザー")

    summary = ensure_demo_role_users()

    users = get_user_model().objects.filter(username__in=["editor", "advisor", "manager"])
    assert users.count() == 3
    assert all(user.is_staff and not user.is_superuser for user in users)
    manager = users.get(username="manager")
    assert manager.groups.filter(name=MANAGER_GROUP).exists()
    password = demo_password_file("manager").read_text().strip()
    assert len(password) >= 12
    assert password in summary
    assert manager.check_password(password)
    assert demo_password_file("manager").stat().st_mode & 0o777 == 0o600
    demo_advisor.refresh_from_db()
    assert demo_advisor.user.username == "advisor"

    again = ensure_demo_role_users()

    assert password not in again
    assert get_user_model().objects.filter(username="manager").count() == 1
    manager.refresh_from_db()
    assert manager.check_password(password)


def test_a_rebuilt_database_gets_the_passwords_kept_in_var(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    ensure_demo_role_users()
    password = demo_password_file("editor").read_text().strip()
    get_user_model().objects.filter(username__in=["editor", "advisor", "manager"]).delete()

    ensure_demo_role_users()

    assert get_user_model().objects.get(username="editor").check_password(password)
