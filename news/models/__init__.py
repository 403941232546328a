"""Editorial content: categories, tags, articles and the consultation call-to-action."""

from news.models.articles import Article, ArticleSlugRedirect
from news.models.authors import Author
from news.models.cta import CallToAction, CTAClick
from news.models.querysets import ArticleQuerySet, visible_to_readers
from news.models.review import ArticleEvent
from news.models.taxonomy import Category, Tag

__all__ = [
    "Article",
    "ArticleEvent",
    "ArticleQuerySet",
    "ArticleSlugRedirect",
    "Author",
    "CTAClick",
    "CallToAction",
    "Category",
    "Tag",
    "visible_to_readers",
]
