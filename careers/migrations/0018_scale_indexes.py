import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class AddIndexOnPostgreSQL(migrations.AddIndex):
    """A pg_trgm index (the extension comes with news 0013): PostgreSQL only. SQLite keeps
    the plain scan."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):

    dependencies = [
        ('careers', '0017_advisor_specialty_words'),
        ('news', '0014_body_image_articles'),
        ('projects', '0004_project_advisors'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='lead',
            index=models.Index(fields=['created_at'], include=('kind', 'interest', 'assigned_at', 'first_contacted_at'), name='careers_lead_created'),
        ),
        migrations.AddIndex(
            model_name='lead',
            index=models.Index(condition=models.Q(('sla_breached_at__isnull', False)), fields=['sla_breached_at'], name='careers_lead_sla_breached'),
        ),
        AddIndexOnPostgreSQL(
            model_name='lead',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Lower(models.Func(django.db.models.functions.text.Concat(models.F('reference'), models.Value('\n'), models.F('name'), models.Value('\n'), models.F('name_kana'), models.Value('\n'), models.F('email'), models.Value('\n'), models.F('company_name'), models.Value('\n'), django.db.models.functions.text.Replace(models.F('phone'), models.Value('-'), models.Value('')), output_field=models.TextField()), function='NORMALIZE', template='%(function)s(%(expressions)s, NFKC)')), name='gin_trgm_ops'), name='careers_lead_search_trgm'),
        ),
        migrations.AddIndex(
            model_name='leadevent',
            index=models.Index(fields=['lead', 'created_at', 'id'], name='careers_leadevent_timeline'),
        ),
    ]
