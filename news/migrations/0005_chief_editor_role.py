"""The 編集長 (chief editor) role: everything an editor may do, plus publishing.

Editors lose nothing they had but never had `publish_article`; they may read the review
record. Frozen here like the other roles: a later change of a role is a new migration.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_GROUP = "編集者"
CHIEF_EDITOR_GROUP = "編集長"
EDITOR_EXTRA = ["view_articleevent"]
CHIEF_EXTRA = ["view_articleevent", "publish_article"]


def grant(apps, schema_editor):
    # Permissions normally appear only in post_migrate, after every migration ran.
    create_permissions(global_apps.get_app_config("news"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def news_permissions(codenames):
        found = list(Permission.objects.filter(content_type__app_label="news", codename__in=codenames))
        if len(found) != len(codenames):
            raise RuntimeError(f"news permissions missing: {sorted(codenames)}")
        return found

    editor, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    editor.permissions.add(*news_permissions(EDITOR_EXTRA))
    chief, _ = Group.objects.get_or_create(name=CHIEF_EDITOR_GROUP)
    chief.permissions.set([*editor.permissions.all(), *news_permissions(CHIEF_EXTRA)])


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.filter(name=CHIEF_EDITOR_GROUP).delete()
    editor = Group.objects.filter(name=EDITOR_GROUP).first()
    if editor is not None:
        editor.permissions.remove(
            *Permission.objects.filter(content_type__app_label="news", codename__in=EDITOR_EXTRA)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0004_review_workflow"),
        ("careers", "0003_staff_roles"),
        ("newsletter", "0002_staff_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
