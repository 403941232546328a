"""A lead's event log in words: "why did this lead go to this person?" answered on the page."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from careers.models import Booking, Lead, LeadEvent, LeadNote, Specialty
from careers.people import staff_name
from core.dates import jst
from outbox.kinds import kind_label

Kind = LeadEvent.Kind

# What a lead's page shows of its history; the whole of it is paged on its own page.
TIMELINE_LATEST = 50
NOTES_LATEST = 20
TIMELINE_PAGE_SIZE = 100

# Detail keys shown as a plain "label: value" line when a kind has no sentence of its own.
DETAIL_LABELS = {
    "reason": "理由",
    "email_kind": "メールの種類",
    "error": "エラー",
    "rows": "書き出した件数",
    "description": "対象",
    "request": "請求",
    "due_at": "初回連絡期限",
    "breach": "超過回数",
    "reroute": "再振り分け",
    "spam_reasons": "スパム判定の理由",
    "fill_seconds": "入力にかかった秒数",
    "duplicate_of": "重複元の受付番号",
    "source_article": "流入元の記事",
    "starts_at": "面談日時",
    "previous_starts_at": "変更前の面談日時",
    "meeting": "面談方法",
    "message": "希望日時",
    "note": "対応メモ",
}
# careers.services.personal_data.ErasureReason in words.
ERASURE_REASONS = {"request": "ご本人からの削除請求", "retention": "保管期間の経過"}
# Keys that are plumbing (ids) or rendered elsewhere in the entry.
HIDDEN_KEYS = {
    "decision",
    "advisor",
    "previous_advisor",
    "from",
    "to",
    "close_reason",
    "notification_id",
    "note_id",
    "export_id",
    "leads",
    "reference",
    "status",
    "booking_id",
    "ends_at",
    "sequence",
}
# 面談予約: what happened to the consultation, with whom.
BOOKING_SUMMARIES = {
    Kind.BOOKED: gettext_lazy("{advisor} との面談が予約されました。"),
    Kind.BOOKING_RESCHEDULED: gettext_lazy("{advisor} との面談の日時が変更されました。"),
    Kind.BOOKING_CANCELLED: gettext_lazy("{advisor} との面談がキャンセルされました。"),
    Kind.BOOKING_NO_SHOW: gettext_lazy(
        "{advisor} との面談に、ご相談者が来ませんでした(無断欠席)。"
    ),
    Kind.BOOKING_REQUESTED: gettext_lazy(
        "予約できる日時がなく、ご相談者から希望日時が届きました。"
    ),
}


@dataclass
class Entry:
    event: LeadEvent
    kind_label: str
    summary: str
    lines: list[tuple[str, str]] = field(default_factory=list)
    why: str = ""
    rule: str = ""
    candidates: list[dict] = field(default_factory=list)

    @property
    def actor(self) -> str:
        return staff_name(self.event.actor)


def _name(reference) -> str:
    if isinstance(reference, dict):
        return reference.get("name") or _("(削除されたアドバイザー)")
    return ""


def _summary(event: LeadEvent, details: dict, kind: str) -> str:
    advisor, previous = _name(details.get("advisor")), _name(details.get("previous_advisor"))
    if event.kind == Kind.SUBMITTED:
        if details.get("spam_reasons"):
            return _("フォームから受け付けました。スパムの疑いがあるため振り分けていません。")
        return _("フォームから受け付けました。")
    if event.kind in (Kind.SLA_REMINDER, Kind.SLA_BREACHED):
        return _("{advisor} の初回連絡期限について: {kind}").format(
            advisor=advisor or "-", kind=kind
        )
    if event.kind == Kind.ROUTED:
        return _("{advisor} に振り分けました。").format(advisor=advisor)
    if event.kind == Kind.REASSIGNED:
        if previous:
            return _("担当を {previous} から {advisor} に変更しました。").format(
                previous=previous, advisor=advisor
            )
        return _("担当を {advisor} に変更しました。").format(advisor=advisor)
    if event.kind == Kind.UNASSIGNED:
        return _("条件に合う担当者がいないため、担当者なしになりました。")
    if event.kind == Kind.STATUS_CHANGED:
        text = _("ステータスを「{from_label}」から「{to_label}」に変更しました。").format(
            from_label=choice_label(Lead.Status, details.get("from")),
            to_label=choice_label(Lead.Status, details.get("to")),
        )
        if details.get("close_reason"):
            label = choice_label(Lead.CloseReason, details["close_reason"])
            text += _("クローズ理由: {label}").format(label=label)
        return text
    if event.kind == Kind.EXPORTED:
        return _("CSVに書き出されました(全{rows}件の書き出し)。").format(
            rows=details.get("rows", "?")
        )
    if event.kind == Kind.NOTE:
        return _("メモを追加しました。")
    if event.kind == Kind.ANONYMIZED:
        return _("個人情報を匿名化しました。")
    if event.kind in BOOKING_SUMMARIES:
        return str(BOOKING_SUMMARIES[event.kind]).format(advisor=advisor)
    if event.kind == Kind.DISCLOSED:
        return _("開示請求に応じて、保有する個人情報を書き出しました。")
    return kind


def _rule_text(decision: dict) -> str:
    """The policy step, and for a rule set its version and rule: what gave the advisor the lead."""
    text = decision.get("rule_label") or decision.get("rule") or ""
    ruleset = decision.get("ruleset")
    if not isinstance(ruleset, dict):
        return text
    matched = decision.get("matched_rule")
    if isinstance(matched, dict):
        text += _("「{rule}」").format(rule=matched.get("name", ""))
    return text + _("({name} 第{version}版)").format(
        name=ruleset.get("name", ""), version=ruleset.get("version", "?")
    )


def candidates_in_words(candidates) -> list[dict]:
    """A decision's candidates, each specialty in staff's words (AI・Web3の両方), not a code."""
    return [
        {**candidate, "specialty": choice_label(Specialty, candidate.get("specialty"))}
        for candidate in candidates or []
        if isinstance(candidate, dict)
    ]


def choice_label(choices, value) -> str:
    """A choice's label: one enum lookup, where a model's get_FOO_display() builds and hashes
    the whole choices dict on every call (a sixth of a lead page's CPU, once per event)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _detail_value(event: LeadEvent, key: str, value):
    """A detail's value in words: labels for codes, titles for slugs, JST for times."""
    if key.endswith("_at") and isinstance(value, str):
        return jst(value)
    if key == "meeting":
        return choice_label(Booking.Meeting, value)
    if key == "email_kind":
        return kind_label(value)
    if event.kind == Kind.ANONYMIZED and key == "reason":
        return ERASURE_REASONS.get(value, value)
    article = event.lead.source_article
    if key == "source_article" and article is not None and article.slug == value:
        return article.title
    if isinstance(value, bool):
        return _("はい") if value else _("いいえ")
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    return value


def describe(event: LeadEvent) -> Entry:
    details = event.details if isinstance(event.details, dict) else {}
    kind = choice_label(Kind, event.kind)
    entry = Entry(event=event, kind_label=kind, summary=_summary(event, details, kind))
    decision = details.get("decision")
    if isinstance(decision, dict):
        entry.rule = _rule_text(decision)
        entry.why = decision.get("why") or ""
        entry.candidates = candidates_in_words(decision.get("candidates"))
    for key, value in details.items():
        if key in HIDDEN_KEYS or value in (None, "", [], {}):
            continue
        if key == "reason" and value == entry.why:
            continue
        entry.lines.append((DETAIL_LABELS.get(key, key), str(_detail_value(event, key, value))))
    return entry


def describe_events(events) -> list[Entry]:
    return [describe(event) for event in events]


def describe_events_with_notes(events) -> list[Entry]:
    """Entries whose note events carry the note itself: the lead's page shows only its
    newest notes, so the full history is where the older ones are read."""
    entries = describe_events(events)
    note_ids = [
        entry.event.details.get("note_id") if isinstance(entry.event.details, dict) else None
        for entry in entries
    ]
    bodies = dict(
        LeadNote.objects.filter(id__in=[pk for pk in note_ids if isinstance(pk, int)]).values_list(
            "id", "body"
        )
    )
    for entry, note_id in zip(entries, note_ids, strict=True):
        if note_id in bodies:
            entry.lines.append((_("メモ"), bodies[note_id]))
    return entries
