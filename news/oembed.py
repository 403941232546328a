"""An X post's words fetched once, server-side, from X's public oEmbed endpoint.

A post URL alone on a line of an article, with no words stored under 管理画面 → Xのポスト,
is asked for after the article is saved: a worker calls NEWS_OEMBED_ENDPOINT once, with a
short timeout, and keeps the author's name, handle, the text and the date as plain text in
an EmbeddedPost. The returned HTML is parsed, never stored nor rendered: its script reaches
nobody, and readers still get the static card and nothing from X.

Anything going wrong (no network, a timeout, a status other than 200, an answer that is not
a post) stores nothing and is logged: the line stays a plain link. A post is asked for at
most once per NEWS_OEMBED_RETRY_SECONDS, however often articles showing it are saved.
Words an editor entered are never replaced: a post that has a row is never fetched.
"""

import json
import logging
import re
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser
from http import HTTPStatus
from http.client import HTTPException
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import doorbell
from news.embeds import lone_post_urls
from news.models import EmbeddedPost
from news.models.embeds import X_STATUS_URL

logger = logging.getLogger(__name__)

FETCH_TASK = "news.tasks.embedded_posts_fetch_task"
# A post's oEmbed answer is a few kilobytes; anything far larger is not one.
MAX_RESPONSE_BYTES = 256 * 1024
# "— Sam Altman (@sama)": what follows the post's text in X's blockquote.
_BYLINE = re.compile(
    r"^[\s\u2014\u2013-]*(?P<name>.+?)\s*\(@(?P<handle>[A-Za-z0-9_]{1,15})\)\s*$", re.DOTALL
)
# The date link's words, with lang=en.
_DATE = re.compile(r"^(?P<month>[A-Z][a-z]+) (?P<day>\d{1,2}), (?P<year>\d{4})$")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# Post ids since November 2010 carry their creation time: milliseconds since this moment,
# above the id's 22 lowest bits. The blockquote gives only the day.
_SNOWFLAKE_EPOCH_MS = 1288834974657
_NAME_LENGTH = EmbeddedPost._meta.get_field("author_name").max_length
_TEXT_LENGTH = EmbeddedPost._meta.get_field("text").max_length


def embedded_posts_fetch_ring(body_html: str) -> None:
    """After commit, ask a worker for the words of the body's lone posts that have none."""
    if not settings.NEWS_OEMBED_ENDPOINT:
        return
    urls = lone_post_urls(body_html)
    if not urls:
        return
    stored = set(
        EmbeddedPost.objects.filter(status_id__in=urls).values_list("status_id", flat=True)
    )
    missing = [url for status_id, url in urls.items() if status_id not in stored]
    if missing:
        doorbell.ring_on_commit(FETCH_TASK, missing)


def embedded_posts_fetch(*, urls: list[str]) -> int:
    """Fetch and store the words of each post in `urls` that has none; how many were stored.

    The endpoint being unreachable ends the batch: the other posts would wait as long.
    """
    stored = 0
    for url in urls:
        status = X_STATUS_URL.match(url)
        if status is None or EmbeddedPost.objects.filter(status_id=status["status_id"]).exists():
            continue
        # Claimed for a while, so a redelivered task or another save does not ask again.
        claim = f"news:oembed:asked:{status['status_id']}"
        if not cache.add(claim, 1, settings.NEWS_OEMBED_RETRY_SECONDS):
            continue
        answer = _oembed_answer(url)
        if answer is None:
            return stored
        words = post_words(answer, status_id=status["status_id"])
        if words is None:
            logger.warning("oEmbed answer for %s is not a post; left as a plain link", url)
            continue
        stored += _post_store(words)
    return stored


def _oembed_answer(url: str) -> dict | None:
    """The endpoint's JSON object for `url`; {} for an answer that is not one, None (logged)
    when the endpoint could not be reached or did not answer 200."""
    endpoint = settings.NEWS_OEMBED_ENDPOINT
    if urlsplit(endpoint).scheme not in ("http", "https"):
        logger.warning("NEWS_OEMBED_ENDPOINT is not an http(s) URL; %s not fetched", url)
        return None
    query = urlencode({"url": url, "omit_script": "1", "dnt": "true", "lang": "en"})
    # The scheme is checked above: no file:// or other opener is reachable from here.
    request = Request(f"{endpoint}?{query}", headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urlopen(request, timeout=settings.NEWS_OEMBED_TIMEOUT_SECONDS) as response:  # noqa: S310
            if response.status != HTTPStatus.OK:
                raise HTTPException(f"status {response.status}")
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except (OSError, HTTPException, ValueError) as error:
        # URLError, HTTPError (4xx, 5xx), timeouts and refused connections are all OSError.
        logger.warning("oEmbed endpoint unavailable for %s: %s", url, error)
        return None
    if len(body) > MAX_RESPONSE_BYTES:
        return {}
    try:
        answer = json.loads(body)
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


class _Blockquote(HTMLParser):
    """The plain text of X's blockquote: the post's paragraph, the byline and the date link.

    Only text is kept; a script or style element, inside the blockquote or not, is skipped
    with its content, and entities are decoded once (the card escapes on output).
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.skipping = 0
        self.in_paragraph = False
        self.in_link = False
        self.paragraph: list[str] = []
        self.byline: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skipping += 1
        elif tag == "blockquote":
            self.depth += 1
        elif self.depth and tag == "p" and not self.paragraph:
            self.in_paragraph = True
        elif self.depth and tag == "br" and self.in_paragraph:
            self.paragraph.append("\n")
        elif self.depth and tag == "a" and not self.in_paragraph:
            self.in_link = True
            self.links.append("")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skipping = max(0, self.skipping - 1)
        elif tag == "blockquote":
            self.depth = max(0, self.depth - 1)
        elif tag == "p":
            self.in_paragraph = False
        elif tag == "a":
            self.in_link = False

    def handle_data(self, data):
        if self.skipping or not self.depth:
            return
        if self.in_paragraph:
            self.paragraph.append(data)
        elif self.in_link:
            self.links[-1] += data
        else:
            self.byline.append(data)


def post_words(answer: dict, *, status_id: str) -> dict | None:
    """Name, handle, text and time of the post from an oEmbed answer's blockquote, or None."""
    markup, answered_url = answer.get("html"), answer.get("url")
    answered = X_STATUS_URL.match(answered_url) if isinstance(answered_url, str) else None
    if not isinstance(markup, str) or answered is None or answered["status_id"] != status_id:
        return None
    parser = _Blockquote()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.paragraph).strip()
    byline = _BYLINE.match(" ".join("".join(parser.byline).split()))
    day = _day(parser.links[-1]) if parser.links else None
    if not text or byline is None or day is None:
        return None
    if len(text) > _TEXT_LENGTH:
        text = text[: _TEXT_LENGTH - 1] + "…"
    return {
        "url": f"https://x.com/{byline['handle']}/status/{status_id}",
        "author_name": byline["name"][:_NAME_LENGTH],
        "text": text,
        "posted_at": _posted_at(int(status_id), day),
    }


def _day(link_text: str) -> date | None:
    # lang=en in the request: "May 5, 2014". Not strptime, whose month names follow the locale.
    found = _DATE.match(" ".join(link_text.split()))
    if found is None or found["month"] not in _MONTHS:
        return None
    try:
        return date(int(found["year"]), _MONTHS.index(found["month"]) + 1, int(found["day"]))
    except ValueError:
        return None


def _posted_at(status_id: int, day: date) -> datetime:
    moment = datetime.fromtimestamp(((status_id >> 22) + _SNOWFLAKE_EPOCH_MS) / 1000, tz=UTC)
    # The blockquote's day is in a time zone X does not state: a day either side agrees.
    if abs(moment.date() - day) <= timedelta(days=1):
        return moment
    # An id from before 2010 carries no time: the day alone, at its start in Japan.
    return timezone.make_aware(datetime.combine(day, time()))


def _post_store(words: dict) -> int:
    """Store fetched words unless a row came meanwhile (an editor's words win); 1 if stored."""
    post = EmbeddedPost(**words)
    try:
        with transaction.atomic():
            post.save()
    except IntegrityError:
        return 0
    return 1
