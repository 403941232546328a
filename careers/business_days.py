"""Japanese business time: weekdays that are not national holidays, within office hours.

Pure date arithmetic (no database, no clock): the SLA service and the assignment both
ask it for the first-contact deadline, and tests pass fixed datetimes.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import jpholiday
from django.conf import settings

TOKYO = ZoneInfo("Asia/Tokyo")


def business_hours() -> tuple[time, time]:
    opens = time.fromisoformat(settings.CAREERS_BUSINESS_HOURS_START)
    closes = time.fromisoformat(settings.CAREERS_BUSINESS_HOURS_END)
    if closes <= opens:
        raise ValueError("CAREERS_BUSINESS_HOURS_END must be after CAREERS_BUSINESS_HOURS_START")
    return opens, closes


# 年末年始: 29 December to 3 January, when Japanese offices close (the government's own
# calendar, 行政機関の休日に関する法律); only 1 January is a national holiday.
YEAR_END_CLOSURE = ((12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3))


def is_business_day(day: date) -> bool:
    """Monday to Friday, except Japan's national and substitute holidays and 年末年始."""
    return (
        day.weekday() < 5
        and (day.month, day.day) not in YEAR_END_CLOSURE
        and not jpholiday.is_holiday(day)
    )


def next_business_day(day: date) -> date:
    day += timedelta(days=1)
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def add_business_time(start: datetime, duration: timedelta) -> datetime:
    """`start` plus `duration` counted only inside business hours on business days (JST).

    A start outside business hours counts from the next opening, and a result that would
    fall exactly on closing time is the next opening instead (the same business moment).
    """
    opens, closes = business_hours()
    moment = start.astimezone(TOKYO)
    remaining = duration
    while True:
        day = moment.date()
        opening = datetime.combine(day, opens, tzinfo=TOKYO)
        closing = datetime.combine(day, closes, tzinfo=TOKYO)
        if not is_business_day(day) or moment >= closing:
            moment = datetime.combine(next_business_day(day), opens, tzinfo=TOKYO)
            continue
        moment = max(moment, opening)
        available = closing - moment
        # Strictly less: a deadline that lands on closing time reads better as the next opening.
        if remaining < available:
            return moment + remaining
        remaining -= available
        moment = datetime.combine(next_business_day(day), opens, tzinfo=TOKYO)


def previous_business_day(day: date) -> date:
    day -= timedelta(days=1)
    while not is_business_day(day):
        day -= timedelta(days=1)
    return day


def subtract_business_time(end: datetime, duration: timedelta) -> datetime:
    """The moment `duration` of business time before `end` (a reminder before a deadline)."""
    opens, closes = business_hours()
    moment = end.astimezone(TOKYO)
    remaining = duration
    while True:
        day = moment.date()
        opening = datetime.combine(day, opens, tzinfo=TOKYO)
        closing = datetime.combine(day, closes, tzinfo=TOKYO)
        if not is_business_day(day) or moment <= opening:
            moment = datetime.combine(previous_business_day(day), closes, tzinfo=TOKYO)
            continue
        moment = min(moment, closing)
        available = moment - opening
        if remaining <= available:
            return moment - remaining
        remaining -= available
        moment = datetime.combine(previous_business_day(day), closes, tzinfo=TOKYO)


def add_business_days(start: datetime, days: int) -> datetime:
    """`days` whole business days after `start`: Friday 18:00 + 1 is Monday 18:00."""
    opens, closes = business_hours()
    length = datetime.combine(date.min, closes) - datetime.combine(date.min, opens)
    return add_business_time(start, length * days)


def first_contact_due(assigned_at: datetime) -> datetime:
    """The deadline for the first call: CAREERS_FIRST_CONTACT_BUSINESS_DAYS after assignment."""
    return add_business_days(assigned_at, settings.CAREERS_FIRST_CONTACT_BUSINESS_DAYS)
