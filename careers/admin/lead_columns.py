"""The lead admin's columns and composed read-only fields: how a lead reads at a glance."""

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from careers.admin.timeline import NOTES_LATEST, TIMELINE_LATEST, choice_label, describe_events
from careers.models import Interest, Lead
from core.dates import jst


def labelled(label, value):
    """A cell with its column's name, shown only where the list becomes cards (phones)."""
    return format_html('<span class="lead-cell__label">{}</span>{}', label, value)


class LeadChangeList(ChangeList):
    """The list joins only what its columns show (list_select_related): the change view's
    joins in LeadAdmin.get_queryset carried each row's whole article and project."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.select_related(None).select_related(*self.list_select_related)

    def get_results(self, request):
        super().get_results(request)
        if not self.query and not self.get_filters_params():
            # Nothing narrows the list, so its count is the total: without this, the admin
            # (show_full_result_count off) says 「結果 N (全件表示)」 over the whole list.
            self.full_result_count = self.result_count


class LeadColumns:
    """Mixed into LeadAdmin: list columns and the change form's composed fields."""

    @admin.display(description=_("ステータス"), ordering="status")
    def status_badge(self, lead):
        return format_html(
            '<span class="lead-badge lead-badge--{}">{}</span>',
            lead.status,
            choice_label(Lead.Status, lead.status),
        )

    @admin.display(description=_("ご担当者名"))
    def contact_person(self, lead):
        return lead.name

    @admin.display(description=_("採用したい領域"))
    def hiring_field(self, lead):
        return choice_label(Interest, lead.interest)

    @admin.display(description=_("採用希望時期"))
    def hiring_timing(self, lead):
        return lead.get_timing_display() or "-"

    # -- the list: the columns an advisor acts on, each cell labelled for the phone cards --

    def action_checkbox(self, lead):
        """Django's own checkbox, written directly: rendering a widget template for each row
        was a sixth of the list page's CPU."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            lead.pk,
            gettext("Select this object for an action - {}").format(lead),
        )

    @admin.display(description=_("お名前・会社名"), ordering="name")
    def person(self, lead):
        # A company inquiry is told apart at a glance by its company above the contact.
        if lead.kind == Lead.Kind.COMPANY and lead.company_name:
            return format_html(
                '<span class="lead-company">{}</span>{}', lead.company_name, lead.name
            )
        return lead.name

    @admin.display(description=_("領域"), ordering="interest")
    def interest_label(self, lead):
        return labelled(_("領域"), choice_label(Interest, lead.interest))

    @admin.display(description=_("ステータス"), ordering="status")
    def status_cell(self, lead):
        return labelled(_("ステータス"), self.status_badge(lead))

    @admin.display(description=_("担当"), ordering="advisor__name")
    def advisor_name(self, lead):
        return labelled(_("担当"), lead.advisor.name if lead.advisor else "-")

    @admin.display(description=_("初回連絡期限"), ordering="first_contact_due_at")
    def first_contact_deadline(self, lead):
        if lead.first_contact_due_at is None:
            return labelled(_("初回連絡期限"), "-")
        when = jst(lead.first_contact_due_at)
        # Annotated by LeadAdmin.get_queryset (careers.selectors.leads_with_overdue).
        if lead.is_overdue:
            when = format_html(
                '<span class="lead-overdue">{} <span class="lead-overdue__tag">{}</span></span>',
                when,
                _("期限超過"),
            )
        return labelled(_("初回連絡期限"), when)

    @admin.display(description=_("重複"), ordering="duplicate_of")
    def is_duplicate(self, lead):
        if lead.duplicate_of_id is None:
            return format_html('<span class="lead-cell--empty">{}</span>', "-")
        return format_html('<span class="lead-duplicate">{}</span>', _("重複あり"))

    @admin.display(description=_("重複元のリード"))
    def duplicate_link(self, lead):
        if lead.duplicate_of_id is None:
            return "-"
        url = reverse("admin:careers_lead_change", args=[lead.duplicate_of_id])
        return format_html('<a href="{}">{}</a>', url, _("重複元のリードを開く"))

    @admin.display(description=_("対応履歴"))
    def timeline(self, lead):
        """The newest TIMELINE_LATEST events, oldest of them first; the rest are a link away
        (lead_timeline), so a lead handled for years opens as fast as a new one."""
        if lead.pk is None:
            return "-"
        newest = lead.events.select_related("actor__advisor").order_by("-created_at", "-id")
        events = list(newest[:TIMELINE_LATEST])[::-1]
        total = len(events) if len(events) < TIMELINE_LATEST else lead.events.count()
        return render_to_string(
            "admin/careers/lead/timeline.html",
            {
                "entries": describe_events(events),
                "total": total,
                "earlier": total - len(events),
                "notes_shown": NOTES_LATEST,
                "full_url": reverse("admin:careers_lead_timeline", args=[lead.pk]),
            },
        )
