"""The admin's own pages around leads: dashboard, status change, reassignment, personal data.

Each is a thin door: it checks the form, calls a service or a read function, and renders.
The LeadAdmin has already checked the permission and fetched the lead within the user's scope.
"""

import json
from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from careers.admin.charts import interest_chart, leads_per_day_chart
from careers.admin.forms import PersonalDataForm, ReassignForm, StatusChangeForm
from careers.admin.funnel_export import FUNNEL_EXPORTS, funnel_csv_response
from careers.admin.timeline import (
    TIMELINE_PAGE_SIZE,
    candidates_in_words,
    describe_events_with_notes,
)
from careers.dashboard import DEFAULT_PERIOD, PERIODS, dashboard_for
from careers.models import Lead
from careers.selectors import lead_team
from careers.services import pipeline
from core.personal_data import (
    disclosure_is_empty,
    personal_data_disclose,
    personal_data_erase,
)

# ------------------------------------------------------------------------------
# Dashboard
# ------------------------------------------------------------------------------


def format_duration(value: timedelta | None) -> str:
    if value is None:
        return _("データなし")
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 60 * 24)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("{days}日{hours}時間").format(days=days, hours=hours)
    if hours:
        return _("{hours}時間{minutes}分").format(hours=hours, minutes=minutes)
    return _("{minutes}分").format(minutes=minutes)


def dashboard(model_admin, request):
    try:
        days = int(request.GET.get("days", DEFAULT_PERIOD))
    except ValueError:
        days = DEFAULT_PERIOD
    if days not in PERIODS:
        days = DEFAULT_PERIOD
    if request.GET.get("export") in FUNNEL_EXPORTS:
        return funnel_csv_response(days=days, by=request.GET["export"])
    figures = dashboard_for(days=days)
    advisors = [
        {
            "advisor": advisor,
            "percent": round(100 * advisor.open_leads / advisor.capacity),
            "full": advisor.open_leads >= advisor.capacity,
            # <meter> turns amber above `low` and red above `high`.
            "low": round(advisor.capacity * 0.6, 1),
            "high": round(advisor.capacity * 0.9, 1),
        }
        for advisor in figures.advisors
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("ダッシュボード"),
        "opts": model_admin.opts,
        "figures": figures,
        "periods": PERIODS,
        "chart": leads_per_day_chart(figures.per_day),
        "interest_chart": interest_chart(figures.by_interest),
        "median_to_assignment": format_duration(figures.median_to_assignment),
        "median_to_first_contact": format_duration(figures.median_to_first_contact),
        "median_to_booked_time": format_duration(figures.median_to_booked_time),
        "advisor_rows": advisors,
        "first_day": timezone.localdate(figures.start),
        "last_day": timezone.localdate(figures.end),
    }
    return TemplateResponse(request, "admin/careers/lead/dashboard.html", context)


# ------------------------------------------------------------------------------
# One lead: status and reassignment
# ------------------------------------------------------------------------------


def _lead_context(model_admin, request, lead, title):
    return {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "subtitle": str(lead),
        "opts": model_admin.opts,
        "original": lead,
        "lead": lead,
    }


def lead_status(model_admin, request, lead: Lead):
    allowed = pipeline.lead_manual_transitions(lead=lead)
    choices = [(status, Lead.Status(status).label) for status in allowed]
    form = StatusChangeForm(request.POST or None, choices=choices)
    if request.method == "POST" and choices and form.is_valid():
        to = form.cleaned_data["to"]
        try:
            pipeline.lead_transition(
                lead=lead,
                to=to,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                close_reason=form.cleaned_data["close_reason"] or None,
            )
        except pipeline.PipelineError as error:
            form.add_error(None, error)
        else:
            model_admin.message_user(
                request,
                _("{lead} を「{status}」にしました。").format(
                    lead=lead.reference, status=Lead.Status(to).label
                ),
                messages.SUCCESS,
            )
            return redirect("admin:careers_lead_change", lead.pk)
    context = {
        **_lead_context(model_admin, request, lead, _("ステータスの変更")),
        "form": form,
        "has_choices": bool(choices),
    }
    return TemplateResponse(request, "admin/careers/lead/status_form.html", context)


def lead_timeline(model_admin, request, lead: Lead):
    """The lead's whole history, oldest first, a page at a time (its page shows the newest)."""
    events = lead.events.order_by("created_at", "id")
    # The page's ids first, from the timeline index alone; then only those rows with their
    # actors. Joined before the OFFSET, the newest page of 5,003 events took 22 ms, not 1.
    paginator = Paginator(events.values_list("id", flat=True), TIMELINE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page") or paginator.num_pages)
    shown = events.filter(id__in=list(page.object_list)).select_related("actor__advisor")
    context = {
        **_lead_context(model_admin, request, lead, _("対応履歴(すべて)")),
        "page": page,
        "entries": describe_events_with_notes(shown),
    }
    return TemplateResponse(request, "admin/careers/lead/timeline_page.html", context)


def lead_reassign(model_admin, request, lead: Lead):
    suggestion = pipeline.lead_route_dry_run(lead=lead)
    initial = {"advisor": suggestion.advisor_id} if suggestion.advisor_id else {}
    form = ReassignForm(
        request.POST or None,
        team=lead_team(kind=lead.kind),
        exclude_id=lead.advisor_id,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = pipeline.lead_reassign(
                lead=lead,
                advisor=form.cleaned_data["advisor"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except pipeline.PipelineError as error:
            form.add_error(None, error)
        else:
            chosen = decision.chosen
            model_admin.message_user(
                request,
                _("{lead} の担当者を {advisor} に変更しました。").format(
                    lead=lead.reference, advisor=chosen.name if chosen else "-"
                ),
                messages.SUCCESS,
            )
            return redirect("admin:careers_lead_change", lead.pk)
    record = suggestion.as_record()
    context = {
        **_lead_context(model_admin, request, lead, _("担当者の変更")),
        "form": form,
        "suggestion": {**record, "candidates": candidates_in_words(record["candidates"])},
    }
    return TemplateResponse(request, "admin/careers/lead/reassign_form.html", context)


# ------------------------------------------------------------------------------
# Personal-data requests
# ------------------------------------------------------------------------------


def personal_data(model_admin, request, email: str | None = None):
    """The request form; `email` pre-fills it when a manager comes from selected leads."""
    if email is not None:
        form = PersonalDataForm(initial={"email": email})
    else:
        form = PersonalDataForm(request.POST or None)
    if email is None and request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if form.cleaned_data["request_type"] == PersonalDataForm.DISCLOSE:
            document = personal_data_disclose(email=email, actor=request.user)
            if disclosure_is_empty(document):
                # Said plainly on the page; an empty file would look like a failed download.
                model_admin.message_user(
                    request,
                    _("{email} について該当するデータはありません。").format(email=email),
                    messages.WARNING,
                )
                return redirect("admin:careers_lead_personal_data")
            response = HttpResponse(
                json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
                content_type="application/json; charset=utf-8",
            )
            filename = f"personal-data-{timezone.localtime():%Y%m%d-%H%M%S}.json"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            response["Cache-Control"] = "no-store"
            return response
        counts = personal_data_erase(email=email, actor=request.user)
        total = sum(counts.values())
        model_admin.message_user(
            request,
            _("{email} の個人情報を匿名化しました({total}件)。").format(email=email, total=total)
            if total
            else _("{email} の未匿名化のデータはありませんでした。").format(email=email),
            messages.SUCCESS if total else messages.WARNING,
        )
        return redirect("admin:careers_lead_personal_data")
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("個人情報の請求対応(開示・削除)"),
        "opts": model_admin.opts,
        "form": form,
    }
    return TemplateResponse(request, "admin/careers/lead/personal_data.html", context)
