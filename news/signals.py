"""Cache invalidation only: any change readers can see makes every cached news page stale,
and the stored article parts that show it (see news.versions).

A draft-only save of a live article (see news.revisions) changes nothing they see.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from news.cache import NEWS_PAGES
from news.models import Article, Author, CallToAction, Category, EmbeddedPost, Tag
from news.revisions import is_draft_only
from news.versions import LABELS, PLACES, article_versions_bump

# What decides whether, when and where an article is listed (a new slug is a new version,
# below).
PLACE_FIELDS = ("status", "published_at", "expires_at", "is_featured")


def invalidate_pages(sender, **kwargs):
    NEWS_PAGES.bump_generation()
    # Shown by name on many articles, or deciding which articles are related.
    LABELS.bump_generation()


def remember_places(sender, instance, raw=False, **kwargs):
    """Read what the save may move before it does, so only a move refreshes every pager."""
    instance._places_before = (
        None
        if raw or instance.pk is None
        else Article.objects.filter(pk=instance.pk).values("slug", *PLACE_FIELDS).first()
    )


def invalidate_pages_and_schedule(sender, instance, signal, **kwargs):
    if is_draft_only(instance):
        return
    NEWS_PAGES.bump_generation()
    # A new or moved publication time changes how long pages may be cached.
    NEWS_PAGES.remember_next_change()
    before = None if signal is post_delete else getattr(instance, "_places_before", None)
    # The old slug too: its stored parts must not answer for the article any more, and
    # the pages that link to it must link to the new one.
    article_versions_bump({instance.slug} | ({before["slug"]} if before else set()))
    if before is None or any(before[field] != getattr(instance, field) for field in PLACE_FIELDS):
        PLACES.bump_generation()


def invalidate_pages_on_relation_change(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_") or is_draft_only(instance) or pk_set == set():
        return
    NEWS_PAGES.bump_generation()
    if reverse:
        # From a tag's, category's, author's or pinned article's side: the articles touched
        # are not at hand, so every article's parts are refreshed.
        LABELS.bump_generation()
        PLACES.bump_generation()
        return
    article_versions_bump({instance.slug})
    if sender is not Article.pinned_related.through:
        # Other articles' related cards are chosen by shared tags and categories, and the
        # category, tag and author pages list their articles.
        PLACES.bump_generation()


pre_save.connect(remember_places, sender=Article, dispatch_uid="news-article-places")
for event, signal in (("save", post_save), ("delete", post_delete)):
    signal.connect(
        invalidate_pages_and_schedule, sender=Article, dispatch_uid=f"news-article-{event}"
    )
    # A post's words are rendered into every article body that shows it on a line alone.
    for model in (Category, Tag, CallToAction, Author, EmbeddedPost):
        signal.connect(
            invalidate_pages, sender=model, dispatch_uid=f"news-{model._meta.model_name}-{event}"
        )

for relation in (
    Article.categories.through,
    Article.tags.through,
    Article.authors.through,
    Article.pinned_related.through,
):
    m2m_changed.connect(
        invalidate_pages_on_relation_change,
        sender=relation,
        dispatch_uid=f"news-{relation._meta.model_name}-m2m",
    )
