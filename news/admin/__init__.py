"""The editors' admin: articles with their schedule and revisions, categories, tags, CTAs
and quoted X posts."""

from news.admin import articles, authors, cta, embeds, taxonomy

__all__ = ["articles", "authors", "cta", "embeds", "taxonomy"]
