"""The lead list's search: what staff type finds the lead however it was stored.

Each word must match (as in Django's own search); a word matches a lead when any of its
forms (core.normalization.search_variants) is in the reference, name, kana, email, company
or the phone, which is compared without hyphens so old hyphenated numbers match too.
A whole reference (PW-7K3M-9QXA, in any case or width) finds exactly that lead, and a whole
email address finds exactly the leads sent from it, through the lower(email) index
`careers_lead_email_created`: a generated-looking address shares its trigrams with most leads,
so the trigram index answered it in 800 ms at 1,000,000 leads.

On PostgreSQL the forms are matched against careers.models.lead_search_text, the folded text
the trigram index `careers_lead_search_trgm` holds: an index read, not a scan of every lead
(5.8 s for a name at 1,000,000 leads). SQLite compares each field, as simply as it can.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Lower, Replace
from django.utils.text import smart_split, unescape_string_literal

from careers.models.leads import lead_search_text
from careers.services.capture import REFERENCE_ALPHABET, REFERENCE_LENGTH, REFERENCE_PREFIX
from core.normalization import email_comparison_key, nfkc, search_variants

TEXT_FIELDS = ("reference", "name", "name_kana", "email", "company_name")
PHONE_DIGITS = "phone_digits"
SEARCH_TEXT = "search_text"
EMAIL_KEY = "email_key"
_HALF = f"[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH // 2}}}"
_WHOLE_REFERENCE = re.compile(rf"{REFERENCE_PREFIX}-{_HALF}-{_HALF}")


def search_words(search_term: str) -> list[str]:
    words = []
    for word in smart_split(search_term):
        if word.startswith(('"', "'")) and word[0] == word[-1]:
            word = unescape_string_literal(word)
        words.append(word)
    return words


def whole_reference(word: str) -> str | None:
    """The reference a word spells out in full (folded to its stored form), or None."""
    folded = nfkc(word).strip().upper()
    return folded if _WHOLE_REFERENCE.fullmatch(folded) else None


def whole_email(word: str) -> str | None:
    """The comparison key of an address a word spells out in full (one the form would
    accept, in any case or width), or None."""
    typed = nfkc(word).strip()
    try:
        validate_email(typed)
    except ValidationError:
        return None
    return email_comparison_key(typed)


def _word_match(word: str) -> Q:
    if reference := whole_reference(word):
        return Q(reference=reference)
    if email := whole_email(word):
        return Q(**{EMAIL_KEY: email})
    match = Q()
    for variant in search_variants(word):
        if connection.vendor == "postgresql":
            match |= Q(**{f"{SEARCH_TEXT}__contains": variant.lower()})
            continue
        for field in (*TEXT_FIELDS, PHONE_DIGITS):
            match |= Q(**{f"{field}__icontains": variant})
    return match


def lead_search(queryset: QuerySet, search_term: str) -> QuerySet:
    words = search_words(search_term)
    if not words:
        return queryset
    # The expression of the lower(email) index, so PostgreSQL reads it; SQLite gets the same.
    queryset = queryset.alias(**{EMAIL_KEY: Lower("email")})
    if connection.vendor == "postgresql":
        queryset = queryset.alias(**{SEARCH_TEXT: lead_search_text()})
    else:
        queryset = queryset.annotate(**{PHONE_DIGITS: Replace("phone", Value("-"), Value(""))})
    for word in words:
        queryset = queryset.filter(_word_match(word))
    return queryset
