"""What the article admin form posts, built from an article, for tests that save through it."""

from django.utils import timezone


def _split(moment):
    if moment is None:
        return {"_0": "", "_1": ""}
    local = timezone.localtime(moment)
    return {"_0": local.strftime("%Y-%m-%d"), "_1": local.strftime("%H:%M:%S")}


def article_form_data(article, **changes):
    """The change form's fields for `article`, with `changes` applied (names as in the form)."""
    values = {
        "title": article.title,
        "slug": article.slug,
        "lead": article.lead,
        "body": article.body,
        "status": article.status,
        "published_at": article.published_at,
        "expires_at": article.expires_at,
        "author": article.author_id or "",
        "authors": [author.pk for author in article.authors.all()],
        "byline": article.byline,
        "categories": [category.pk for category in article.categories.all()],
        "tags": [tag.pk for tag in article.tags.all()],
        "hero_alt": article.hero_alt,
        "references": "",
        "pinned_related": [other.pk for other in article.pinned_related.all()],
        "cta_choice": article.cta_choice,
        "cta": article.cta_id or "",
        "seo_title": article.seo_title,
        "seo_description": article.seo_description,
    }
    if article.is_featured:
        values["is_featured"] = "on"
    values.update(changes)
    data = {}
    for name, value in values.items():
        if name in ("published_at", "expires_at"):
            data.update({f"{name}{part}": text for part, text in _split(value).items()})
        else:
            data[name] = value
    return data
