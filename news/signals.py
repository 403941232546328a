"""Cache invalidation only: any change readers can see makes every cached news page stale.

A draft-only save of a live article (see news.revisions) changes nothing they see.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from news.cache import NEWS_PAGES
from news.models import Article, Author, CallToAction, Category, EmbeddedPost, Tag
from news.revisions import is_draft_only


def invalidate_pages(sender, **kwargs):
    NEWS_PAGES.bump_generation()


def invalidate_pages_and_schedule(sender, instance, **kwargs):
    if is_draft_only(instance):
        return
    NEWS_PAGES.bump_generation()
    # A new or moved publication time changes how long pages may be cached.
    NEWS_PAGES.remember_next_change()


def invalidate_pages_on_relation_change(sender, instance, action, **kwargs):
    if action.startswith("post_") and not is_draft_only(instance):
        NEWS_PAGES.bump_generation()


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
