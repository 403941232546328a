"""The lead list's search: what staff type finds the lead however it was stored.

Each word must match (as in Django's own search); a word matches a lead when any of its
forms (core.normalization.search_variants) is in the reference, name, kana, email, company
or the phone, which is compared without hyphens so old hyphenated numbers match too.
"""

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Replace
from django.utils.text import smart_split, unescape_string_literal

from core.normalization import search_variants

TEXT_FIELDS = ("reference", "name", "name_kana", "email", "company_name")
PHONE_DIGITS = "phone_digits"


def search_words(search_term: str) -> list[str]:
    words = []
    for word in smart_split(search_term):
        if word.startswith(('"', "'")) and word[0] == word[-1]:
            word = unescape_string_literal(word)
        words.append(word)
    return words


def lead_search(queryset: QuerySet, search_term: str) -> QuerySet:
    words = search_words(search_term)
    if not words:
        return queryset
    queryset = queryset.annotate(**{PHONE_DIGITS: Replace("phone", Value("-"), Value(""))})
    for word in words:
        match = Q()
        for variant in search_variants(word):
            for field in (*TEXT_FIELDS, PHONE_DIGITS):
                match |= Q(**{f"{field}__icontains": variant})
        queryset = queryset.filter(match)
    return queryset
