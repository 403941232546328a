"""The weekly 「新着案件」 digest: the new open projects of each subscriber's field.

Every email is an outbox row keyed by (digest week, subscriber): the digest task delivered
twice, or run again after a crash half-way, finds the rows already there and queues nobody
a second email. The outbox then sends, retries and sweeps them like every other email.
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from newsletter.emails import NEWSLETTER_NAME, unsubscribe_headers
from newsletter.models import Subscriber, Topic
from newsletter.selectors import (
    project_digest_recipients,
    projects_for_topics,
    projects_opened_between,
)
from outbox.models import Email
from outbox.services import email_queue
from projects.models import Project

DIGEST_KIND = "newsletter_projects"
# An email, not the board: more than this and the reader is better served by the list.
DIGEST_MAX_PROJECTS = 10


@dataclass(frozen=True)
class DigestWeek:
    """One weekly digest: its name and the publishing window it reports."""

    label: str
    since: dt.datetime
    until: dt.datetime


def digest_week_for(*, now: dt.datetime) -> DigestWeek:
    """The digest sent in `now`'s ISO week (Japan time): projects opened the week before.

    Any run in the same week names the same digest and the same window, so every
    project is announced in exactly one digest.
    """
    today = timezone.localdate(now)
    monday = today - dt.timedelta(days=today.weekday())
    until = dt.datetime.combine(monday, dt.time.min, tzinfo=timezone.get_current_timezone())
    year, week, _weekday = monday.isocalendar()
    return DigestWeek(label=f"{year}-W{week:02d}", since=until - dt.timedelta(days=7), until=until)


def digest_key(*, week: DigestWeek, subscriber: Subscriber | None) -> str:
    """The outbox key of one subscriber's digest; without one, the prefix of the week's keys."""
    return f"newsletter:projects:{week.label}:{subscriber.pk if subscriber else ''}"


def _tracked(path: str, *, week: DigestWeek, query: dict | None = None) -> str:
    params = {
        **(query or {}),
        "utm_source": "newsletter",
        "utm_medium": "email",
        "utm_campaign": f"projects-{week.label}",
    }
    return f"{settings.SITE_URL}{path}?{urlencode(params)}"


def _digest_context(*, week: DigestWeek, subscriber: Subscriber, projects: list[Project]):
    field_filter = {} if subscriber.topics == Topic.BOTH else {"field": subscriber.topics}
    return {
        "newsletter_name": NEWSLETTER_NAME,
        "count": len(projects),
        "projects": [
            {
                "title": project.title,
                "url": _tracked(project.get_absolute_url(), week=week),
                "summary": project.summary,
                "client": project.client_display,
                "terms": " / ".join(
                    part
                    for part in (
                        project.rate_display,
                        project.days_display,
                        project.get_remote_display(),
                    )
                    if part
                ),
            }
            for project in projects[:DIGEST_MAX_PROJECTS]
        ],
        "more": max(len(projects) - DIGEST_MAX_PROJECTS, 0),
        "list_url": _tracked(reverse("projects:list"), week=week, query=field_filter),
        "topics_display": subscriber.get_topics_display(),
        "preferences_url": subscriber.preferences_url(),
        "unsubscribe_url": subscriber.unsubscribe_url(),
        "site_url": settings.SITE_URL,
    }


def project_digest_send(*, now: dt.datetime | None = None) -> int:
    """Queue this week's digest to every subscriber of 「新着案件」 with a matching project.

    A subscriber whose field had no new project gets nothing. Returns how many digests
    this run handed to the outbox: 0 for a run after a finished one. Two runs at once may
    both hand over the same digest; the outbox keeps one row per key, so it goes out once.
    """
    week = digest_week_for(now=now or timezone.now())
    projects = projects_opened_between(since=week.since, until=week.until)
    if not projects:
        return 0
    # Rendering is the expensive part: a repeated run skips those already queued.
    already = set(
        Email.objects.filter(key__startswith=digest_key(week=week, subscriber=None)).values_list(
            "key", flat=True
        )
    )
    queued = 0
    for subscriber in project_digest_recipients().order_by("pk").iterator(chunk_size=500):
        key = digest_key(week=week, subscriber=subscriber)
        matching = projects_for_topics(projects=projects, topics=subscriber.topics)
        if key in already or not matching:
            continue
        # One transaction each: the outbox rings its worker as soon as this row commits.
        with transaction.atomic():
            email_queue(
                key=key,
                kind=DIGEST_KIND,
                to=[subscriber.email],
                template="newsletter/email/projects",
                context=_digest_context(week=week, subscriber=subscriber, projects=matching),
                about=subscriber,
                headers=unsubscribe_headers(subscriber=subscriber),
            )
        queued += 1
    return queued
