"""Bookable slots from an advisor's hours: pure, plain data in, aware datetimes out.

Like careers/routing.py this knows no database and no clock: the selector reads the
hours, absences and bookings and passes `now`, so every rule is a short unit test.
The business calendar (weekends, Japanese holidays, business hours) is
careers/business_days.py, shared with the SLA.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from careers.business_days import TOKYO, add_business_time, is_business_day

# (start, end) minutes after midnight in Japan time; end exclusive.
type Span = tuple[int, int]


@dataclass(frozen=True)
class AdvisorHours:
    """Everything that decides when one advisor can take a consultation."""

    advisor_id: int
    # (weekday, start, end): the recurring week, Monday = 0 as in date.weekday().
    weekly: tuple[tuple[int, time, time], ...] = ()
    # (date, start, end): dated extra hours, and dated blocked hours.
    extra: tuple[tuple[date, time, time], ...] = ()
    blocked: tuple[tuple[date, time, time], ...] = ()
    absent_days: frozenset[date] = field(default_factory=frozenset)
    # (start, end) of the consultations already booked with this advisor.
    busy: tuple[tuple[datetime, datetime], ...] = ()


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _merge(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _subtract(spans: list[Span], holes: Iterable[Span]) -> list[Span]:
    for hole_start, hole_end in holes:
        remaining: list[Span] = []
        for start, end in spans:
            if hole_end <= start or hole_start >= end:
                remaining.append((start, end))
                continue
            if start < hole_start:
                remaining.append((start, hole_start))
            if hole_end < end:
                remaining.append((hole_end, end))
        spans = remaining
    return spans


def working_spans(hours: AdvisorHours, day: date) -> list[Span]:
    """The advisor's hours on `day`: the week's, plus extra, minus blocked; none when absent."""
    if day in hours.absent_days or not is_business_day(day):
        return []
    weekly = [(_minutes(s), _minutes(e)) for w, s, e in hours.weekly if w == day.weekday()]
    extra = [(_minutes(s), _minutes(e)) for d, s, e in hours.extra if d == day]
    blocked = [(_minutes(s), _minutes(e)) for d, s, e in hours.blocked if d == day]
    return _subtract(_merge(weekly + extra), blocked)


def slot_starts(hours: AdvisorHours, day: date, *, length: timedelta) -> list[datetime]:
    """Back-to-back slots from the start of each working span, none overlapping a booking."""
    step = int(length.total_seconds() // 60)
    midnight = datetime.combine(day, time(0), tzinfo=TOKYO)
    starts = []
    for span_start, span_end in working_spans(hours, day):
        for minute in range(span_start, span_end - step + 1, step):
            start = midnight + timedelta(minutes=minute)
            end = start + length
            if not any(
                start < busy_end and busy_start < end for busy_start, busy_end in hours.busy
            ):
                starts.append(start)
    return starts


def earliest_start(*, now: datetime, notice: timedelta) -> datetime:
    """No slot starts sooner than `notice` of business time from now."""
    return add_business_time(now, notice)


def offered_days(*, earliest: datetime, count: int) -> list[date]:
    """`count` business days from the day of `earliest` (Japan time)."""
    day = earliest.astimezone(TOKYO).date()
    days = []
    while len(days) < count:
        if is_business_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    # Eligible advisors free at this time; the routing policy picks one at booking.
    advisor_ids: frozenset[int]

    @property
    def value(self) -> str:
        """The form value: ISO 8601 with the Japan offset, e.g. 2026-12-03T10:00:00+09:00."""
        return self.starts_at.astimezone(TOKYO).isoformat()


def open_slots(
    *,
    advisors: Sequence[AdvisorHours],
    now: datetime,
    length: timedelta,
    notice: timedelta,
    days: int,
) -> list[Slot]:
    """Every start time at which at least one of `advisors` is free, in time order."""
    earliest = earliest_start(now=now, notice=notice)
    free: dict[datetime, set[int]] = {}
    for day in offered_days(earliest=earliest, count=days):
        for hours in advisors:
            for start in slot_starts(hours, day, length=length):
                if start >= earliest:
                    free.setdefault(start, set()).add(hours.advisor_id)
    return [
        Slot(starts_at=start, ends_at=start + length, advisor_ids=frozenset(ids))
        for start, ids in sorted(free.items())
    ]
