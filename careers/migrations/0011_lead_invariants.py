from django.db import migrations, models
from django.db.models import F


def repair_leads(apps, schema_editor):
    """Mend any row written around the services before the database kept these rules,
    the way the pipeline itself would have left it."""
    Lead = apps.get_model("careers", "Lead")
    # A closed lead with no reason recorded: "other" is the honest answer.
    Lead.objects.filter(status="closed", close_reason="").update(close_reason="other")
    # "Assigned" to nobody: waiting for an advisor, which the routing sweep retries.
    Lead.objects.filter(status="assigned", advisor__isnull=True).update(
        status="unassigned", assigned_at=None, first_contact_due_at=None
    )
    # Assigned with no time of assignment: the last change is the best record there is.
    Lead.objects.filter(status="assigned", assigned_at__isnull=True).update(
        assigned_at=F("updated_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("careers", "0010_notification_to_outbox"),
    ]

    operations = [
        migrations.RunPython(repair_leads, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="lead",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "closed"), _negated=True),
                    models.Q(("close_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="careers_lead_closed_has_reason",
                violation_error_message="クローズしたリードにはクローズ理由が必要です。",
            ),
        ),
        migrations.AddConstraint(
            model_name="lead",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "assigned"), _negated=True),
                    models.Q(("advisor__isnull", False), ("assigned_at__isnull", False)),
                    _connector="OR",
                ),
                name="careers_lead_assigned_has_advisor",
                violation_error_message=(
                    "担当決定のリードには担当アドバイザーと割り当て日時が必要です。"
                ),
            ),
        ),
    ]
