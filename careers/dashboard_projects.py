"""The dashboard's 業務委託案件: open projects, and each project's applicants → contacted → 成約.

Two queries whatever the number of projects and applications: the open count, and one
grouped query over the projects with their applications counted by stage.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.utils.translation import gettext

from careers.models import Lead
from projects.models import Project

TOP_PROJECTS = 20


@dataclass(frozen=True)
class ProjectFunnel:
    id: int
    title: str
    # 募集中, 締切済み (open, its closing time passed), 成約 or 募集終了.
    state: str
    applicants: int
    contacted: int
    placed: int


@dataclass(frozen=True)
class ProjectFigures:
    open_count: int
    rows: list[ProjectFunnel]


def _state(status: str, is_accepting: bool) -> str:
    if is_accepting:
        return str(Project.Status.OPEN.label)
    if status == Project.Status.OPEN:
        return gettext("締切済み")
    return str(Project.Status(status).label)


def project_figures_for(*, start: datetime, now: datetime) -> ProjectFigures:
    """Open projects, and the funnel of every project that is open or had an applicant
    since `start`, most applicants first.

    Each project's funnel counts all its applications, spam aside: an applicant, one
    an advisor contacted (first_contacted_at), one who reached 成約 (placed).
    """
    accepting = Q(status=Project.Status.OPEN, closes_at__gt=now)
    applications = Q(applications__kind=Lead.Kind.FREELANCE) & ~Q(
        applications__status=Lead.Status.SPAM
    )
    applied_in_period = Lead.objects.filter(
        project=OuterRef("pk"), kind=Lead.Kind.FREELANCE, created_at__gte=start
    ).exclude(status=Lead.Status.SPAM)
    projects = (
        Project.objects.filter(accepting | Exists(applied_in_period))
        .annotate(
            is_accepting=ExpressionWrapper(accepting, output_field=BooleanField()),
            applicants=Count("applications", filter=applications),
            contacted=Count(
                "applications",
                filter=applications & Q(applications__first_contacted_at__isnull=False),
            ),
            placed=Count(
                "applications",
                filter=applications & Q(applications__status=Lead.Status.PLACED),
            ),
        )
        .order_by("-applicants", "-opened_at", "-id")
        .values("id", "title", "status", "is_accepting", "applicants", "contacted", "placed")
    )
    rows = [
        ProjectFunnel(state=_state(row.pop("status"), row.pop("is_accepting")), **row)
        for row in projects[:TOP_PROJECTS]
    ]
    return ProjectFigures(open_count=Project.objects.filter(accepting).count(), rows=rows)
