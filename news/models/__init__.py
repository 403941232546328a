"""Editorial content: categories, tags, articles and the consultation call-to-action."""

from news.models.articles import Article, ArticleSlugRedirect
from news.models.authors import Author
from news.models.cta import (
    CallToAction,
    CTAButton,
    CTAClick,
    Door,
    counted_click,
    door_url,
)
from news.models.embeds import EmbeddedPost
from news.models.images import BodyImage
from news.models.querysets import ArticleQuerySet, json_rows, visible_to_readers
from news.models.readership import ArticleDailyViews, ViewFlush
from news.models.review import ArticleEvent
from news.models.taxonomy import Category, Tag

__all__ = [
    "Article",
    "ArticleDailyViews",
    "ArticleEvent",
    "ArticleQuerySet",
    "ArticleSlugRedirect",
    "Author",
    "BodyImage",
    "CTAButton",
    "CTAClick",
    "CallToAction",
    "Category",
    "Door",
    "EmbeddedPost",
    "Tag",
    "ViewFlush",
    "counted_click",
    "door_url",
    "json_rows",
    "visible_to_readers",
]
