"""Finding one person's identifiers in free text, in every way people and programs write them.

A name is typed with or without a space (half- or full-width), an address in any letter
case, a phone with or without hyphens, and a URL carries each of them percent-encoded
(`%40`, `+`). One pattern covers all of these; it is written in the common subset of
Python's `re` and PostgreSQL's regular expressions, so the database can find the rows
(`__iregex`) and Python can clean them with the same pattern.
"""

import re
from urllib.parse import quote

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

REPLACEMENT = "[削除済み]"
# Anything shorter would match ordinary words.
_MIN_LENGTH = 2
_MIN_PHONE_DIGITS = 6
# Between the words of a name: nothing, spaces of either width, or their URL encodings.
_NAME_GAP = r"(?:[\s\u3000]|\+|%20|%E3%80%80)*"
_PHONE_GAP = r"[-\s\u2010\u2212\u30fc\uff0d]?"


def _literal(value: str) -> str:
    """`value` or its percent-encoded form, as a pattern."""
    encoded = quote(value, safe="")
    if encoded == value:
        return re.escape(value)
    return f"(?:{re.escape(value)}|{re.escape(encoded)})"


def _name_pattern(name: str) -> str | None:
    parts = name.split()
    if len("".join(parts)) < _MIN_LENGTH:
        return None
    return _NAME_GAP.join(_literal(part) for part in parts)


def _phone_pattern(phone: str) -> str | None:
    digits = re.sub(r"\D", "", phone)
    if len(digits) < _MIN_PHONE_DIGITS:
        return None
    return _PHONE_GAP.join(digits)


class Scrubber:
    """One person's identifiers: `found_in` finds rows that hold them, `text` removes them."""

    def __init__(self, *, emails=(), names=(), phones=(), replacement: str = REPLACEMENT):
        self.emails = [email.strip() for email in emails if len(email.strip()) >= 3]
        patterns = [_literal(email) for email in self.emails]
        patterns += filter(None, (_name_pattern(name) for name in names))
        patterns += filter(None, (_phone_pattern(phone) for phone in phones))
        self.pattern = "|".join(f"(?:{pattern})" for pattern in dict.fromkeys(patterns))
        self._compiled = re.compile(self.pattern, re.IGNORECASE) if self.pattern else None
        self.replacement = replacement

    def __bool__(self) -> bool:
        return self._compiled is not None

    def text(self, value: str) -> str:
        if not self or not value:
            return value
        return self._compiled.sub(self.replacement, value)

    def value(self, value):
        """A JSON value with the identifiers removed from every string, at any depth."""
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def found_in(self, queryset: QuerySet, fields: list[str]) -> QuerySet:
        """The rows of `queryset` where any of `fields` (text or JSON) holds an identifier."""
        if not self:
            return queryset.none()
        condition = Q()
        for field in fields:
            alias = f"_scrub_{field}"
            queryset = queryset.annotate(**{alias: Cast(field, TextField())})
            condition |= Q(**{f"{alias}__iregex": self.pattern})
        return queryset.filter(condition)

    def scrub_rows(self, queryset: QuerySet, fields: list[str]) -> int:
        """Remove the identifiers from `fields` of every row that holds one; returns how many."""
        rows = list(self.found_in(queryset, fields))
        for row in rows:
            for field in fields:
                setattr(row, field, self.value(getattr(row, field)))
        if rows:
            type(rows[0]).objects.bulk_update(rows, fields)
        return len(rows)
