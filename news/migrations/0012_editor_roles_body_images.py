"""Editors and the 編集長 upload body images.

Frozen here like the other roles: a later change of a role is a new migration.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("編集者", "編集長")
CODENAMES = [f"{action}_bodyimage" for action in ("view", "add", "change", "delete")]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    found = list(Permission.objects.filter(content_type__app_label="news", codename__in=CODENAMES))
    if len(found) != len(CODENAMES):
        raise RuntimeError(f"news permissions missing: {sorted(CODENAMES)}")
    return found


def grant(apps, schema_editor):
    # Permissions normally appear only in post_migrate, after every migration ran.
    create_permissions(global_apps.get_app_config("news"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("news", "0011_body_images"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
