"""Where a lead came from: the first landing on its form, kept in a signed cookie per form.

A cookie, not the session: reading the form must write nothing on our side, or every
crawler and every reader who never sends it would leave a session row behind. Public
article pages stay cookie-free and cacheable; their CTA links carry `?source=<slug>` and
`utm_*` instead.

A landing that names one of an article's counted doors (news.models.door_url) keeps the
door only when the click counter's signed token came with it, fresh and for that door, and
each counted click is credited to one lead at most. A form URL copied and opened elsewhere
credits the article without a door (「その他の経路」 in careers/funnel.py), so a door's leads
never outnumber its clicks. A lead that keeps its door also keeps when that click was made:
the funnel credits the lead to the click's day, so a day's leads never outnumber its clicks.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core import signing
from django.db.models import Q

from core.normalization import clean_attribution
from core.ratelimit import counters
from news.models import Article, Door, counted_click

logger = logging.getLogger(__name__)

COOKIE_SALT = "careers.first_touch"
COOKIE_MAX_AGE = 30 * 24 * 60 * 60
# Browsers drop cookies over 4096 bytes; a touch that does not fit is simply not remembered.
_MAX_COOKIE_BYTES = 3800
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
# Bounded by the Lead fields they end up in.
_MAX_LENGTHS = {"source": 120, "referrer": 500, "landing_path": 500} | dict.fromkeys(
    UTM_FIELDS, 100
)
# What a touch remembers: the fields above, and the id and time (epoch seconds) of the
# counted click it came through.
_TOUCH_FIELDS = (*_MAX_LENGTHS, "click", "clicked_at")
# Doors whose clicks lead to the lead forms, hence to leads.
LEAD_DOORS = (Door.CTA, Door.HEADER)


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
    # When the counted click the lead's door was credited for was made (None without one).
    door_clicked_at: datetime | None = None


def lead_door(*, utm_source: str, utm_medium: str, utm_campaign: str, utm_content: str):
    """The counted door a lead's utm_* name, as (door, CTA slug, interest), or None."""
    if utm_source != "article" or utm_medium not in LEAD_DOORS:
        return None
    if utm_medium == Door.CTA:
        return (Door.CTA, utm_campaign, utm_content)
    return (utm_medium, "", "")


def _named_door(touch: dict[str, str]):
    return lead_door(**{name: touch[name] for name in UTM_FIELDS if name != "utm_term"})


def attribution_from_request(request) -> dict[str, str]:
    """The touch this request represents: ?source, utm_*, referrer, the path it landed on, and
    the counted click it came through (checked now, while the click's token is fresh)."""
    values = {
        "source": request.GET.get("source"),
        "referrer": request.META.get("HTTP_REFERER"),
        "landing_path": request.get_full_path(),
        **{name: request.GET.get(name) for name in UTM_FIELDS},
    }
    touch = {
        name: clean_attribution(value, max_length=_MAX_LENGTHS[name])
        for name, value in values.items()
    }
    door = _named_door(touch)
    token = request.GET.get("click", "")
    touch["click"] = touch["clicked_at"] = ""
    if door is not None and token:
        door_name, campaign, interest = door
        click = counted_click(
            token,
            door=door_name,
            article_slug=touch["source"],
            campaign=campaign,
            interest=interest,
        )
        if click is not None:
            touch["click"], touch["clicked_at"] = click.id, str(int(click.at.timestamp()))
    return touch


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


def first_touch_remember(request, response, *, form: str, path: str) -> None:
    """Keep the first landing on `form` in a cookie; later visits never overwrite it.

    `path` is the form's own part of the site (its GET, its POST): the browser sends the
    cookie back there and nowhere else, so a reader who once opened a form still gets the
    page cache's cookie-less hits on every article.
    """
    if _remembered(request, form) is not None:
        return
    value = signing.dumps(attribution_from_request(request), salt=COOKIE_SALT, compress=True)
    if len(value) > _MAX_COOKIE_BYTES:
        return
    response.set_cookie(
        first_touch_cookie_name(form),
        value,
        max_age=COOKIE_MAX_AGE,
        path=path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def first_touch(request, *, form: str) -> dict[str, str]:
    """The remembered first touch on `form`, or this request's own when there is none."""
    remembered = _remembered(request, form)
    if remembered is not None:
        return {name: str(remembered.get(name) or "") for name in _TOUCH_FIELDS}
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


def _click_credit(click: str) -> bool:
    """Spend a counted click on the lead being sent; False if another lead already had it."""
    if not click:
        return False
    try:
        return counters().add(f"attribution:click:{click}", 1, timeout=COOKIE_MAX_AGE)
    except Exception:
        # Without the store a click could be credited twice; the lead keeps its article.
        logger.warning("click store unavailable; lead credited without its door", exc_info=True)
        return False


def attribution_for(request, *, form: str) -> Attribution:
    """The attribution of a lead sent on `form` now: its first touch, the article looked up.

    Call it once per lead: a door is credited only with a counted click no lead has had yet,
    otherwise the lead keeps its article and utm_* but not the door (utm_medium is left
    empty; the landing path still shows what the URL said).
    """
    touch = first_touch(request, form=form)
    utm = {name: touch[name] for name in UTM_FIELDS}
    door_clicked_at = None
    if _named_door(touch) is not None:
        if _click_credit(touch["click"]):
            door_clicked_at = _clicked_at(touch["clicked_at"])
        else:
            utm["utm_medium"] = ""
    return Attribution(
        source_article=source_article_for(touch["source"]),
        referrer=touch["referrer"],
        landing_path=touch["landing_path"],
        door_clicked_at=door_clicked_at,
        **utm,
    )


def _clicked_at(epoch_seconds: str) -> datetime | None:
    # Absent from a cookie set before clicks carried their time: the funnel then counts the
    # lead on the day it was sent, as it always did.
    if not epoch_seconds.isdigit():
        return None
    return datetime.fromtimestamp(int(epoch_seconds), tz=UTC)
