"""Staff roles: Django groups with exact permissions, created by a data migration.

The groups and their permissions are written by careers/migrations/0003_staff_roles.py,
so they exist on every database. What each role may see of the leads is decided here,
from permissions rather than group names, so a superuser or a custom group behaves
the same way as the built-in roles.
"""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet

from news.permissions import CHIEF_EDITOR_GROUP
from projects.models import Project

EDITOR_GROUP = "編集者"
ADVISOR_GROUP = "アドバイザー"
MANAGER_GROUP = "マネージャー"

VIEW_ALL_LEADS = "careers.view_all_leads"
REASSIGN_LEAD = "careers.reassign_lead"
EXPORT_LEAD = "careers.export_lead"
VIEW_DASHBOARD = "careers.view_dashboard"
HANDLE_PERSONAL_DATA = "careers.handle_personal_data"

# One demo login per role; the password files sit next to var/demo-admin-password.
DEMO_USERS = {
    "editor": EDITOR_GROUP,
    "chief": CHIEF_EDITOR_GROUP,
    "advisor": ADVISOR_GROUP,
    "manager": MANAGER_GROUP,
}


def leads_visible_to(*, user, queryset: QuerySet) -> QuerySet:
    """The leads `user` may see: all of them with view_all_leads, otherwise their own.

    "Their own" means assigned to the Advisor linked to the login (Advisor.user), plus
    the applicants to the projects they are in charge of (Project.advisors), as an
    interviewer of a job position sees its applicants in Odoo; never another project's.
    A staff user with neither sees none. Every admin door (list, change, history,
    autocomplete, actions, exports) starts from this queryset.
    """
    if user.has_perm(VIEW_ALL_LEADS):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    # A subquery, not a join: the OR must not repeat a lead once per matching row.
    their_projects = Project.objects.filter(advisors=user).values("pk")
    return queryset.filter(Q(advisor__user=user) | Q(project__in=their_projects))


def demo_password_file(username: str):
    return settings.VAR_DIR / f"demo-{username}-password"


def _demo_password(username: str) -> str:
    """The password kept in var/, or a new random one written there (mode 600).

    Reusing the file means a rebuilt database gets the same demo passwords, and the file
    always tells the truth. Never a known password: a demo left running on a network must
    not be an open door.
    """
    password_file = demo_password_file(username)
    if password_file.exists():
        return password_file.read_text().strip()
    password = os.environ.get("DJANGO_DEMO_STAFF_PASSWORD") or secrets.token_urlsafe(12)
    password_file.parent.mkdir(parents=True, exist_ok=True)
    password_file.write_text(password + "\n")
    password_file.chmod(0o600)
    return password


def ensure_demo_role_users() -> str:
    """Create one staff login per role (editor, chief, advisor, manager) once; idempotent.

    Each gets a random password, printed in the summary and kept in
    var/demo-<username>-password (git-ignored) like the demo superuser, or
    DJANGO_DEMO_STAFF_PASSWORD when that is set before they are created. The demo
    advisor login is linked to the first demo Advisor without a login, so it sees
    that advisor's leads.
    """
    from careers.models import Advisor, Team

    user_model = get_user_model()
    created = []
    for username, group_name in DEMO_USERS.items():
        user = user_model.objects.filter(username=username).first()
        if user is None:
            password = _demo_password(username)
            user = user_model.objects.create_user(
                username, f"{username}@plusweb3.example", password, is_staff=True
            )
            created.append(f"{username} / {password}")
        # The group comes from the roles migration; get_or_create only guards a flushed test DB.
        user.groups.add(Group.objects.get_or_create(name=group_name)[0])

    advisor_user = user_model.objects.get(username="advisor")
    if not Advisor.objects.filter(user=advisor_user).exists():
        advisor = Advisor.objects.filter(user__isnull=True, team=Team.CAREER).order_by("id").first()
        if advisor is not None:
            advisor.user = advisor_user
            advisor.save(update_fields=["user", "updated_at"])

    if created:
        return (
            f"staff logins created: {', '.join(created)} "
            f"(passwords kept in {settings.VAR_DIR}/demo-<user>-password)"
        )
    return f"staff logins {', '.join(DEMO_USERS)} exist (passwords in {settings.VAR_DIR})"
