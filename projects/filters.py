"""The list's filters: what a query string may ask for, and nothing else.

Only known values survive parsing, so a filtered list has one canonical URL, unknown
or malformed parameters are ignored (never a 500), and the page cache is keyed on the
canonical form alone: junk cannot flood it.
"""

from dataclasses import dataclass, fields, replace
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from news.cache import page_number_parameter
from projects.models import MAN_YEN, Project


@dataclass(frozen=True)
class Band:
    label: str
    low: int
    high: int | None = None


# 週N日: a project matches when its range of days overlaps the band.
DAY_BANDS = {
    "1-2": Band(_("週1〜2日"), 1, 2),
    "2-3": Band(_("週2〜3日"), 2, 3),
    "3-4": Band(_("週3〜4日"), 3, 4),
    "5": Band(_("週5日"), 5, 5),
}

# Monthly rates in yen; a project matches when its range overlaps the band.
RATE_BANDS = {
    "under-60": Band(_("〜60万円"), 0, 60 * MAN_YEN),
    "60-80": Band(_("60〜80万円"), 60 * MAN_YEN, 80 * MAN_YEN),
    "80-100": Band(_("80〜100万円"), 80 * MAN_YEN, 100 * MAN_YEN),
    "over-100": Band(_("100万円〜"), 100 * MAN_YEN),
}


@dataclass(frozen=True)
class ProjectFilters:
    """The filters of one list request, each a known value or empty."""

    field: str = ""
    role: str = ""
    remote: str = ""
    days: str = ""
    rate: str = ""
    skill: str = ""

    @classmethod
    def from_query(cls, query: QueryDict, *, skill_slugs) -> "ProjectFilters":
        """Keep each parameter only if it is one of the values the list offers."""
        allowed = {
            "field": Project.Field.values,
            "role": Project.Role.values,
            "remote": Project.Remote.values,
            "days": DAY_BANDS,
            "rate": RATE_BANDS,
            "skill": skill_slugs,
        }
        values = {}
        for name, choices in allowed.items():
            value = query.get(name, "")
            values[name] = value if value in choices else ""
        return cls(**values)

    def items(self) -> list[tuple[str, str]]:
        return [(item.name, getattr(self, item.name)) for item in fields(self)]

    def query_string(self) -> str:
        """The canonical query string: known parameters only, in a fixed order."""
        return urlencode([(name, value) for name, value in self.items() if value])

    def is_active(self) -> bool:
        return any(value for _, value in self.items())

    def apply(self, projects: QuerySet) -> QuerySet:
        if self.field:
            # A project for both fields is one for AI people and for Web3 people alike.
            projects = projects.filter(field__in=[self.field, Project.Field.BOTH])
        if self.role:
            projects = projects.filter(role=self.role)
        if self.remote:
            projects = projects.filter(remote=self.remote)
        if self.days:
            band = DAY_BANDS[self.days]
            projects = projects.filter(
                days_per_week_min__lte=band.high, days_per_week_max__gte=band.low
            )
        if self.rate:
            band = RATE_BANDS[self.rate]
            overlap = Q(rate_unit=Project.RateUnit.MONTHLY, rate_max__gte=band.low)
            if band.high is not None:
                overlap &= Q(rate_min__lte=band.high)
            projects = projects.filter(overlap)
        if self.skill:
            projects = projects.filter(skills__slug=self.skill)
        return projects


def cache_parameters(query: QueryDict, *, skill_slugs) -> str | None:
    """The page cache's view of a list URL: canonical filters and page, or None to skip it."""
    page = page_number_parameter(query)
    if page is None:
        return None
    filters = ProjectFilters.from_query(query, skill_slugs=skill_slugs).query_string()
    return "&".join(part for part in (filters, page) if part)


@dataclass(frozen=True)
class FilterGroup:
    """One filter as the page shows it: a select of labelled values, one of them chosen."""

    name: str
    label: str
    options: list[tuple[str, str]]
    selected: str
    # The list's query string with this filter removed, for the chip that clears it.
    without_query: str

    @property
    def selected_label(self) -> str:
        return dict(self.options).get(self.selected, "")


def filter_groups(filters: ProjectFilters, *, skill_choices) -> list[FilterGroup]:
    def bands(table):
        return [(value, band.label) for value, band in table.items()]

    groups = [
        ("field", _("領域"), Project.Field.choices),
        ("role", _("職種"), Project.Role.choices),
        ("remote", _("働き方"), Project.Remote.choices),
        ("days", _("稼働日数"), bands(DAY_BANDS)),
        ("rate", _("月額単価"), bands(RATE_BANDS)),
        ("skill", _("必須スキル"), list(skill_choices)),
    ]
    return [
        FilterGroup(
            name,
            label,
            options,
            selected=getattr(filters, name),
            without_query=replace(filters, **{name: ""}).query_string(),
        )
        for name, label, options in groups
    ]
