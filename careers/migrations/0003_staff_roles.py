"""The three staff roles as groups with exact permissions (see careers/roles.py).

The permission lists are frozen here on purpose: a later change of a role is a new
migration, so every database gets the same groups whatever order it was built in.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_GROUP = "編集者"
ADVISOR_GROUP = "アドバイザー"
MANAGER_GROUP = "マネージャー"

# Click counts are written by the site, never by hand.
NEWS_READ_ONLY_MODELS = {"ctaclick"}

ADVISOR_PERMISSIONS = [
    ("careers", "view_lead"),
    ("careers", "change_lead"),
    ("careers", "view_leadnote"),
    ("careers", "add_leadnote"),
]

MANAGER_PERMISSIONS = [
    ("careers", "view_lead"),
    ("careers", "change_lead"),
    ("careers", "view_all_leads"),
    ("careers", "reassign_lead"),
    ("careers", "export_lead"),
    ("careers", "view_dashboard"),
    ("careers", "handle_personal_data"),
    ("careers", "view_leadnote"),
    ("careers", "add_leadnote"),
    ("careers", "view_leadevent"),
    ("careers", "view_advisor"),
    ("careers", "add_advisor"),
    ("careers", "change_advisor"),
    ("careers", "view_advisorabsence"),
    ("careers", "add_advisorabsence"),
    ("careers", "change_advisorabsence"),
    ("careers", "delete_advisorabsence"),
    ("careers", "view_notification"),
]


def create_roles(apps, schema_editor):
    # Permissions normally appear only in post_migrate, after every migration ran.
    for label in ("auth", "news", "careers"):
        create_permissions(global_apps.get_app_config(label), apps=apps, verbosity=0)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(pairs):
        wanted = set(pairs)
        found = [
            permission
            for permission in Permission.objects.filter(
                content_type__app_label__in={app for app, _ in wanted}
            ).select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
        if missing:
            raise RuntimeError(f"permissions missing for the staff roles: {sorted(missing)}")
        return found

    editor_pairs = []
    for model in apps.get_app_config("news").get_models():
        name = model._meta.model_name
        actions = ("view",) if name in NEWS_READ_ONLY_MODELS else ("view", "add", "change", "delete")
        editor_pairs += [("news", f"{action}_{name}") for action in actions]

    for group_name, pairs in (
        (EDITOR_GROUP, editor_pairs),
        (ADVISOR_GROUP, ADVISOR_PERMISSIONS),
        (MANAGER_GROUP, MANAGER_PERMISSIONS),
    ):
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.set(permissions(pairs))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[EDITOR_GROUP, ADVISOR_GROUP, MANAGER_GROUP]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("news", "0001_initial"),
        ("careers", "0002_lead_staff_permissions"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
