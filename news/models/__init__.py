"""Editorial content: categories, tags, articles and the consultation call-to-action."""

from news.models.articles import (
    Article,
    ArticleQuerySet,
    ArticleSlugRedirect,
    visible_to_readers,
)
from news.models.cta import CallToAction, CTAClick
from news.models.taxonomy import Category, Tag

__all__ = [
    "Article",
    "ArticleQuerySet",
    "ArticleSlugRedirect",
    "CTAClick",
    "CallToAction",
    "Category",
    "Tag",
    "visible_to_readers",
]
