"""The lead admin's actions: mark contacted, change status, reassign, export, personal data.

Each goes through the pipeline services lead by lead, so every rule and event is the one a
single change would get; a refused lead is reported by reference and the others proceed.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from careers.admin import views
from careers.admin.export import export_response
from careers.admin.forms import BulkReassignForm, BulkStatusForm
from careers.models import Lead
from careers.selectors import lead_team
from careers.services import pipeline

ALWAYS = [admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM]
# Beyond this many selected leads, a dry run per lead would make the page slow.
MAX_DRY_RUNS = 20


class LeadActions:
    """Mixed into LeadAdmin: the actions of its list and change form."""

    @admin.action(description=_("連絡済みにする"), permissions=["change"], location=ALWAYS)
    def mark_contacted(self, request, queryset):
        self._transition_each(request, queryset, to=Lead.Status.CONTACTED, reason="")

    @admin.action(description=_("ステータスを変更する"), permissions=["change"], location=ALWAYS)
    def change_status(self, request, queryset):
        if self._from_change_form(request):
            return redirect("admin:careers_lead_status", queryset.get().pk)
        statuses = set(queryset.values_list("status", flat=True))
        choices = [
            (status, Lead.Status(status).label)
            for status in pipeline.leads_common_transitions(statuses=statuses)
        ]
        if not choices:
            labels = "、".join(str(Lead.Status(status).label) for status in sorted(statuses))
            self.message_user(
                request,
                _(
                    "選択したリード(ステータス: {labels})に共通して選べる変更先はありません。"
                    "ステータスごとに選び直してください。"
                ).format(labels=labels),
                messages.WARNING,
            )
            return None
        form = BulkStatusForm(request.POST if "apply" in request.POST else None, choices=choices)
        if form.is_valid():
            self._transition_each(
                request,
                queryset,
                to=form.cleaned_data["to"],
                reason=form.cleaned_data["reason"],
                close_reason=form.cleaned_data["close_reason"],
            )
            return None
        return self._intermediate(
            request, queryset, form, "change_status", _("ステータスの一括変更")
        )

    @admin.action(description=_("担当者を変更する"), permissions=["reassign"], location=ALWAYS)
    def reassign(self, request, queryset):
        if self._from_change_form(request):
            return redirect("admin:careers_lead_reassign", queryset.get().pk)
        teams = {lead_team(kind=kind) for kind in queryset.values_list("kind", flat=True)}
        if len(teams) != 1:
            self.message_user(
                request,
                _(
                    "担当チームの違うリード(求職者・採用企業・業務委託)が混ざっています。"
                    "チームごとに選んでください。"
                ),
                messages.WARNING,
            )
            return None
        form = BulkReassignForm(request.POST if "apply" in request.POST else None, team=teams.pop())
        if form.is_valid():
            changed = self._change_each(
                request,
                queryset,
                lambda lead: pipeline.lead_reassign(
                    lead=lead,
                    advisor=form.cleaned_data["advisor"],
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                ),
            )
            if changed:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d件のリードの担当者を変更しました。",
                        "%(count)d件のリードの担当者を変更しました。",
                        changed,
                    )
                    % {"count": changed},
                    messages.SUCCESS,
                )
            return None
        leads = list(queryset[: MAX_DRY_RUNS + 1])
        suggestions = [
            (lead, pipeline.lead_route_dry_run(lead=lead)) for lead in leads[:MAX_DRY_RUNS]
        ]
        return self._intermediate(
            request,
            queryset,
            form,
            "reassign",
            _("担当者の変更"),
            suggestions=suggestions,
            more_than_shown=len(leads) > MAX_DRY_RUNS,
        )

    @admin.action(description=_("CSVで書き出す"), permissions=["export"])
    def export_csv(self, request, queryset):
        count = queryset.count()
        return export_response(
            leads=queryset,
            actor=request.user,
            description=f"選択した{count}件",
        )

    @admin.action(description=_("個人情報の請求対応(開示・削除)"), permissions=["personal_data"])
    def personal_data_request(self, request, queryset):
        emails = sorted({email.lower() for email in queryset.values_list("email", flat=True)})
        if len(emails) != 1:
            self.message_user(
                request,
                _("個人情報の請求対応は、同じメールアドレスのリードを選んで行ってください。"),
                messages.WARNING,
            )
            return None
        # The request page itself, filled in: an address never travels in a URL (or a log).
        return views.personal_data(self, request, email=emails[0])

    def _from_change_form(self, request):
        return f"{admin.ActionLocation.CHANGE_FORM.value}-action" in request.POST

    def _intermediate(self, request, queryset, form, action, title, **context):
        return TemplateResponse(
            request,
            "admin/careers/lead/bulk_action.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.opts,
                "form": form,
                "action": action,
                "queryset": queryset,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                **context,
            },
        )

    def _refused(self, request, lead, error):
        self.message_user(request, f"{lead.reference}: {' '.join(error.messages)}", messages.ERROR)

    def _change_each(self, request, queryset, change) -> int:
        """`change` each lead; report each refusal by reference; how many were changed."""
        changed = 0
        for lead in queryset:
            try:
                change(lead)
            except pipeline.PipelineError as error:
                self._refused(request, lead, error)
            else:
                changed += 1
        return changed

    def _transition_each(self, request, queryset, *, to, reason, close_reason=""):
        changed = self._change_each(
            request,
            queryset,
            lambda lead: pipeline.lead_transition(
                lead=lead, to=to, actor=request.user, reason=reason, close_reason=close_reason
            ),
        )
        if changed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d件のリードを「%(status)s」にしました。",
                    "%(count)d件のリードを「%(status)s」にしました。",
                    changed,
                )
                % {"count": changed, "status": Lead.Status(to).label},
                messages.SUCCESS,
            )
