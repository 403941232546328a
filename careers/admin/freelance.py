"""What the lead page shows of projects: the one applied to (kind freelance), and the draft a
company's 業務委託 inquiry became (kind company)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

FREELANCE_FIELDS = (
    ("reference", "kind"),
    ("name", "email", "phone"),
    ("applied_project", "interest"),
    ("timing", "available_days", "desired_rate"),
    ("skills", "portfolio_link"),
    "message",
)


class FreelanceApplicationDisplay:
    """LeadAdmin's read-only views of the projects and of the portfolio URL."""

    @admin.display(description=_("応募した案件"))
    def applied_project(self, lead):
        if lead.project_id is None:
            return "-"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            lead.project.get_absolute_url(),
            lead.project.title,
        )

    @admin.display(description=_("依頼から作った案件"))
    def requested_project_link(self, lead):
        # A draft has no public page yet: staff complete it in the project admin.
        if lead.requested_project_id is None:
            return "-"
        return format_html(
            '<a href="{}">{}({})</a>',
            reverse("admin:projects_project_change", args=[lead.requested_project_id]),
            lead.requested_project.title,
            lead.requested_project.get_status_display(),
        )

    @admin.display(description=_("ポートフォリオ・GitHub"))
    def portfolio_link(self, lead):
        # An applicant's URL: shown as its text, and a link search engines and the opener
        # are told not to trust.
        if not lead.portfolio_url.startswith(("https://", "http://")):
            return lead.portfolio_url or "-"
        return format_html(
            '<a href="{0}" target="_blank" rel="nofollow ugc noopener">{0}</a>',
            lead.portfolio_url,
        )
