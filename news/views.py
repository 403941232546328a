"""The public article page and its counted doors (CTA buttons, header and follow links)."""

from operator import attrgetter

from django.conf import settings
from django.db.models import JSONField, OuterRef, Prefetch, Subquery
from django.db.models.functions import JSONObject
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.interests import Interest
from news.cache import cache_public_page
from news.embeds import linked_article_slugs, with_cards, with_responsive_images
from news.jsonld import absolute_url, json_ld
from news.models import (
    Article,
    ArticleSlugRedirect,
    CallToAction,
    Category,
    CTAButton,
    CTAClick,
    Door,
    Tag,
    door_url,
    json_rows,
)
from news.readership import article_view_count, popular_articles
from news.versions import article_parts

RELATED_COUNT = 4
# What the CTA box and its counted links read of the site's default CTA.
DEFAULT_CTA_FIELDS = ("id", "slug", "heading", "body", "recommendations", "closing", "is_active")


def _article_queryset():
    public = Article.objects.public()
    older = public.filter(published_at__lt=OuterRef("published_at")).order_by(
        "-published_at", "-id"
    )
    newer = public.filter(published_at__gt=OuterRef("published_at")).order_by("published_at", "id")
    return (
        Article.objects.select_related("author", "cta")
        .defer("body", "search_text")
        .annotate(
            previous_slug=Subquery(older.values("slug")[:1]),
            previous_title=Subquery(older.values("title")[:1]),
            next_slug=Subquery(newer.values("slug")[:1]),
            next_title=Subquery(newer.values("title")[:1]),
            tag_rows=json_rows(Tag.objects.all(), "articles", "id", "name", "slug"),
            default_cta_row=_default_cta_row(),
        )
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.select_related("cta")),
            "authors",
        )
    )


def _tags(article) -> list[Tag]:
    return sorted((Tag(**row) for row in article.tag_rows), key=attrgetter("name"))


def _default_cta_row():
    """The site's default CTA with its buttons, as one JSON object read with the article's
    row: the page then runs no query of its own for it, even when every cache is cold."""
    return Subquery(
        CallToAction.objects.filter(is_default=True, is_active=True)
        .annotate(
            button_rows=json_rows(
                CTAButton.objects.all(), "cta", "id", "position", "label", "interest"
            )
        )
        .values(
            row=JSONObject(
                **{field: field for field in DEFAULT_CTA_FIELDS}, button_rows="button_rows"
            )
        )[:1],
        output_field=JSONField(),
    )


def _default_cta(row: dict | None) -> CallToAction | None:
    if row is None:
        return None
    cta = CallToAction(**{field: row[field] for field in DEFAULT_CTA_FIELDS})
    cta.button_rows = row["button_rows"]
    return cta


def _json_ld(article, tags, canonical_url):
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.display_description,
        "mainEntityOfPage": canonical_url,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.updated_at.isoformat(),
        "author": _json_ld_authors(article),
        "publisher": {
            "@type": "Organization",
            "name": "Plus Web3",
            "logo": {"@type": "ImageObject", "url": absolute_url(static("news/img/logo.png"))},
        },
        "articleSection": [category.name for category in article.categories.all()],
        "keywords": [tag.name for tag in tags],
    }
    if article.share_image_url:
        data["image"] = [absolute_url(article.share_image_url)]
    return json_ld(data)


def _breadcrumb_json_ld(article, primary_category, canonical_url):
    """The same trail as the visible breadcrumb: home, the first category, the article."""
    trail = [(_("ホーム"), absolute_url("/"))]
    if primary_category is not None:
        trail.append((primary_category.name, absolute_url(primary_category.get_absolute_url())))
    trail.append((article.title, canonical_url))
    return json_ld(
        {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": position, "name": name, "item": url}
                for position, (name, url) in enumerate(trail, start=1)
            ],
        }
    )


def _json_ld_authors(article):
    authors = list(article.authors.all())
    if not authors:
        return [{"@type": "Person", "name": article.display_byline}]
    return [
        {"@type": "Person", "name": author.name, "url": absolute_url(author.get_absolute_url())}
        for author in authors
    ]


def _cta_buttons(article, cta) -> list[tuple[CTAButton, str]]:
    """Each button of the CTA with its counted link; the interest is part of the path."""
    if cta is None:
        return []
    rows = getattr(cta, "button_rows", None)
    if rows is None:
        # The article's or its category's own CTA came by select_related, without rows.
        buttons = cta.buttons.all()
    else:
        buttons = sorted((CTAButton(**row) for row in rows), key=attrgetter("position", "id"))
    links = []
    for button in buttons:
        kwargs = {"slug": article.slug, "cta_slug": cta.slug}
        if button.interest:
            kwargs["interest"] = button.interest
        links.append((button, reverse("news:cta_click", kwargs=kwargs)))
    return links


def _redirect_from_old_slug(request, slug):
    redirect_row = (
        ArticleSlugRedirect.objects.select_related("article").filter(old_slug=slug).first()
    )
    if redirect_row is None:
        raise Http404
    article = redirect_row.article
    if not article.is_public and not _can_preview(request):
        raise Http404
    return HttpResponsePermanentRedirect(article.get_absolute_url())


def _can_preview(request) -> bool:
    """Drafts are for staff who may read articles (editors), not for every staff member."""
    user = request.user
    return user.is_active and user.is_staff and user.has_perm("news.view_article")


@require_safe
@cache_public_page
def article_detail(request, slug):
    """A public article, or a draft for those who may preview it.

    Everything but the 人気記事 changes only when something is saved, so a public article's
    parts are stored for every reader until a save changes what they show (news.versions);
    a preview's never are.
    """
    stored = article_parts(slug)
    own, around = stored.parts.get("own"), stored.parts.get("around")
    is_preview = False
    if own is None or around is None:
        article = _article_queryset().filter(slug=slug).first()
        if article is None:
            return _redirect_from_old_slug(request, slug)
        is_preview = not article.is_public
        if is_preview and not _can_preview(request):
            raise Http404
        if own is None or is_preview:
            own, shows = _own_parts(article, is_preview=is_preview)
            if not is_preview:
                stored.keep("own", own, shows=shows)
        if around is None or is_preview:
            around, shows = _around_parts(article)
            if not is_preview:
                stored.keep("around", around, shows=shows)
    response = render(
        request,
        "news/article.html",
        {"article": own | around, "popular": popular_articles()},
    )
    if is_preview:
        # Unpublished words must not linger in a browser's or a proxy's cache.
        patch_cache_control(response, private=True, no_store=True)
    else:
        article_view_count(request)
    return response


def _own_parts(article, *, is_preview: bool) -> tuple[dict, set[str]]:
    """The parts only this article and its labels decide, rendered without the request:
    nothing personal. With them, the slugs of the articles they show (its body's cards).

    `slug` is what the header's counted consultation link reads.
    """
    categories = list(article.categories.all())
    primary_category = categories[0] if categories else None
    tags = _tags(article)
    cta = article.effective_cta(default_cta=lambda: _default_cta(article.default_cta_row))
    canonical_url = absolute_url(article.get_absolute_url())
    context = {
        "article": article,
        "body_html": with_responsive_images(with_cards(article.body_html)),
        "categories": categories,
        "primary_category": primary_category,
        "tags": tags,
        "cta": cta,
        "cta_buttons": _cta_buttons(article, cta),
        "is_preview": is_preview,
        "canonical_url": canonical_url,
        "share_image": absolute_url(article.share_image_url),
        "json_ld": _json_ld(article, tags, canonical_url),
        "breadcrumb_json_ld": _breadcrumb_json_ld(article, primary_category, canonical_url),
        "SITE_URL": settings.SITE_URL,
    }
    parts = {
        "slug": article.slug,
        "title": article.display_title,
        "description": article.display_description,
        "head": render_to_string("news/includes/article_head.html", context),
        "preview_banner": (
            render_to_string("news/includes/preview_banner.html", context) if is_preview else ""
        ),
        "breadcrumb": render_to_string("news/includes/article_breadcrumb.html", context),
        "main": render_to_string("news/includes/article_main.html", context),
    }
    return parts, {article.slug, *linked_article_slugs(article.body_html)}


def _around_parts(article) -> tuple[dict, set[str]]:
    """The pager and the related cards: chosen among the other public articles, so any
    publication or a save of one they show changes them."""
    related = list(
        Article.objects.for_lists().related_to(
            article,
            tag_ids=[row["id"] for row in article.tag_rows],
            category_ids=[category.pk for category in article.categories.all()],
        )[:RELATED_COUNT]
    )
    context = {"article": article, "related": related}
    parts = {
        "pager": render_to_string("news/includes/article_pager.html", context),
        "related": render_to_string("news/includes/article_related.html", context),
    }
    neighbours = {article.previous_slug, article.next_slug} - {None}
    return parts, {article.slug, *neighbours, *(card.slug for card in related)}


@never_cache
@require_safe
def cta_click(request, slug, cta_slug, interest=""):
    """Count a click on one CTA button for the article and day, then send the reader to the form.

    The article page is cached and carries no script for this: each button is a plain
    link through here. The reader always lands on the form, even if the article or CTA
    was renamed in the meantime.
    """
    cta = CallToAction.objects.filter(slug=cta_slug).only("id", "slug").first()
    interest = interest if interest in Interest.values else ""
    article_id = _public_article_id(slug)
    if cta is not None and article_id is not None:
        CTAClick.record(article_id=article_id, door=Door.CTA, cta_id=cta.id, interest=interest)
    return redirect(door_url(Door.CTA, slug, campaign=cta_slug, interest=interest))


@never_cache
@require_safe
def door_click(request, slug, door):
    """Count a click on the header's consultation button or the follow box, then go on."""
    if door not in (Door.HEADER, Door.FOLLOW):
        raise Http404
    article_id = _public_article_id(slug)
    if article_id is not None:
        CTAClick.record(article_id=article_id, door=door)
    return redirect(door_url(door, slug))


def _public_article_id(slug) -> int | None:
    return Article.objects.public().filter(slug=slug).values_list("id", flat=True).first()
