"""Template tags of the staff admin."""

import datetime
from urllib.parse import urlencode

from django import template
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Max, Min
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from careers.admin.search import search_words
from core.normalization import search_variants

register = template.Library()


def _months(first: datetime.date, last: datetime.date):
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield datetime.date(year, month, 1)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


@register.inclusion_tag("admin/date_hierarchy.html")
def range_date_hierarchy(cl):
    """Django's date drill-down, with links from the first to the last date of the list.

    The stock tag asks the database for the DISTINCT years, months or days present, a
    scan of every row in view; at 100,000 leads that is the slowest query of the page.
    MIN and MAX come from the created_at index instead, so this costs one cheap query;
    a month with no leads in between is shown and simply lists nothing.
    """
    field_name = cl.date_hierarchy
    field = cl.model._meta.get_field(field_name)
    year_field, month_field, day_field = (
        f"{field_name}__{part}" for part in ("year", "month", "day")
    )
    year_lookup = cl.params.get(year_field)
    month_lookup = cl.params.get(month_field)
    day_lookup = cl.params.get(day_field)

    def link(filters):
        return cl.get_query_string(filters, [f"{field_name}__"])

    context = {"show": True, "field_name": field.verbose_name}
    if year_lookup and month_lookup and day_lookup:
        day = datetime.date(int(year_lookup), int(month_lookup), int(day_lookup))
        return {
            **context,
            "back": {
                "link": link({year_field: year_lookup, month_field: month_lookup}),
                "title": capfirst(formats.date_format(day, "YEAR_MONTH_FORMAT")),
            },
            "choices": [{"title": capfirst(formats.date_format(day, "MONTH_DAY_FORMAT"))}],
        }

    bounds = cl.queryset.aggregate(first=Min(field_name), last=Max(field_name))
    if bounds["first"] is None:
        return {**context, "show": False}
    first, last = (timezone.localdate(bounds[key]) for key in ("first", "last"))

    if not (year_lookup or month_lookup) and first.year == last.year:
        year_lookup = first.year
        if first.month == last.month:
            month_lookup = first.month

    if year_lookup and month_lookup:
        days = (
            first + datetime.timedelta(days=offset) for offset in range((last - first).days + 1)
        )
        return {
            **context,
            "back": {"link": link({year_field: year_lookup}), "title": str(year_lookup)},
            "choices": [
                {
                    "link": link(
                        {year_field: year_lookup, month_field: month_lookup, day_field: day.day}
                    ),
                    "title": capfirst(formats.date_format(day, "MONTH_DAY_FORMAT")),
                }
                for day in days
            ],
        }
    if year_lookup:
        return {
            **context,
            "back": {"link": link({}), "title": _("All dates")},
            "choices": [
                {
                    "link": link({year_field: year_lookup, month_field: month.month}),
                    "title": capfirst(formats.date_format(month, "YEAR_MONTH_FORMAT")),
                }
                for month in _months(first, last)
            ],
        }
    return {
        **context,
        "back": None,
        "choices": [
            {"link": link({year_field: str(year)}), "title": str(year)}
            for year in range(first.year, last.year + 1)
        ],
    }


@register.inclusion_tag("admin/careers/lead/_no_results.html")
def no_results_help(cl):
    """An empty list says what it searched for and which filters narrowed it, with a way out."""
    filters = [
        str(spec.title)
        for spec in cl.filter_specs
        if set(spec.expected_parameters()) & set(cl.params)
    ]
    if cl.date_hierarchy and any(key.startswith(f"{cl.date_hierarchy}__") for key in cl.params):
        filters.append(str(cl.model._meta.get_field(cl.date_hierarchy).verbose_name))
    searched = [
        {"word": word, "forms": sorted(search_variants(word) - {word})}
        for word in search_words(cl.query)
    ]
    return {
        "show": cl.result_count == 0 and bool(searched or filters),
        "searched": searched,
        "filters": filters,
        "clear_filters": "?" + urlencode({SEARCH_VAR: cl.query}) if cl.query else "?",
        "clear_search": cl.get_query_string(remove=[SEARCH_VAR]),
    }


@register.simple_tag
def result_count(cl) -> str:
    """The list's count as staff read it: 「約1,000,195」 when the paginator only estimated it."""
    count = intcomma(cl.result_count)
    return _("約%(count)s") % {"count": count} if cl.paginator.estimated else count
