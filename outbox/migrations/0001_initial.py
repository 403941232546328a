"""outbox.Email takes over careers' table (renamed by careers 0010) and links by content type.

1. State only: the model as the table stands, with its foreign key to careers.Lead.
2. Add the generic link, copy every lead_id into it, then drop the foreign key.
3. Move the content type and its permissions, so the managers' grant to read the
   outbox (careers 0003) follows the model instead of pointing at a model that is gone.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F

OLD = ("careers", "notification")
NEW = ("outbox", "email")


def link_leads(apps, schema_editor):
    Email = apps.get_model("outbox", "Email")
    ContentType = apps.get_model("contenttypes", "ContentType")
    linked = Email.objects.filter(lead__isnull=False)
    if linked.exists():
        lead_type, _ = ContentType.objects.get_or_create(app_label="careers", model="lead")
        linked.update(content_type=lead_type, object_id=F("lead_id"))


def unlink_leads(apps, schema_editor):
    Email = apps.get_model("outbox", "Email")
    Email.objects.filter(
        content_type__app_label="careers", content_type__model="lead"
    ).update(lead_id=F("object_id"))


def _move_content_type(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    old = ContentType.objects.filter(app_label=source[0], model=source[1]).first()
    if old is None:
        return
    new = ContentType.objects.filter(app_label=target[0], model=target[1]).first()
    if new is None:
        old.app_label, old.model = target
        old.save(update_fields=["app_label", "model"])
        for permission in Permission.objects.filter(content_type=old):
            action = permission.codename.removesuffix(f"_{source[1]}")
            permission.codename = f"{action}_{target[1]}"
            permission.save(update_fields=["codename"])
        return
    # Both exist (post_migrate already created the new one): hand the grants over.
    for permission in Permission.objects.filter(content_type=old):
        action = permission.codename.removesuffix(f"_{source[1]}")
        successor = Permission.objects.filter(
            content_type=new, codename=f"{action}_{target[1]}"
        ).first()
        if successor is not None:
            for group in permission.group_set.all():
                group.permissions.add(successor)
    old.delete()


def move_content_type(apps, schema_editor):
    _move_content_type(apps, OLD, NEW)


def move_content_type_back(apps, schema_editor):
    _move_content_type(apps, NEW, OLD)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("careers", "0010_notification_to_outbox"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Email",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.CharField(max_length=200, unique=True, verbose_name="識別キー")),
                        ("kind", models.CharField(db_index=True, max_length=40, verbose_name="種類")),
                        ("to", models.JSONField(default=list, verbose_name="宛先")),
                        ("subject", models.CharField(max_length=300, verbose_name="件名")),
                        ("body_text", models.TextField(verbose_name="本文(テキスト)")),
                        ("body_html", models.TextField(blank=True, verbose_name="本文(HTML)")),
                        ("attachments", models.JSONField(blank=True, default=list, verbose_name="添付ファイル")),
                        ("status", models.CharField(choices=[("pending", "送信待ち"), ("sending", "送信中"), ("sent", "送信済み"), ("failed", "送信失敗")], db_index=True, default="pending", max_length=10, verbose_name="状態")),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="試行回数")),
                        ("last_error", models.TextField(blank=True, verbose_name="最後のエラー")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="作成日時")),
                        ("claimed_at", models.DateTimeField(blank=True, null=True, verbose_name="送信開始日時")),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="送信日時")),
                        ("lead", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="careers.lead", verbose_name="リード")),
                    ],
                    options={
                        "verbose_name": "送信メール",
                        "verbose_name_plural": "送信メール",
                        "ordering": ["-created_at"],
                    },
                ),
            ],
        ),
        migrations.AddField(
            model_name="email",
            name="content_type",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="contenttypes.contenttype", verbose_name="関連する対象の種類"),
        ),
        migrations.AddField(
            model_name="email",
            name="object_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="関連する対象のID"),
        ),
        migrations.RunPython(link_leads, unlink_leads),
        migrations.RemoveField(model_name="email", name="lead"),
        migrations.AddIndex(
            model_name="email",
            index=models.Index(fields=["content_type", "object_id"], name="outbox_email_about"),
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
