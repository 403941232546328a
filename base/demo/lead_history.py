"""90 days of plausible lead history for the demo, so the dashboard, charts and SLA figures
show a living product rather than one busy morning.

Every lead goes through the real services (capture, routing, transitions) with `now` set to
its own moment, oldest first, so loads, deadlines and decision records are the ones the
pipeline would have made; only the timestamps the services stamp with the real clock
(created_at, the events') are moved back afterwards. A seeded generator makes every run
the same; leads are found by submission key, so a second run on the same day adds nothing.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from careers.attribution import Attribution
from careers.models import Interest, Lead, LeadEvent
from careers.services.capture import LeadDetails, lead_create
from careers.services.pipeline import lead_manual_transitions, lead_route, lead_transition
from news.models import Article

DAYS = 90
SEED = 20261202
FAMILY = [
    ("田中", "タナカ"),
    ("鈴木", "スズキ"),
    ("佐藤", "サトウ"),
    ("山田", "ヤマダ"),
    ("中島", "ナカジマ"),
    ("石井", "イシイ"),
    ("前田", "マエダ"),
    ("藤田", "フジタ"),
    ("岡本", "オカモト"),
    ("村上", "ムラカミ"),
    ("近藤", "コンドウ"),
    ("坂本", "サカモト"),
]
GIVEN = [
    ("大輝", "ダイキ"),
    ("美咲", "ミサキ"),
    ("翔太", "ショウタ"),
    ("葵", "アオイ"),
    ("健", "ケン"),
    ("優花", "ユウカ"),
    ("拓也", "タクヤ"),
    ("真央", "マオ"),
]
INTERESTS = [Interest.AI] * 5 + [Interest.WEB3] * 3 + [Interest.BOTH] * 2
TIMINGS = list(Lead.Timing)
METHODS = list(Lead.ContactMethod)
# (utm_source, utm_medium): where the readers came from before the article's CTA.
UTM = [("plusweb3", "article_cta")] * 4 + [
    ("google", "organic"),
    ("x", "social"),
    ("newsletter", "email"),
]
MESSAGES = [
    "生成AIを使ったプロダクト開発に関わりたいです。",
    "ブロックチェーン企業のバックオフィス職に興味があります。",
    "今の経験が活かせる求人があるか知りたいです。",
    "",
]


@dataclass(frozen=True)
class Outcome:
    """Where a lead ended: its statuses after assignment, each a number of hours later."""

    steps: tuple[tuple[str, float], ...]
    close_reason: str | None = None


def _outcome(rng: random.Random, age_days: int) -> Outcome:
    """Older leads have run their course (placed or closed); the last two weeks' are open,
    which keeps the advisors' loads within their capacity."""
    first_call = rng.choice([1, 2, 3, 5, 8, 20, 30])  # hours; a few miss the deadline
    contacted = (Lead.Status.CONTACTED, first_call)
    interviewing = (Lead.Status.INTERVIEWING, first_call + 72)
    closed = (Lead.Status.CLOSED, first_call + rng.choice([48, 120, 240]))
    reason = rng.choice(list(Lead.CloseReason))
    roll = rng.random()
    if age_days < 3:
        return Outcome(() if roll < 0.6 else (contacted,))
    if age_days < 14:
        if roll < 0.4:
            return Outcome((contacted,))
        if roll < 0.6:
            return Outcome((contacted, interviewing))
        return Outcome((contacted, closed), reason)
    if roll < 0.2:
        return Outcome((contacted, interviewing, (Lead.Status.PLACED, first_call + 300)))
    return Outcome((contacted, closed), reason)


def _moments(now: datetime):
    """(number, submitted at) for every demo lead, oldest first: more on weekdays."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, made the same on every run
    number = 0
    for days_ago in range(DAYS, 0, -1):
        day = timezone.localtime(now - timedelta(days=days_ago))
        count = rng.choice([1, 2, 2, 3, 4]) if day.weekday() < 5 else rng.choice([0, 1])
        for _ in range(count):
            number += 1
            minute = rng.randrange(8 * 60, 23 * 60)
            yield number, day.replace(hour=minute // 60, minute=minute % 60, second=0)


def _details(rng: random.Random, number: int) -> LeadDetails:
    (family, family_kana), (given, given_kana) = rng.choice(FAMILY), rng.choice(GIVEN)
    return LeadDetails(
        name=f"{family} {given}",
        name_kana=f"{family_kana} {given_kana}",
        email=f"demo-history-{number:03d}@example.com",
        phone=f"090{rng.randrange(10**8):08d}",
        interest=rng.choice(INTERESTS),
        timing=rng.choice(TIMINGS),
        contact_method=rng.choice(METHODS),
        message=rng.choice(MESSAGES),
    )


def _attribution(rng: random.Random, articles: list[Article]) -> Attribution:
    """The article whose CTA brought the lead, and the campaign that brought the reader."""
    source, medium = rng.choice(UTM)
    return Attribution(
        source_article=rng.choice(articles) if articles else None,
        utm_source=source,
        utm_medium=medium,
        landing_path="/consultation/",
    )


def _backdate(lead: Lead, moments: list[datetime]) -> None:
    """Move the stamps the services took from the real clock to the lead's own moments;
    a first call after its deadline counts as the breach the SLA check would have found."""
    Lead.objects.filter(pk=lead.pk).update(
        created_at=moments[0], updated_at=moments[-1], consented_at=moments[0]
    )
    Lead.objects.filter(pk=lead.pk, first_contacted_at__gt=F("first_contact_due_at")).update(
        sla_breached_at=F("first_contact_due_at"), sla_breach_count=1
    )
    events = LeadEvent.objects.filter(lead=lead).order_by("id").values_list("id", flat=True)
    for event_id, when in zip(events, moments, strict=False):
        LeadEvent.objects.filter(pk=event_id).update(created_at=when)


def load() -> str:
    now = timezone.now()
    articles = list(Article.objects.public().order_by("pk"))
    created = 0
    for number, submitted in _moments(now):
        key = f"demo-history-{number:03d}"
        if Lead.objects.filter(submission_key=key).exists():
            continue
        # One generator per lead: a skipped lead leaves the others' draws unchanged.
        rng = random.Random(SEED * 1000 + number)  # noqa: S311 - demo data
        details, outcome = _details(rng, number), _outcome(rng, (now - submitted).days)
        lead = lead_create(
            details=details, attribution=_attribution(rng, articles), submission_key=key
        )
        routed_at = submitted + timedelta(minutes=rng.randrange(1, 30))
        lead_route(lead_id=lead.pk, now=routed_at)
        moments = [submitted, routed_at]
        for status, hours in outcome.steps:
            when = routed_at + timedelta(hours=hours)
            if when >= now:
                break
            lead.refresh_from_db()
            if status not in lead_manual_transitions(lead=lead):
                break
            close_reason = outcome.close_reason if status == Lead.Status.CLOSED else None
            lead_transition(lead=lead, to=status, reason="", close_reason=close_reason, now=when)
            moments.append(when)
        _backdate(lead, moments)
        created += 1
    return f"{created} leads of the last {DAYS} days"
