"""The outbox leaves careers: careers.Notification becomes outbox.Email.

The table is renamed, never copied, so every row (and its id, which the lead timeline's
events quote) stays. outbox/migrations/0001_initial.py takes the model over in its state
and replaces the foreign key to Lead by a generic link.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("careers", "0009_routing_rules_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable("notification", "outbox_email")],
            state_operations=[migrations.DeleteModel("notification")],
        ),
    ]
