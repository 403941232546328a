"""The lead admin's columns and composed read-only fields: how a lead reads at a glance."""

from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from careers.admin.timeline import describe_events
from careers.models import Lead


class LeadColumns:
    """Mixed into LeadAdmin: list columns and the change form's composed fields."""

    @admin.display(description=_("ステータス"), ordering="status")
    def status_badge(self, lead):
        return format_html(
            '<span class="lead-badge lead-badge--{}">{}</span>',
            lead.status,
            lead.get_status_display(),
        )

    @admin.display(description=_("ご担当者名"))
    def contact_person(self, lead):
        return lead.name

    @admin.display(description=_("採用したい領域"))
    def hiring_field(self, lead):
        return lead.get_interest_display()

    @admin.display(description=_("採用希望時期"))
    def hiring_timing(self, lead):
        return lead.get_timing_display() or "-"

    @admin.display(description=_("会社名(採用企業)"), ordering="company_name")
    def company(self, lead):
        # Candidates have no company; the column tells a company inquiry apart at a glance.
        return lead.company_name if lead.kind == Lead.Kind.COMPANY else "-"

    @admin.display(description=_("受付日時"), ordering="created_at")
    def created(self, lead):
        return timezone.localtime(lead.created_at).strftime("%Y-%m-%d %H:%M")

    @admin.display(description=_("流入元の記事"), ordering="source_article__title")
    def article(self, lead):
        if lead.source_article is None:
            return "-"
        title = lead.source_article.title
        return format_html('<span class="lead-article" title="{}">{}</span>', title, title)

    @admin.display(description=_("初回連絡期限"), ordering="first_contact_due_at")
    def first_contact_deadline(self, lead):
        if lead.first_contact_due_at is None:
            return "-"
        when = timezone.localtime(lead.first_contact_due_at).strftime("%Y-%m-%d %H:%M")
        # Annotated by LeadAdmin.get_queryset (careers.selectors.leads_with_overdue).
        if lead.is_overdue:
            return format_html('<span class="lead-overdue">{} {}</span>', when, _("期限超過"))
        return when

    @admin.display(description=_("重複"), boolean=True, ordering="duplicate_of")
    def is_duplicate(self, lead):
        return lead.duplicate_of_id is not None

    @admin.display(description=_("重複元のリード"))
    def duplicate_link(self, lead):
        if lead.duplicate_of_id is None:
            return "-"
        url = reverse("admin:careers_lead_change", args=[lead.duplicate_of_id])
        return format_html('<a href="{}">{}</a>', url, _("重複元のリードを開く"))

    @admin.display(description=_("対応履歴"))
    def timeline(self, lead):
        if lead.pk is None:
            return "-"
        events = lead.events.select_related("actor").order_by("created_at", "id")
        return render_to_string(
            "admin/careers/lead/timeline.html", {"entries": describe_events(events)}
        )
