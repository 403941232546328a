"""Read operations of the careers app (HackSoft selectors): querysets and plain data, no writes."""

from datetime import UTC, date, datetime

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Now

from careers.models import Advisor, AdvisorAbsence, Interest, Lead, LeadEvent, Team
from careers.roles import MANAGER_GROUP
from careers.routing import AdvisorFacts, LeadFacts, covers
from core.prepared import PreparedRead

# The statuses that occupy an advisor's capacity.
_OPEN_STATUSES = (Lead.Status.ASSIGNED, Lead.Status.CONTACTED, Lead.Status.INTERVIEWING)


def lead_open_statuses() -> tuple[str, ...]:
    """Statuses in which a lead counts against its advisor's capacity."""
    return _OPEN_STATUSES


# Candidates go to the career advisors, companies to corporate sales, applicants to a
# project to the freelance team.
_TEAM_OF_KIND = {
    Lead.Kind.CANDIDATE: Team.CAREER,
    Lead.Kind.COMPANY: Team.SALES,
    Lead.Kind.FREELANCE: Team.FREELANCE,
}


def lead_team(*, kind: str) -> str:
    """The team whose advisors take leads of this kind."""
    return _TEAM_OF_KIND[kind]


def lead_kinds_of(*, team: str) -> list[str]:
    """The kinds of lead a team takes (the reverse of lead_team)."""
    return [kind for kind, kind_team in _TEAM_OF_KIND.items() if kind_team == team]


def lead_overdue_q(*, now: datetime | None = None) -> Q:
    """Overdue: assigned, nobody has called yet, and the first-contact deadline has passed
    at `now` (the database's clock when not given)."""
    return Q(
        status=Lead.Status.ASSIGNED,
        first_contacted_at__isnull=True,
        first_contact_due_at__lte=now or Now(),
    )


def leads_with_overdue(queryset: QuerySet, *, now: datetime | None = None) -> QuerySet:
    """The leads annotated with `is_overdue` (lead_overdue_q), in the same query."""
    is_overdue = ExpressionWrapper(lead_overdue_q(now=now), output_field=BooleanField())
    return queryset.annotate(is_overdue=is_overdue)


def advisor_absent_on(*, on: date) -> QuerySet:
    """Absences that cover the day `on`, for Exists(...) against an advisor."""
    return AdvisorAbsence.objects.filter(starts_on__lte=on, ends_on__gte=on)


def _leads_counted(**filters) -> Coalesce:
    """How many of the outer advisor's leads match `filters`: one index range, not a join."""
    leads = (
        Lead.objects.filter(advisor=OuterRef("pk"), **filters)
        .order_by()
        .values("advisor")
        .annotate(count=Count("*"))
        .values("count")
    )
    return Coalesce(Subquery(leads), 0)


def advisors_with_load(
    *, on: date, team: str | None = None, assigned_since: datetime | None = None
) -> QuerySet:
    """Advisors with their load, `open_leads` (leads in an open status), and `is_absent` on `on`;
    with `assigned_since`, also `recent_assignments`: leads assigned to them since then.

    The one definition of load, for routing, the dashboard and the admin. Each count is a
    correlated subquery over an index (`careers_lead_advisor_status` for the open leads,
    `careers_lead_advisor_assigned` for the recent ones), so it reads only the rows it
    counts: the cost follows the leads an advisor holds, not every lead ever received. A
    JOIN + GROUP BY reads all of an advisor's leads: measured on 1,000,000 generated leads
    (14 open) it took 5.6 s for the routing candidates, against ~12 ms at 1,000.
    """
    advisors = Advisor.objects.all() if team is None else Advisor.objects.filter(team=team)
    annotations = {
        "open_leads": _leads_counted(status__in=_OPEN_STATUSES),
        "is_absent": Exists(advisor_absent_on(on=on).filter(advisor=OuterRef("pk"))),
    }
    if assigned_since is not None:
        annotations["recent_assignments"] = _leads_counted(assigned_at__gte=assigned_since)
    return advisors.annotate(**annotations).order_by("id")


def lead_advisor_moved_from(*, lead_id: int) -> int | None:
    """The advisor this lead was last moved away from by a reassignment, if any."""
    details = (
        LeadEvent.objects.filter(lead_id=lead_id, kind=LeadEvent.Kind.REASSIGNED)
        .order_by("-created_at", "-id")
        .values_list("details", flat=True)
        .first()
    )
    previous = details.get("previous_advisor") if isinstance(details, dict) else None
    return previous.get("id") if isinstance(previous, dict) else None


def lead_facts_for(
    *,
    lead: Lead,
    exclude: frozenset[int] = frozenset(),
    current_advisor_id: int | None = None,
) -> LeadFacts:
    """The lead as the routing policy sees it, with its earlier lead's advisor (continuity)."""
    continuity_advisor_id, earlier_reference = None, ""
    if lead.duplicate_of_id:
        continuity_advisor_id, earlier_reference = (
            Lead.objects.filter(id=lead.duplicate_of_id)
            .values_list("advisor_id", "reference")
            .first()
        ) or (None, "")
    return LeadFacts(
        id=lead.id,
        interest=lead.interest,
        duplicate_of_id=lead.duplicate_of_id,
        duplicate_of_reference=earlier_reference,
        continuity_advisor_id=continuity_advisor_id,
        exclude_advisor_ids=exclude,
        current_advisor_id=current_advisor_id,
    )


_CANDIDATE_FIELDS = (
    "id",
    "name",
    "specialty",
    "capacity",
    "open_leads",
    "is_active",
    "is_accepting",
    "is_absent",
    "last_assigned_at",
)
# Values no argument of a real call can take, for PreparedRead to find among the parameters.
_SOME_TEAM, _SOME_DAY = "\x00team", date(1, 1, 1)
_SOME_MOMENT = datetime(1, 1, 1, tzinfo=UTC)
# Compiled once per process: the read runs for every routing decision, under the pool lock.
_candidates = PreparedRead(
    lambda team, on: advisors_with_load(team=team, on=on).values(*_CANDIDATE_FIELDS),
    team=_SOME_TEAM,
    on=_SOME_DAY,
)
_candidates_capped = PreparedRead(
    lambda team, on, assigned_since: advisors_with_load(
        team=team, on=on, assigned_since=assigned_since
    ).values(*_CANDIDATE_FIELDS, "recent_assignments"),
    team=_SOME_TEAM,
    on=_SOME_DAY,
    assigned_since=_SOME_MOMENT,
)


def advisor_candidates_for(
    *, team: str, on: date, assigned_since: datetime | None = None
) -> list[AdvisorFacts]:
    """Every advisor of `team` as plain data for the routing policy; one query."""
    if assigned_since is None:
        rows = _candidates.rows(team=team, on=on)
    else:
        rows = _candidates_capped.rows(team=team, on=on, assigned_since=assigned_since)
    return [AdvisorFacts(**row) for row in rows]


def manager_emails() -> list[str]:
    """Addresses of the active members of the managers' group (none until the group exists)."""
    emails = (
        get_user_model()
        .objects.filter(groups__name=MANAGER_GROUP, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )
    return list(emails)


def leads_to_sweep(*, created_before: datetime, limit: int) -> list[tuple[int, str, str]]:
    """(id, kind, interest) of leads still `new` after their message should have arrived,
    then of the waiting (unassigned) ones; oldest first."""
    fields = ("id", "kind", "interest")
    lost = Lead.objects.filter(status=Lead.Status.NEW, created_at__lt=created_before)
    rows = list(lost.order_by("created_at", "id").values_list(*fields)[:limit])
    waiting = Lead.objects.filter(status=Lead.Status.UNASSIGNED)
    rows += waiting.order_by("created_at", "id").values_list(*fields)[: max(limit - len(rows), 0)]
    return rows


def lead_ids_waiting(*, team: str, limit: int) -> list[int]:
    """Unassigned leads of a team, oldest first: the queue that flows when capacity returns."""
    waiting = Lead.objects.filter(status=Lead.Status.UNASSIGNED, kind__in=lead_kinds_of(team=team))
    return list(waiting.order_by("created_at", "id").values_list("id", flat=True)[:limit])


def advisor_ids_away_with_uncontacted_leads(*, on: date) -> list[int]:
    """Advisors who are inactive or absent on `on` yet still hold leads nobody has called."""
    away = Q(advisor__is_active=False) | Exists(
        advisor_absent_on(on=on).filter(advisor=OuterRef("advisor_id"))
    )
    leads = Lead.objects.filter(away, status=Lead.Status.ASSIGNED, advisor__isnull=False)
    return sorted(set(leads.values_list("advisor_id", flat=True)))


def lead_ids_awaiting_first_contact(*, now: datetime) -> list[int]:
    """Assigned leads nobody has called yet that are still to be reminded, or past their
    deadline; the SLA service decides what is due for each."""
    awaiting = Lead.objects.filter(
        status=Lead.Status.ASSIGNED,
        first_contacted_at__isnull=True,
        first_contact_due_at__isnull=False,
    ).filter(Q(sla_reminded_at__isnull=True) | Q(first_contact_due_at__lte=now))
    return list(awaiting.order_by("first_contact_due_at", "id").values_list("id", flat=True))


def advisor_digest_for(*, advisor: Advisor, now: datetime) -> dict[str, list[Lead]]:
    """What an advisor's morning email lists: new and overdue leads, and leads nobody took."""
    mine = leads_with_overdue(
        Lead.objects.filter(
            advisor=advisor, status=Lead.Status.ASSIGNED, first_contacted_at__isnull=True
        ),
        now=now,
    ).order_by("first_contact_due_at", "id")
    takeable = [interest for interest in Interest.values if covers(advisor.specialty, interest)]
    waiting = Lead.objects.filter(
        id__in=lead_ids_waiting(team=advisor.team, limit=50), interest__in=takeable
    ).order_by("created_at", "id")
    return {
        "new": [lead for lead in mine if not lead.is_overdue],
        "overdue": [lead for lead in mine if lead.is_overdue],
        "waiting": list(waiting),
    }


# What templates/careers/*_thanks.html and the booking link read of the lead: the other
# columns of a wide row would cost more to select and load than the page to render.
_THANKS_PAGE_FIELDS = (
    "reference",
    "kind",
    "name",
    "email",
    "interest",
    "contact_method",
    "timing",
    "engagement",
    "company_name",
    "positions",
    "available_days",
    "project",
)
# Compiled once per process: building it took 0.46 ms of CPU against 0.08 ms to run it.
_thanks_page_lead = PreparedRead(
    lambda reference, kind: Lead.objects.filter(reference=reference, kind=kind).only(
        *_THANKS_PAGE_FIELDS
    )[:1],
    reference="\x00reference",
    kind="\x00kind",
)


def lead_for_thanks_page(*, reference: str, kind: str) -> Lead | None:
    """The lead a thank-you page greets, with only the columns the page shows."""
    found = _thanks_page_lead.instances(reference=reference, kind=kind)
    return found[0] if found else None
