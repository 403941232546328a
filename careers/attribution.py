"""Where a lead came from: the first landing on its form, kept in a signed cookie per form.

A cookie, not the session: reading the form must write nothing on our side, or every
crawler and every reader who never sends it would leave a session row behind. Public
article pages stay cookie-free and cacheable; their CTA links carry `?source=<slug>` and
`utm_*` instead.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db.models import Q

from core.normalization import clean_attribution
from news.models import Article

COOKIE_SALT = "careers.first_touch"
COOKIE_MAX_AGE = 30 * 24 * 60 * 60
# Browsers drop cookies over 4096 bytes; a touch that does not fit is simply not remembered.
_MAX_COOKIE_BYTES = 3800
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
# Bounded by the Lead fields they end up in.
_MAX_LENGTHS = {"source": 120, "referrer": 500, "landing_path": 500} | dict.fromkeys(
    UTM_FIELDS, 100
)


@dataclass(frozen=True)
class Attribution:
    """Where a lead came from (its first touch): the Lead fields of the same names."""

    source_article: Article | None = None
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    utm_term: str = ""
    utm_content: str = ""
    referrer: str = ""
    landing_path: str = ""


def attribution_from_request(request) -> dict[str, str]:
    """The touch this request represents: ?source, utm_*, referrer and the path it landed on."""
    values = {
        "source": request.GET.get("source"),
        "referrer": request.META.get("HTTP_REFERER"),
        "landing_path": request.get_full_path(),
        **{name: request.GET.get(name) for name in UTM_FIELDS},
    }
    return {
        name: clean_attribution(value, max_length=_MAX_LENGTHS[name])
        for name, value in values.items()
    }


def first_touch_cookie_name(form: str) -> str:
    # One per form: a reader who later opens the recruiters' page from the header did not
    # land there from the article that brought them to the consultation form.
    return f"first_touch_{form}"


def _remembered(request, form: str) -> dict | None:
    value = request.COOKIES.get(first_touch_cookie_name(form))
    if not value:
        return None
    try:
        remembered = signing.loads(value, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)
    except (signing.BadSignature, ValueError):
        return None
    return remembered if isinstance(remembered, dict) else None


def first_touch_remember(request, response, *, form: str) -> None:
    """Keep the first landing on `form` in a cookie; later visits never overwrite it."""
    if _remembered(request, form) is not None:
        return
    value = signing.dumps(attribution_from_request(request), salt=COOKIE_SALT, compress=True)
    if len(value) > _MAX_COOKIE_BYTES:
        return
    response.set_cookie(
        first_touch_cookie_name(form),
        value,
        max_age=COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def first_touch(request, *, form: str) -> dict[str, str]:
    """The remembered first touch on `form`, or this request's own when there is none."""
    remembered = _remembered(request, form)
    if remembered is not None:
        return {name: str(remembered.get(name) or "") for name in _MAX_LENGTHS}
    return attribution_from_request(request)


def source_article_for(slug: str) -> Article | None:
    """The public article a slug names (an old slug too); anything else is ignored."""
    if not slug:
        return None
    return (
        Article.objects.public()
        .filter(Q(slug=slug) | Q(slug_redirects__old_slug=slug))
        .distinct()
        .first()
    )


def attribution_for(request, *, form: str) -> Attribution:
    """The attribution of a lead sent on `form` now: its first touch, the article looked up."""
    touch = first_touch(request, form=form)
    return Attribution(
        source_article=source_article_for(touch["source"]),
        referrer=touch["referrer"],
        landing_path=touch["landing_path"],
        **{name: touch[name] for name in UTM_FIELDS},
    )
