"""How staff read a moment: in JST, one format (the admin's DATETIME_FORMAT)."""

from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

STAFF_FORMAT = "%Y-%m-%d %H:%M"


def jst(value: datetime | str | None) -> str:
    """A stored moment (or its ISO text, as event details keep it) as 2026-12-02 14:05."""
    if isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is None or timezone.is_naive(parsed):
            return value
        value = parsed
    if value is None:
        return ""
    return timezone.localtime(value).strftime(STAFF_FORMAT)
