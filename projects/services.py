"""Writes of the project workflow: draft → review → open → filled or closed, with who and when."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import Project, ProjectEvent

Status = Project.Status

# Where each state may go. Filled and closed are final: a project that comes back is a new one.
TRANSITIONS = {
    Status.DRAFT: (Status.REVIEW,),
    Status.REVIEW: (Status.OPEN, Status.DRAFT),
    Status.OPEN: (Status.FILLED, Status.CLOSED),
}
# Editors prepare and submit; putting a project in front of readers, or ending it, is a
# manager's call (projects.publish_project).
PUBLISHING_STEPS = {Status.OPEN, Status.FILLED, Status.CLOSED}
PUBLISH_PERMISSION = "projects.publish_project"
CHANGE_PERMISSION = "projects.change_project"


class ProjectTransitionError(Exception):
    """A step the workflow, the actor's role or the project's content does not allow."""


def project_transitions_for(*, project: Project, user) -> list[str]:
    """The states `user` may move `project` to now, in the workflow's order."""
    if not user.has_perm(CHANGE_PERMISSION):
        return []
    can_publish = user.has_perm(PUBLISH_PERMISSION)
    return [
        status
        for status in TRANSITIONS.get(project.status, ())
        if can_publish or status not in PUBLISHING_STEPS
    ]


def project_transition(*, project: Project, to: str, actor, note: str = "") -> Project:
    """Move `project` to `to` and record the step; anything not allowed raises and changes nothing.

    The row is locked and its state read again, so two staff clicking at once make
    one step, not two; the second sees the new state and is refused.
    """
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if to not in project_transitions_for(project=locked, user=actor):
            raise ProjectTransitionError(
                _("「%(from)s」から「%(to)s」には変更できません。")
                % {"from": locked.get_status_display(), "to": dict(Status.choices).get(to, to)}
            )
        now = timezone.now()
        if to == Status.OPEN:
            if locked.closes_at is not None and locked.closes_at <= now:
                raise ProjectTransitionError(
                    _("募集締切が過ぎています。締切を延ばしてから公開してください。")
                )
            locked.opened_at = now
        from_status = locked.status
        locked.status = to
        try:
            locked.validate_constraints()
        except ValidationError as error:
            raise ProjectTransitionError(" ".join(error.messages)) from error
        locked.save(update_fields=["status", "opened_at", "updated_at"])
        ProjectEvent.objects.create(
            project=locked, from_status=from_status, to_status=to, actor=actor, note=note
        )
    return locked


def project_record_creation(*, project: Project, actor) -> ProjectEvent:
    """The first line of a project's history: who created the draft, and when."""
    return ProjectEvent.objects.create(project=project, to_status=project.status, actor=actor)


def project_draft_from_inquiry(*, reference: str, company_name: str, field: str) -> Project:
    """A draft project from a company's 業務委託 inquiry, for staff to complete in the admin.

    Only what the company told us goes in; the role, the way of working, the terms and the
    description that readers see are staff's to write, and publishing refuses the draft
    until they are there. The client is named for staff only (not public).
    """
    title = _("%(company)s様からの業務委託のご依頼") % {"company": company_name}
    project = Project.objects.create(
        title=title[: Project._meta.get_field("title").max_length],
        slug=f"request-{reference.lower()}",
        field=field,
        role="",
        remote="",
        client_description="",
        client_name=company_name[: Project._meta.get_field("client_name").max_length],
    )
    ProjectEvent.objects.create(
        project=project,
        to_status=project.status,
        note=_("法人のお問い合わせ(%(reference)s)から作成") % {"reference": reference},
    )
    return project
