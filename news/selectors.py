"""Reads shared by the public news pages and search: a page of cards, their badges, sections."""

from operator import itemgetter

from django.core.paginator import Page, Paginator
from django.db.models import F, Window
from django.db.models.functions import RowNumber

from news.cache import reader_page
from news.models import Article, Category, json_rows, visible_to_readers

PAGE_SIZE = 12
SECTION_COUNT = 4


def articles_page(request, articles) -> Page:
    """The page of `articles` that `?page=` asks for, its cards read once."""
    page = reader_page(request, Paginator(articles, PAGE_SIZE))
    # Evaluate once: the template, the featured fallback and the prefetch share it.
    page.object_list = list(page.object_list)
    return page


def card_articles(articles):
    """`articles` as cards: card fields only, each with its categories read in its own row."""
    return articles.for_lists().annotate(
        category_rows=json_rows(Category.objects.all(), "articles", "id", "name", "slug", "order")
    )


def with_card_categories(*article_lists) -> None:
    """Each card's badge (`card_category`): its first category in display order, no query."""
    for articles in article_lists:
        for article in articles:
            rows = sorted(article.category_rows, key=itemgetter("order", "name"))
            article.card_category = Category(**rows[0]) if rows else None


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
