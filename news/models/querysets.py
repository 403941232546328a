"""Which articles readers see, and the named queries built on that one definition."""

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, JSONObject, Now, StrIndex
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _

from core.normalization import search_key


class ArticleStatus(models.TextChoices):
    """Article.Status, defined here so the querysets below can name it."""

    DRAFT = "draft", _("下書き")
    PUBLISHED = "published", _("公開")


def visible_to_readers(prefix: str = "") -> Q:
    """Published, its time come and not yet expired: no cron publishes or withdraws an article.

    `prefix` lets a query through a relation (`article__`) share the one definition.
    """
    return Q(
        **{
            f"{prefix}status": ArticleStatus.PUBLISHED,
            f"{prefix}published_at__lte": Now(),
        }
    ) & (Q(**{f"{prefix}expires_at__isnull": True}) | Q(**{f"{prefix}expires_at__gt": Now()}))


class JSONArrayAgg(models.Aggregate):
    """Rows as one JSON array (PostgreSQL in production, SQLite in development)."""

    function = "JSONB_AGG"
    output_field = models.JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


def json_rows(queryset, link: str, *fields: str) -> Coalesce:
    """`fields` of the rows of `queryset` linked through `link` to the outer row, as one
    JSON array (empty, never NULL): a small relation read with its owner's row instead of
    in a query of its own.
    """
    rows = Subquery(
        queryset.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(rows=JSONArrayAgg(JSONObject(**{field: field for field in fields})))
        .values("rows")
    )
    return Coalesce(rows, Value([], output_field=models.JSONField()))


class ArticleQuerySet(models.QuerySet):
    def public(self):
        return self.filter(visible_to_readers())

    def scheduled(self):
        return self.filter(status=ArticleStatus.PUBLISHED, published_at__gt=Now())

    def expired(self):
        return self.filter(status=ArticleStatus.PUBLISHED, expires_at__lte=Now())

    def drafts(self):
        return self.filter(status=ArticleStatus.DRAFT)

    def for_lists(self):
        """Card data only: the Markdown source and HTML stay in the database."""
        return self.defer("body", "body_html", "toc", "references", "search_text")

    def matching(self, terms, *, indexed=True):
        """Articles whose title, lead or body holds every term, compared as search_key folds
        them (Article.search_text is stored folded). PostgreSQL serves the substring match from
        a pg_trgm GIN index: trigrams work on Japanese, which full text (tsvector) cannot split
        into words.

        `indexed=False` tests the same condition row by row (STRPOS, which the index cannot
        serve): for a term in most articles, walking the newest first and stopping after a
        page beats rechecking every match the index returns.
        """
        for term in terms:
            key = search_key(term)
            if indexed:
                self = self.filter(search_text__contains=key)
            else:
                self = self.filter(GreaterThan(StrIndex("search_text", Value(key)), 0))
        return self

    def related_to(self, article, *, tag_ids, category_ids):
        """Public articles ranked as related: pinned, shared tags, same category, then recent.

        One query, whatever the number of tags and categories involved.
        """
        pinned = Exists(
            self.model.pinned_related.through.objects.filter(
                from_article_id=article.pk, to_article_id=OuterRef("pk")
            )
        )
        if tag_ids:
            shared_tags = Coalesce(
                Subquery(
                    self.model.tags.through.objects.filter(
                        article_id=OuterRef("pk"), tag_id__in=tag_ids
                    )
                    .values("article_id")
                    .annotate(shared=Count("tag_id"))
                    .values("shared")[:1]
                ),
                0,
            )
        else:
            shared_tags = Value(0)
        if category_ids:
            same_category = Exists(
                self.model.categories.through.objects.filter(
                    article_id=OuterRef("pk"), category_id__in=category_ids
                )
            )
        else:
            same_category = Value(False)
        return (
            self.public()
            .exclude(pk=article.pk)
            .annotate(is_pinned=pinned, shared_tags=shared_tags, same_category=same_category)
            .order_by("-is_pinned", "-shared_tags", "-same_category", "-published_at", "-id")
        )
