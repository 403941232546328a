"""Subscribers record the privacy policy version they agreed to, like leads.

Everyone who subscribed before this migration agreed to version 1 (the only one there was),
when they signed up.
"""

from django.db import migrations, models
from django.db.models import F


def record_version_1(apps, schema_editor):
    Subscriber = apps.get_model("newsletter", "Subscriber")
    Subscriber.objects.filter(consent_version="").update(
        consent_version="1", consented_at=F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [("newsletter", "0006_project_alerts")]

    operations = [
        migrations.AddField(
            model_name="subscriber",
            name="consent_version",
            field=models.CharField(
                default="", max_length=20, verbose_name="同意したプライバシーポリシーの版"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="subscriber",
            name="consented_at",
            field=models.DateTimeField(null=True, verbose_name="同意日時"),
        ),
        migrations.RunPython(record_version_1, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="subscriber",
            name="consented_at",
            field=models.DateTimeField(verbose_name="同意日時"),
        ),
    ]
