"""Project permissions for the staff roles (the groups come from careers' and news' migrations).

Editors (and the 編集長, who may do all an editor may) write projects and submit them for
review; managers also publish, mark filled and close them (publish_project). Frozen here
like careers' own list: a later change of a role is a new migration.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_GROUP = "編集者"
CHIEF_EDITOR_GROUP = "編集長"
MANAGER_GROUP = "マネージャー"

EDITOR_PERMISSIONS = [
    "view_project",
    "add_project",
    "change_project",
    "delete_project",
    "view_projectevent",
]

ROLE_PERMISSIONS = {
    EDITOR_GROUP: EDITOR_PERMISSIONS,
    CHIEF_EDITOR_GROUP: EDITOR_PERMISSIONS,
    MANAGER_GROUP: [
        "view_project",
        "add_project",
        "change_project",
        "publish_project",
        "view_projectevent",
    ],
}


def grant(apps, schema_editor):
    # Permissions normally appear only in post_migrate, after every migration ran.
    create_permissions(global_apps.get_app_config("projects"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        permissions = Permission.objects.filter(
            content_type__app_label="projects", codename__in=codenames
        )
        if permissions.count() != len(codenames):
            raise RuntimeError(f"project permissions missing for {group_name}")
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="projects", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        ("careers", "0003_staff_roles"),
        ("news", "0005_chief_editor_role"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
