"""Every kind of email in staff's words: the sent-email list, its filter and a lead's timeline.

The kinds are the strings the sending apps pass to email_queue; the outbox names them here
instead of importing those apps. tests/outbox/test_kinds.py fails when a sender uses a kind
this list does not name.
"""

from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    # Candidates and companies (careers).
    "lead_confirmation": _("お申し込みの受付確認"),
    "booking_booked": _("面談予約の確認"),
    "booking_rescheduled": _("面談日時の変更のお知らせ"),
    "booking_cancelled": _("面談キャンセルのお知らせ"),
    "booking_day_before": _("面談前日のリマインド"),
    "booking_hour_before": _("面談直前のリマインド"),
    # Advisors and managers (careers).
    "lead_assigned": _("担当決定の通知(アドバイザー宛)"),
    "lead_unassigned": _("担当者なしの通知(マネージャー宛)"),
    "advisor_leads_released": _("担当リードの引き継ぎ通知"),
    "sla_reminder": _("初回連絡期限のリマインド"),
    "sla_breached": _("初回連絡期限超過の通知"),
    "advisor_digest": _("アドバイザーへの毎日のまとめ"),
    "booking_booked_advisor": _("面談予約の通知(アドバイザー宛)"),
    "booking_rescheduled_advisor": _("面談日時の変更の通知(アドバイザー宛)"),
    "booking_cancelled_advisor": _("面談キャンセルの通知(アドバイザー宛)"),
    "booking_moved_advisor": _("面談の担当交代の通知(前の担当者宛)"),
    "booking_request": _("面談の希望日時の通知(アドバイザー宛)"),
    # Newsletter and editors.
    "newsletter_confirm": _("メルマガ登録の確認"),
    "newsletter_projects": _("新着案件のお知らせ(メルマガ)"),
    "newsletter_test": _("メルマガのテスト送信"),
    "news_review_decision": _("記事レビューの結果(編集者宛)"),
}
OTHER = _("その他のメール")


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, OTHER))
