"""Editors (and 編集長, who hold every editor permission) stop browsing subscribers and deliveries.

Composing an issue needs only how many will receive it, which the issue form shows; who
they are stays with the managers. Frozen like 0002: a later change of a role is a new migration.
"""

from django.db import migrations

GROUPS = ["編集者", "編集長"]
CODENAMES = ["view_subscriber", "view_delivery"]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="newsletter", codename__in=CODENAMES)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*_permissions(apps))


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0004_link_confirmation_emails"),
        ("news", "0005_chief_editor_role"),
    ]

    operations = [migrations.RunPython(revoke, grant)]
