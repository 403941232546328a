"""The public list pages: home, category, tag and author. Each stores its parts per page
number for every reader until a save changes what they show (news.versions.list_parts), runs
a fixed, small number of queries when it renders them, one to render again the cards of the
listed articles saved since, and is page-cached."""

from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from news.cache import cache_public_list, page_number_parameter, page_shareable
from news.cards import CARDS, Cards, cards_assembled, cards_listed, cards_refreshed
from news.jsonld import absolute_url
from news.models import Article, Author, Category, Tag
from news.readership import popular_articles
from news.selectors import articles_page, card_articles, category_sections, with_card_categories
from news.versions import LIST, list_parts

FEATURED_COUNT = 3


@require_safe
@cache_public_list
def home(request):
    parts = _shared_parts(request, lambda: _home_parts(request))
    return render(
        request,
        "news/home.html",
        {
            "parts": parts,
            "page_number": parts["page_number"],
            "canonical_url": parts["canonical_url"],
            "popular": popular_articles(),
        },
    )


def _home_parts(request) -> dict:
    page = articles_page(request, card_articles(Article.objects.public()))
    featured = []
    sections = []
    if page.number == 1:
        featured = list(
            card_articles(Article.objects.public()).filter(is_featured=True)[:FEATURED_COUNT]
        )
        if not featured:
            featured = page.object_list[:FEATURED_COUNT]
        sections = category_sections()
    with_card_categories(featured, page.object_list)
    cards = Cards()
    context = {
        "featured": [
            cards.card(article, card_size="large", eager=True, show_lead=True, heading_level=2)
            if index == 0
            else cards.card(article, card_size="side", heading_level=2)
            for index, article in enumerate(featured)
        ],
        "page_obj": page,
        "latest": [cards.card(article, show_lead=True) for article in page.object_list],
        "sections": [
            (category, [cards.card(article, card_category=category) for article in articles])
            for category, articles in sections
        ],
    }
    return {
        "page_number": page.number,
        # From the path and the page only: a visitor's query must never reach a
        # cached canonical or og:url.
        "canonical_url": absolute_url(
            request.path if page.number == 1 else f"{request.path}?page={page.number}"
        ),
        "hero": render_to_string("news/includes/home_hero.html", context),
        "latest": render_to_string("news/includes/home_latest.html", context),
        "sections": render_to_string("news/includes/home_sections.html", context),
        CARDS: cards.stored(),
    }


def _shared_parts(request, render_parts) -> dict:
    """A list page's parts, rendered once for every reader until a save changes what they
    show; a save of a listed article renders only its cards again (news.cards).

    A junk or out-of-range page number is rendered for this request and never stored.
    """
    parameters = page_number_parameter(request.GET)
    if parameters is None:
        return cards_assembled(render_parts())
    stored = list_parts(f"{request.path}?{parameters}")
    parts = stored.parts.get(LIST)
    if parts is None:
        outdated = stored.outdated.get(LIST)
        parts = (outdated and cards_refreshed(*outdated)) or render_parts()
        if page_shareable(request):
            stored.keep(LIST, parts, shows=cards_listed(parts))
    return cards_assembled(parts)


def _list_page(request, render_parts):
    """A paginated list of a category's, a tag's or an author's articles."""
    parts = _shared_parts(request, render_parts)
    return render(
        request,
        "news/list.html",
        {
            "parts": parts,
            "page_number": parts["page_number"],
            "canonical_url": parts["canonical_url"],
        },
    )


def _list_parts(request, owner, *, heading, kicker, description, **context) -> dict:
    page = articles_page(request, card_articles(owner.articles.public()))
    with_card_categories(page.object_list)
    cards = Cards()
    context = {
        "heading": heading,
        "kicker": kicker,
        "description": description,
        "page_obj": page,
        "cards": [
            cards.card(article, show_lead=True, heading_level=2) for article in page.object_list
        ],
        **context,
    }
    return {
        "page_number": page.number,
        "heading": heading,
        "description": description,
        "canonical_url": absolute_url(owner.get_absolute_url()),
        "content": render_to_string("news/includes/list_content.html", context),
        CARDS: cards.stored(),
    }


@require_safe
@cache_public_list
def category_detail(request, slug):
    def parts():
        category = get_object_or_404(Category, slug=slug)
        return _list_parts(
            request,
            category,
            heading=category.name,
            kicker=_("カテゴリ"),
            description=category.description,
            category=category,
        )

    return _list_page(request, parts)


@require_safe
@cache_public_list
def tag_detail(request, slug):
    def parts():
        tag = get_object_or_404(Tag, slug=slug)
        return _list_parts(
            request,
            tag,
            heading=f"#{tag.name}",
            kicker=_("タグ"),
            description=_("「%(tag)s」に関する記事の一覧です。") % {"tag": tag.name},
        )

    return _list_page(request, parts)


@require_safe
@cache_public_list
def author_detail(request, slug):
    def parts():
        author = get_object_or_404(Author, slug=slug)
        return _list_parts(
            request,
            author,
            heading=author.name,
            kicker=_("執筆者"),
            description=author.bio,
            author=author,
        )

    return _list_page(request, parts)
