"""Reads shared by the public news pages and search: a page of cards, their badges, sections."""

from django.core.paginator import Page, Paginator
from django.db.models import F, Window, prefetch_related_objects
from django.db.models.functions import RowNumber

from news.cache import reader_page
from news.models import Article, visible_to_readers

PAGE_SIZE = 12
SECTION_COUNT = 4


def articles_page(request, articles) -> Page:
    """The page of `articles` that `?page=` asks for, its cards read once."""
    page = reader_page(request, Paginator(articles, PAGE_SIZE))
    # Evaluate once: the template, the featured fallback and the prefetch share it.
    page.object_list = list(page.object_list)
    return page


def with_card_categories(*article_lists) -> None:
    """One query for the category badges of every card on the page."""
    articles = [article for articles in article_lists for article in articles]
    prefetch_related_objects(articles, "categories")


def category_sections() -> list[tuple]:
    """The newest public articles of every category, in one query (a window per category)."""
    link = Article.categories.through
    links = (
        link.objects.filter(visible_to_readers("article__"))
        .select_related("category", "article")
        .defer(
            "article__body",
            "article__body_html",
            "article__toc",
            "article__references",
            "category__description",
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("category_id"),
                order_by=[F("article__published_at").desc(), F("article_id").desc()],
            )
        )
        .filter(rank__lte=SECTION_COUNT)
        .order_by("category__order", "category__name", "rank")
    )
    sections = {}
    for row in links:
        sections.setdefault(row.category_id, (row.category, []))[1].append(row.article)
    return list(sections.values())
