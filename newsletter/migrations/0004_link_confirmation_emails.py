"""Link the confirmation emails already in the outbox to their subscriber.

Before the outbox had a generic link they were found by their key,
newsletter:confirm:<subscriber id>:<n>; from now on `about` says it.
"""

from django.db import migrations

PREFIX = "newsletter:confirm:"


def link_confirmations(apps, schema_editor):
    Email = apps.get_model("outbox", "Email")
    Subscriber = apps.get_model("newsletter", "Subscriber")
    ContentType = apps.get_model("contenttypes", "ContentType")
    unlinked = Email.objects.filter(key__startswith=PREFIX, content_type__isnull=True)
    if not unlinked.exists():
        return
    subscriber_type, _ = ContentType.objects.get_or_create(
        app_label="newsletter", model="subscriber"
    )
    existing = set(Subscriber.objects.values_list("pk", flat=True))
    for email in unlinked.only("id", "key"):
        subscriber_id = email.key.removeprefix(PREFIX).partition(":")[0]
        if subscriber_id.isdigit() and int(subscriber_id) in existing:
            Email.objects.filter(pk=email.pk).update(
                content_type=subscriber_type, object_id=int(subscriber_id)
            )


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("newsletter", "0003_timestamps_from_core"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        # Backwards the outbox drops the link columns itself; nothing to undo here.
        migrations.RunPython(link_confirmations, migrations.RunPython.noop),
    ]
