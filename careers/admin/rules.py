"""The rule-set admin for managers: drafts with ordered rules, conditions and pools; replay.

Only drafts are editable. Publishing and starting a new draft go through the rule-set
services (careers/services/rulesets.py); the replay page reads, never writes. Who sees
any of it is the model permissions, which the data migration gives to managers only.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from careers.admin.rule_forms import (
    ConditionForm,
    ReplayForm,
    RuleForm,
    RuleMemberForm,
    condition_value_display,
)
from careers.models import Advisor, Condition, Rule, RuleMember, RuleSet
from careers.replay_selectors import ruleset_replay
from careers.services.rulesets import ruleset_check, ruleset_draft_create, ruleset_publish

# Enough rows to judge a draft; the counts above each table say how many there are.
REPLAY_ROWS = 200


class DraftOnlyInline:
    """Inlines of a published or retired version are shown, never edited."""

    def _editable(self, obj) -> bool:
        ruleset = obj.ruleset if isinstance(obj, Rule) else obj
        return ruleset is None or ruleset.is_draft

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class RuleInline(DraftOnlyInline, admin.TabularInline):
    model = Rule
    fields = ("position", "name", "specialty", "method")
    extra = 0
    show_change_link = True
    verbose_name_plural = gettext_lazy("ルール(順番の小さい順に試します。条件と対象は「変更」から)")


class ConditionInline(DraftOnlyInline, admin.TabularInline):
    model = Condition
    form = ConditionForm
    # Most rules test two facts (an interest and a timing); untouched rows are ignored.
    extra = 2


class RuleMemberInline(DraftOnlyInline, admin.TabularInline):
    model = RuleMember
    form = RuleMemberForm
    fields = ("position", "advisor", "weekdays", "hours_start", "hours_end")
    extra = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        team = getattr(request, "rule_team", None)
        if db_field.name == "advisor" and team:
            kwargs["queryset"] = Advisor.objects.filter(team=team).order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ("name", "team", "status", "version", "rule_count", "published_at")
    list_filter = ("team", "status")
    fields = (
        "name",
        "team",
        "default",
        "default_advisor",
        "cap_per_period",
        "cap_period_days",
        "status",
        "version",
        "published_at",
        "published_by",
    )
    inlines = (RuleInline,)
    show_full_result_count = False

    class Media:
        css = {"all": ("staff/admin.css",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(rules_total=Count("rules"))

    @admin.display(description=gettext_lazy("ルール数"), ordering="rules_total")
    def rule_count(self, obj):
        return obj.rules_total

    def get_readonly_fields(self, request, obj=None):
        readonly = ["status", "version", "published_at", "published_by"]
        return [*readonly, "team"] if obj is not None else readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "default_advisor":
            kwargs["queryset"] = Advisor.objects.filter(is_active=True).order_by("team", "name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_draft)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_draft)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["replay_url"] = reverse("admin:careers_ruleset_replay", args=[obj.pk])
            context["draft_url"] = reverse("admin:careers_ruleset_draft", args=[obj.pk])
            context["can_start_draft"] = self.has_add_permission(request)
            context["can_add_rule"] = request.user.has_perm("careers.add_rule")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path("<path:object_id>/replay/", wrap(self.replay_view), name="careers_ruleset_replay"),
            path(
                "<path:object_id>/publish/", wrap(self.publish_view), name="careers_ruleset_publish"
            ),
            path("<path:object_id>/draft/", wrap(self.draft_view), name="careers_ruleset_draft"),
            *super().get_urls(),
        ]

    def _ruleset(self, request, object_id) -> RuleSet:
        ruleset = self.get_object(request, unquote(object_id))
        if ruleset is None:
            raise Http404(_("ルールセットが見つかりません。"))
        return ruleset

    def replay_view(self, request, object_id):
        """Replay the last N days under this version and the published one; then publish."""
        ruleset = self._ruleset(request, object_id)
        if not self.has_view_permission(request, ruleset):
            raise PermissionDenied
        form = ReplayForm(request.GET or None)
        report = None
        days = form.cleaned_data["days"] if form.is_valid() else None
        if days is not None:
            report = ruleset_replay(ruleset=ruleset, days=days)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("リプレイ: {ruleset}").format(ruleset=ruleset),
            "ruleset": ruleset,
            "form": form if request.GET else ReplayForm(),
            "report": report,
            "changes": report["changes"][:REPLAY_ROWS] if report else [],
            "unmatched": report["unmatched"][:REPLAY_ROWS] if report else [],
            "check": ruleset_check(ruleset=ruleset) if ruleset.is_draft else None,
            "can_publish": ruleset.is_draft and self.has_change_permission(request, ruleset),
        }
        return TemplateResponse(request, "admin/careers/ruleset/replay.html", context)

    def publish_view(self, request, object_id):
        ruleset = self._ruleset(request, object_id)
        if request.method != "POST":
            return redirect("admin:careers_ruleset_replay", ruleset.pk)
        if not self.has_change_permission(request, ruleset):
            raise PermissionDenied
        try:
            check = ruleset_publish(ruleset=ruleset, actor=request.user)
        except ValidationError as refused:
            for message in refused.messages:
                self.message_user(request, message, messages.ERROR)
            return redirect("admin:careers_ruleset_replay", ruleset.pk)
        for warning in check.warnings:
            self.message_user(request, warning, messages.WARNING)
        self.message_user(
            request,
            _("{ruleset} を公開しました。次の振り分けから使われます。").format(ruleset=ruleset),
            messages.SUCCESS,
        )
        return redirect("admin:careers_ruleset_change", ruleset.pk)

    def draft_view(self, request, object_id):
        source = self._ruleset(request, object_id)
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        draft = ruleset_draft_create(source=source)
        self.message_user(
            request,
            _("{source} から下書きを作成しました。").format(source=source),
            messages.SUCCESS,
        )
        return redirect("admin:careers_ruleset_change", draft.pk)


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    """One rule's conditions and pool; reached from its rule set, not from the app index."""

    form = RuleForm
    inlines = (ConditionInline, RuleMemberInline)
    list_display = ("name", "ruleset", "position", "conditions_display")
    list_select_related = ("ruleset",)

    class Media:
        css = {"all": ("staff/admin.css",)}

    def get_model_perms(self, request):
        return {}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("conditions")

    @admin.display(description=gettext_lazy("条件"))
    def conditions_display(self, rule):
        return " かつ ".join(
            f"{c.get_fact_display()}{c.get_operator_display()} "
            f"{condition_value_display(fact=c.fact, value=c.value)}".strip()
            for c in rule.conditions.all()
        ) or _("すべてのリード")

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The pool's advisor choices come from the rule set's team.
        request.rule_team = obj.ruleset.team if obj is not None else None
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ("ruleset",) if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "ruleset":
            kwargs["queryset"] = RuleSet.objects.filter(status=RuleSet.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        editable = obj is None or obj.ruleset.is_draft
        return editable and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        editable = obj is None or obj.ruleset.is_draft
        return editable and super().has_delete_permission(request, obj)

    def _back_to_ruleset(self, obj):
        return redirect("admin:careers_ruleset_change", obj.ruleset_id)

    def response_add(self, request, obj, post_url_continue=None):
        if "_continue" in request.POST or "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return self._back_to_ruleset(obj)

    def response_change(self, request, obj):
        if "_continue" in request.POST or "_addanother" in request.POST:
            return super().response_change(request, obj)
        return self._back_to_ruleset(obj)
