"""A list page's article cards, each rendered once and kept in its slot, so a save of one
listed article renders that card again and nothing else of the list (news.listing).

A list's parts hold a marker per card slot; `cards_assembled` puts the cards in. The stored
parts keep each slot's article and the card's variant (size, heading level, its category
badge), which is all a card needs to be rendered again from its article.
"""

import re

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from news.models import Article

CARDS = "cards"
CARD_TEMPLATE = "news/includes/article_card.html"
# NUL comes from no template and no saved text: Django's form fields refuse it, PostgreSQL
# cannot store it.
_SLOT = re.compile("\x00card:([0-9]+)\x00")


class Cards:
    """The cards of one list render: `card` renders one and gives its slot's marker for the
    page's HTML; `stored` is what the parts keep of them."""

    def __init__(self):
        self.slots: list[tuple[str, dict]] = []
        self.html: list[str] = []

    def card(self, article: Article, **variant) -> str:
        # The badge is kept with the slot: a card rendered again shows the same category
        # (an article's categories and their names move PLACES and LABELS, never one card).
        if "card_category" not in variant:
            variant["card_category"] = article.card_category
        self.slots.append((article.slug, variant))
        self.html.append(_render(article, variant))
        return f"\x00card:{len(self.slots) - 1}\x00"

    def stored(self) -> dict:
        return {"slots": self.slots, "html": self.html}


def _render(article: Article, variant: dict) -> str:
    return render_to_string(CARD_TEMPLATE, {"article": article, **variant})


def cards_listed(parts: dict) -> set[str]:
    """The slugs of the articles the parts show as cards."""
    return {slug for slug, _variant in parts[CARDS]["slots"]}


def cards_assembled(parts: dict) -> dict:
    """The parts with each slot's marker replaced by its card."""
    html = parts[CARDS]["html"]

    def fill(match):
        return html[int(match[1])]

    return {
        # Rendered HTML with rendered cards put in: as safe as both (only it holds slots).
        name: mark_safe(_SLOT.sub(fill, value))  # noqa: S308
        if isinstance(value, SafeString)
        else value
        for name, value in parts.items()
        if name != CARDS
    }


def cards_refreshed(parts: dict, saved: set[str]) -> dict | None:
    """The parts with the cards of the `saved` articles rendered again from one query, or
    None when one of them is no longer public under its slug (the list must be rendered
    again)."""
    articles = {
        article.slug: article
        for article in Article.objects.public().for_lists().filter(slug__in=saved)
    }
    if articles.keys() != saved:
        return None
    slots = parts[CARDS]["slots"]
    html = [
        _render(articles[slug], variant) if slug in saved else card
        for (slug, variant), card in zip(slots, parts[CARDS]["html"], strict=True)
    ]
    return parts | {CARDS: {"slots": slots, "html": html}}
