"""Bookable slots as a pure function of hours, absences, bookings and a clock passed in."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from careers.booking.calendar import AdvisorHours, open_slots

TOKYO = ZoneInfo("Asia/Tokyo")
LENGTH = timedelta(minutes=45)
NOTICE = timedelta(hours=2)
WEEK = tuple(
    (weekday, start, end)
    for weekday in range(5)
    for start, end in ((time(10), time(12)), (time(14), time(18)))
)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TOKYO)


def slots(*advisors: AdvisorHours, now: datetime, days: int = 10):
    return open_slots(advisors=advisors, now=now, length=LENGTH, notice=NOTICE, days=days)


def starts_on(result, day: date) -> list[str]:
    return [
        slot.starts_at.strftime("%H:%M")
        for slot in result
        if slot.starts_at.astimezone(TOKYO).date() == day
    ]


def test_slots_skip_the_weekend_and_a_national_holiday_and_honour_two_business_hours():
    """Friday 17:30: two business hours end on Tuesday 10:30 (Monday 11/23 is 勤労感謝の日)."""
    result = slots(AdvisorHours(advisor_id=1, weekly=WEEK), now=at(20, 17, 30))
    days = sorted({slot.starts_at.date() for slot in result})
    assert days[0] == date(2026, 11, 24)
    assert date(2026, 11, 23) not in days
    assert date(2026, 11, 21) not in days
    assert date(2026, 11, 22) not in days
    # Ten business days: 11/24 to 12/7, the weekend of 12/5–6 skipped.
    assert len(days) == 10
    assert days[-1] == date(2026, 12, 7)
    # 10:00 is inside the two-hour notice; 45-minute slots fill each span back to back.
    assert starts_on(result, date(2026, 11, 24)) == [
        "10:45",
        "14:00",
        "14:45",
        "15:30",
        "16:15",
        "17:00",
    ]
    assert result[0].value == "2026-11-24T10:45:00+09:00"


def test_two_business_hours_on_an_ordinary_morning_stay_on_the_same_day():
    result = slots(AdvisorHours(advisor_id=1, weekly=WEEK), now=at(25, 9, 0))
    assert starts_on(result, date(2026, 11, 25))[0] == "14:00"  # 10:00 + 2h = 12:00


def test_an_absence_an_extra_window_a_blocked_window_and_a_booking_change_the_slots():
    hours = AdvisorHours(
        advisor_id=1,
        weekly=WEEK,
        absent_days=frozenset({date(2026, 11, 25)}),
        extra=((date(2026, 11, 26), time(18), time(19)),),
        blocked=((date(2026, 11, 27), time(14), time(16)),),
        busy=((at(30, 10), at(30, 10, 45)),),
    )
    result = slots(hours, now=at(20, 17, 30))
    assert starts_on(result, date(2026, 11, 25)) == []
    # The extra hour joins the afternoon: 14:00–19:00 fits one more slot, at 17:45.
    assert starts_on(result, date(2026, 11, 26))[-2:] == ["17:00", "17:45"]
    assert starts_on(result, date(2026, 11, 27)) == ["10:00", "10:45", "16:00", "16:45"]
    assert starts_on(result, date(2026, 11, 30))[:2] == ["10:45", "14:00"]


def test_each_slot_names_every_advisor_free_then():
    busy = AdvisorHours(advisor_id=2, weekly=WEEK, busy=((at(24, 14), at(24, 14, 45)),))
    result = slots(AdvisorHours(advisor_id=1, weekly=WEEK), busy, now=at(20, 17, 30))
    by_start = {slot.value: slot.advisor_ids for slot in result}
    assert by_start["2026-11-24T14:00:00+09:00"] == {1}
    assert by_start["2026-11-24T14:45:00+09:00"] == {1, 2}


def test_an_advisor_without_hours_offers_nothing():
    assert slots(AdvisorHours(advisor_id=1), now=at(20, 17, 30)) == []
