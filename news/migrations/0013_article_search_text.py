import unicodedata

import django.contrib.postgres.indexes
from django.conf import settings
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


class AddIndexOnPostgreSQL(migrations.AddIndex):
    """A pg_trgm index: PostgreSQL only. SQLite keeps the plain scan."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def fill_search_text(apps, schema_editor):
    # A copy of core.normalization.search_key as of this migration: a migration must keep
    # meaning what it meant when it was written.
    Article = apps.get_model("news", "Article")
    articles = Article.objects.only("title", "lead", "body")
    changed = []
    for article in articles.iterator(chunk_size=500):
        text = "\n".join((article.title, article.lead, article.body))
        article.search_text = unicodedata.normalize("NFKC", text).casefold()
        changed.append(article)
    Article.objects.bulk_update(changed, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0012_editor_roles_body_images"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="article",
            name="search_text",
            field=models.TextField(default="", editable=False, verbose_name="検索用テキスト"),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=True),
        AddIndexOnPostgreSQL(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_text"], name="news_article_search_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
    ]
