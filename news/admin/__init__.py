"""The editors' admin: articles with their schedule and revisions, categories, tags and CTAs."""

from news.admin import articles, authors, cta, taxonomy

__all__ = ["articles", "authors", "cta", "taxonomy"]
