"""The project pages' page cache: news' mechanism, with the list's filters in the key.

A cached page never outlives the next closing time (`next_change`), which is how a
project leaves the list when its closes_at passes, with no cron and no edit.
"""

from django.core.cache import cache

from news.cache import PageCache
from news.models import Tag
from projects.filters import cache_parameters
from projects.models import Project

PROJECT_PAGES = PageCache("projects", next_change=Project.objects.closing_next)


def skill_choices() -> list[tuple[str, str]]:
    """(slug, name) of each required skill of an open project: the skill filter's values.

    Cached with the pages' generation, so the cache key can be checked against it
    without a query and a new project's skills appear as soon as it is saved.
    """
    key = f"projects:skills:{PROJECT_PAGES.current_generation()}"
    choices = cache.get(key)
    if choices is None:
        choices = list(
            Tag.objects.filter(required_by_projects__in=Project.objects.accepting())
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        )
        cache.set(key, choices, timeout=PROJECT_PAGES.page_timeout())
    return choices


def list_parameters(query) -> str | None:
    """The list's part of its cache key: the known filter values and the page number."""
    return cache_parameters(query, skill_slugs={slug for slug, _ in skill_choices()})
