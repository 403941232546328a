"""The first-contact deadline: one business day on the Japanese calendar, in office hours."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from careers.business_days import (
    add_business_days,
    first_contact_due,
    is_business_day,
    subtract_business_time,
)
from careers.services.sla import breach_at, reminder_at

TOKYO = ZoneInfo("Asia/Tokyo")


def jst(*args):
    return datetime(*args, tzinfo=TOKYO)


@pytest.mark.parametrize(
    ("assigned_at", "due_at"),
    [
        # A Wednesday morning: the same time the next day.
        (jst(2026, 6, 10, 11, 0), jst(2026, 6, 11, 11, 0)),
        # Friday 18:00: the weekend is skipped.
        (jst(2026, 6, 12, 18, 0), jst(2026, 6, 15, 18, 0)),
        # Friday 18:00 before Marine Day (Monday 20 July 2026): Tuesday.
        (jst(2026, 7, 17, 18, 0), jst(2026, 7, 21, 18, 0)),
        # Friday 1 May 2026 before Golden Week (4, 5 and the substitute 6 May): Thursday.
        (jst(2026, 5, 1, 15, 30), jst(2026, 5, 7, 15, 30)),
        # The Silver Week of 2026 (21-23 September) after a weekend.
        (jst(2026, 9, 18, 12, 0), jst(2026, 9, 24, 12, 0)),
        # Saturday: counting starts at Monday's opening.
        (jst(2026, 6, 13, 14, 0), jst(2026, 6, 16, 10, 0)),
        # Before opening on a weekday: counts from 10:00 that day.
        (jst(2026, 6, 10, 7, 45), jst(2026, 6, 11, 10, 0)),
        # After closing on a Friday: Monday's opening plus one business day.
        (jst(2026, 6, 12, 21, 0), jst(2026, 6, 16, 10, 0)),
        # 年末年始 (29 December to 3 January) is closed: Tuesday 29 December 2026 counts
        # from Monday 4 January's opening, when 2 and 3 January fall on a weekend ...
        (jst(2026, 12, 28, 16, 0), jst(2027, 1, 4, 16, 0)),
        (jst(2026, 12, 29, 11, 0), jst(2027, 1, 5, 10, 0)),
        # ... and when they are weekdays: Friday 28 December 2029 is due Friday 4 January.
        (jst(2029, 12, 28, 16, 0), jst(2030, 1, 4, 16, 0)),
        (jst(2030, 1, 2, 11, 0), jst(2030, 1, 7, 10, 0)),
    ],
)
def test_the_deadline_is_one_business_day_after_assignment(assigned_at, due_at):
    assert first_contact_due(assigned_at) == due_at


def test_a_utc_timestamp_is_read_in_japan_time():
    # 09:00 UTC on a Friday is 18:00 JST.
    assigned_at = datetime(2026, 6, 12, 9, 0, tzinfo=ZoneInfo("UTC"))
    assert first_contact_due(assigned_at) == jst(2026, 6, 15, 18, 0)


def test_business_hours_come_from_settings(settings):
    settings.CAREERS_BUSINESS_HOURS_START = "09:00"
    settings.CAREERS_BUSINESS_HOURS_END = "18:00"
    assert first_contact_due(jst(2026, 6, 12, 17, 0)) == jst(2026, 6, 15, 17, 0)
    assert first_contact_due(jst(2026, 6, 12, 18, 30)) == jst(2026, 6, 16, 9, 0)


def test_weekends_and_national_holidays_are_not_business_days():
    assert is_business_day(jst(2026, 7, 17, 12).date())
    assert not is_business_day(jst(2026, 7, 18, 12).date())  # Saturday
    assert not is_business_day(jst(2026, 7, 20, 12).date())  # 海の日
    # 2 and 3 January 2030 are a Wednesday and a Thursday, and still closed.
    assert not is_business_day(jst(2030, 1, 2, 12).date())
    assert not is_business_day(jst(2030, 1, 3, 12).date())
    assert not is_business_day(jst(2029, 12, 31, 12).date())  # a Monday
    assert is_business_day(jst(2030, 1, 4, 12).date())
    assert is_business_day(jst(2029, 12, 28, 12).date())


def test_the_reminder_comes_two_business_hours_before_the_deadline():
    assert reminder_at(jst(2026, 6, 11, 15, 0)) == jst(2026, 6, 11, 13, 0)
    # A deadline at Tuesday's opening after a Monday holiday: reminded Friday afternoon.
    assert reminder_at(jst(2026, 7, 21, 10, 30)) == jst(2026, 7, 17, 17, 30)


def test_breaches_come_at_the_deadline_then_one_business_day_apart():
    due = jst(2026, 7, 17, 15, 0)
    assert breach_at(due=due, breach=1) == due
    assert breach_at(due=due, breach=2) == jst(2026, 7, 21, 15, 0)
    assert add_business_days(due, 2) == jst(2026, 7, 22, 15, 0)


def test_subtracting_undoes_adding_inside_business_hours():
    start = jst(2026, 9, 18, 11, 15)
    later = add_business_days(start, 1)
    assert subtract_business_time(later, timedelta(hours=9)) == start
