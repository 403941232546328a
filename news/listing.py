"""The public list pages: home, category, tag and author. Each stores its parts per page
number for every reader until a save changes what they show (news.versions.list_parts), runs
a fixed, small number of queries when it renders them and is page-cached."""

from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from news.cache import cache_public_list, page_number_parameter, page_shareable
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


def _home_parts(request) -> tuple[dict, set[str]]:
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
    context = {"featured": featured, "page_obj": page, "sections": sections}
    listed = [*featured, *page.object_list, *(a for _, articles in sections for a in articles)]
    parts = {
        "page_number": page.number,
        # From the path and the page only: a visitor's query must never reach a
        # cached canonical or og:url.
        "canonical_url": absolute_url(
            request.path if page.number == 1 else f"{request.path}?page={page.number}"
        ),
        "hero": render_to_string("news/includes/home_hero.html", context),
        "latest": render_to_string("news/includes/home_latest.html", context),
        "sections": render_to_string("news/includes/home_sections.html", context),
    }
    return parts, {article.slug for article in listed}


def _shared_parts(request, render_parts) -> dict:
    """A list page's parts, rendered once for every reader until a save changes what they
    show; `render_parts` gives them with the slugs of the articles they list.

    A junk or out-of-range page number is rendered for this request and never stored.
    """
    parameters = page_number_parameter(request.GET)
    if parameters is None:
        return render_parts()[0]
    stored = list_parts(f"{request.path}?{parameters}")
    if (parts := stored.parts.get(LIST)) is not None:
        return parts
    parts, shows = render_parts()
    if page_shareable(request):
        stored.keep(LIST, parts, shows=shows)
    return parts


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


def _list_parts(
    request, owner, *, heading, kicker, description, **context
) -> tuple[dict, set[str]]:
    page = articles_page(request, card_articles(owner.articles.public()))
    with_card_categories(page.object_list)
    context = {
        "heading": heading,
        "kicker": kicker,
        "description": description,
        "page_obj": page,
        **context,
    }
    parts = {
        "page_number": page.number,
        "heading": heading,
        "description": description,
        "canonical_url": absolute_url(owner.get_absolute_url()),
        "content": render_to_string("news/includes/list_content.html", context),
    }
    return parts, {article.slug for article in page.object_list}


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
