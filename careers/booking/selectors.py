"""Reads for booking: the policy's facts, the advisors' hours, and the slots they make."""

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta
from itertools import groupby

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from careers.booking.calendar import (
    AdvisorHours,
    Slot,
    earliest_start,
    offered_days,
    open_slots,
)
from careers.booking.policy import booking_allowed_ids
from careers.business_days import TOKYO
from careers.models import (
    AdvisorAbsence,
    AdvisorHoursException,
    AdvisorWeeklyHours,
    Booking,
    Lead,
)
from careers.routing import AdvisorFacts, LeadFacts
from careers.routing_rules import RuleSetFacts
from careers.rule_selectors import routing_facts_for
from careers.selectors import lead_open_statuses


def slot_length() -> timedelta:
    return timedelta(minutes=settings.CAREERS_BOOKING_SLOT_MINUTES)


def booking_notice() -> timedelta:
    return timedelta(hours=settings.CAREERS_BOOKING_NOTICE_BUSINESS_HOURS)


def booking_live_for(*, lead: Lead) -> Booking | None:
    """The lead's booked (not cancelled, not past) consultation, if any."""
    return (
        Booking.objects.select_related("advisor")
        .filter(lead=lead, status=Booking.Status.BOOKED)
        .first()
    )


def booking_policy_facts(
    *, lead: Lead, now: datetime, on: date
) -> tuple[LeadFacts, list[AdvisorFacts], RuleSetFacts | None]:
    """The routing policy's view of the lead, its team on `on` and the published rule set.

    The lead's own advisor is seen without this lead's weight, as accepting and below any
    period cap: they already hold it, so neither their capacity, a pause nor the cap on
    new leads stops them meeting the candidate.
    """
    lead_facts, advisors, ruleset = routing_facts_for(
        lead=lead, now=now, on=on, current_advisor_id=lead.advisor_id
    )
    holds_seat = lead.status in lead_open_statuses()
    advisors = [
        replace(
            advisor,
            open_leads=advisor.open_leads - holds_seat,
            is_accepting=True,
            recent_assignments=0,
        )
        if advisor.id == lead.advisor_id
        else advisor
        for advisor in advisors
    ]
    return lead_facts, advisors, ruleset


def _allowed_advisor_ids(*, lead: Lead, now: datetime) -> frozenset[int]:
    # Absences are per day and the calendar removes those days, so they do not exclude here.
    lead_facts, advisors, ruleset = booking_policy_facts(
        lead=lead, now=now, on=timezone.localdate(now)
    )
    return booking_allowed_ids(
        lead=lead_facts,
        advisors=[replace(advisor, is_absent=False) for advisor in advisors],
        ruleset=ruleset,
        local_now=timezone.localtime(now),
    )


def advisor_hours_for(
    *, advisor_ids: set[int], first: date, last: date, ignore_booking_id: int | None = None
) -> list[AdvisorHours]:
    """The hours, exceptions, absences and bookings of these advisors between two days."""
    weekly = defaultdict(list)
    for row in AdvisorWeeklyHours.objects.filter(advisor_id__in=advisor_ids):
        weekly[row.advisor_id].append((row.weekday, row.starts_at, row.ends_at))
    extra, blocked = defaultdict(list), defaultdict(list)
    exceptions = AdvisorHoursException.objects.filter(
        advisor_id__in=advisor_ids, on__range=(first, last)
    )
    for row in exceptions:
        target = extra if row.kind == AdvisorHoursException.Kind.EXTRA else blocked
        target[row.advisor_id].append((row.on, row.starts_at, row.ends_at))
    absent = defaultdict(set)
    absences = AdvisorAbsence.objects.filter(
        advisor_id__in=advisor_ids, starts_on__lte=last, ends_on__gte=first
    )
    for absence in absences:
        day = max(absence.starts_on, first)
        while day <= min(absence.ends_on, last):
            absent[absence.advisor_id].add(day)
            day += timedelta(days=1)
    busy = defaultdict(list)
    bookings = Booking.objects.filter(
        advisor_id__in=advisor_ids,
        status=Booking.Status.BOOKED,
        starts_at__lt=datetime.combine(last + timedelta(days=1), datetime.min.time(), TOKYO),
        ends_at__gt=datetime.combine(first, datetime.min.time(), TOKYO),
    ).exclude(Q(id=ignore_booking_id) if ignore_booking_id else Q(pk__in=[]))
    for booking in bookings.values("advisor_id", "starts_at", "ends_at"):
        busy[booking["advisor_id"]].append((booking["starts_at"], booking["ends_at"]))
    return [
        AdvisorHours(
            advisor_id=advisor_id,
            weekly=tuple(weekly[advisor_id]),
            extra=tuple(extra[advisor_id]),
            blocked=tuple(blocked[advisor_id]),
            absent_days=frozenset(absent[advisor_id]),
            busy=tuple(busy[advisor_id]),
        )
        for advisor_id in sorted(advisor_ids)
    ]


def booking_slots_for(
    *, lead: Lead, now: datetime | None = None, moving: Booking | None = None
) -> list[Slot]:
    """The slots this lead may book now: eligible advisors' free times, in time order.

    `moving` is the booking being rescheduled: its own time does not count as taken.
    """
    now = now or timezone.now()
    days = offered_days(
        earliest=earliest_start(now=now, notice=booking_notice()),
        count=settings.CAREERS_BOOKING_DAYS,
    )
    advisor_ids = _allowed_advisor_ids(lead=lead, now=now)
    hours = advisor_hours_for(
        advisor_ids=advisor_ids,
        first=days[0],
        last=days[-1],
        ignore_booking_id=moving.id if moving else None,
    )
    return open_slots(
        advisors=hours,
        now=now,
        length=slot_length(),
        notice=booking_notice(),
        days=settings.CAREERS_BOOKING_DAYS,
    )


def slots_by_day(slots: list[Slot]) -> list[tuple[date, list[Slot]]]:
    """Slots grouped by their day in Japan time, for the page."""
    return [
        (day, list(day_slots))
        for day, day_slots in groupby(
            slots, key=lambda slot: slot.starts_at.astimezone(TOKYO).date()
        )
    ]
