"""The editors' admin: articles with their schedule and revisions, categories, tags, CTAs,
quoted X posts and body images."""

from news.admin import articles, authors, cta, embeds, images, taxonomy

__all__ = ["articles", "authors", "cta", "embeds", "images", "taxonomy"]
