"""The managers' CSV export of leads: UTF-8 with a BOM for Excel, safe from formula injection."""

import csv
from collections.abc import Iterator
from operator import attrgetter

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from careers.models import Lead
from careers.services.exports import leads_export_record
from core.dates import jst

BOM = "\ufeff"
# A spreadsheet runs a cell starting with these as a formula (OWASP "CSV injection");
# Japanese Excel may also read the full-width forms as the operators.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_CHUNK = 2000
# Excel drops a leading zero from a number (09012345678 becomes 9012345678): these columns
# are written as ="…", which Excel and LibreOffice show as the text itself.
TEXT_COLUMNS = {"電話番号"}

COLUMNS = [
    ("受付番号", lambda lead: lead.reference),
    ("受付日時", lambda lead: jst(lead.created_at)),
    ("種別", lambda lead: lead.get_kind_display()),
    ("お名前", lambda lead: lead.name),
    ("フリガナ", lambda lead: lead.name_kana),
    ("メールアドレス", lambda lead: lead.email),
    ("電話番号", lambda lead: lead.phone),
    ("会社名", lambda lead: lead.company_name),
    ("部署名", lambda lead: lead.department),
    ("募集人数", lambda lead: lead.positions),
    ("興味のある領域", lambda lead: lead.get_interest_display()),
    ("現在のお仕事", lambda lead: lead.current_job),
    ("経験年数", lambda lead: lead.get_experience_display()),
    # Candidates: when they want to move; companies: when they want to hire.
    ("希望時期(転職・採用)", lambda lead: lead.get_timing_display()),
    ("希望する連絡方法", lambda lead: lead.get_contact_method_display()),
    ("ご相談内容", lambda lead: lead.message),
    ("ステータス", lambda lead: lead.get_status_display()),
    ("クローズ理由", lambda lead: lead.get_close_reason_display()),
    ("担当アドバイザー", lambda lead: lead.advisor.name if lead.advisor else ""),
    ("割り当て日時", lambda lead: jst(lead.assigned_at)),
    ("初回連絡期限", lambda lead: jst(lead.first_contact_due_at)),
    ("初回連絡日時", lambda lead: jst(lead.first_contacted_at)),
    ("流入元の記事", lambda lead: lead.source_article.title if lead.source_article else ""),
    *(
        (str(Lead._meta.get_field(name).verbose_name), attrgetter(name))
        for name in ("utm_source", "utm_medium", "utm_campaign")
    ),
    ("重複元の受付番号", lambda lead: lead.duplicate_of.reference if lead.duplicate_of else ""),
]


def neutralize(value) -> str:
    """Make a cell inert in Excel and LibreOffice: a leading formula character gets a quote."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


# The list's own filters, whose values are codes and ids, never what someone typed: each
# is named in words, a choice by its label, an advisor or article by its name.
_CHOICE_FILTERS = ("status", "interest", "kind")
_FLAG_FILTERS = {
    "overdue": ("初回連絡の期限", {"yes": "期限超過", "no": "期限内・対応済み"}),
    "duplicate": ("重複", {"yes": "重複あり", "no": "重複なし"}),
}


def _filter_in_words(key: str, values: list[str]) -> str:
    base = key.split("__")[0]
    if base in _CHOICE_FILTERS:
        field = Lead._meta.get_field(base)
        labels = dict(field.choices)
        return f"{field.verbose_name}: {'、'.join(str(labels.get(v, v)) for v in values)}"
    if base in _FLAG_FILTERS:
        label, words = _FLAG_FILTERS[base]
        return f"{label}: {'、'.join(words.get(v, v) for v in values)}"
    if base in ("advisor", "source_article"):
        field = Lead._meta.get_field(base)
        ids = [v for v in values if v.isdigit()]
        names = [str(obj) for obj in field.related_model.objects.filter(pk__in=ids)]
        return f"{field.verbose_name}: {'、'.join(names) or '-'}"
    if base == "created_at":
        return f"受付日時: {'、'.join(values)}"
    return "その他の条件"


def export_description(*, params, searched: bool) -> str:
    """How an export was filtered, in words kept with every exported lead.

    A search term or a hand-made filter (`?email=…`) names a person, and this record
    outlives that person's erasure: only the list's own filters keep their values.
    """
    parts = [_filter_in_words(key, values) for key, values in sorted(params.items())]
    if searched:
        parts.append("検索語あり(内容は記録しません)")
    return "絞り込み: " + ("、".join(dict.fromkeys(parts)) or "すべて")


def _cell(header: str, value) -> str:
    text = neutralize(value)
    if header in TEXT_COLUMNS and text.isdigit():
        return f'="{text}"'
    return text


class _Echo:
    """A file-like object whose write returns the line, for a streaming csv.writer."""

    def write(self, value):
        return value


def csv_lines(lead_ids: list[int]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([header for header, _ in COLUMNS])
    for start in range(0, len(lead_ids), _CHUNK):
        chunk = lead_ids[start : start + _CHUNK]
        leads = (
            Lead.objects.filter(pk__in=chunk)
            .select_related("advisor", "source_article", "duplicate_of")
            .order_by("-created_at", "-pk")
        )
        for lead in leads:
            yield writer.writerow([_cell(header, value(lead)) for header, value in COLUMNS])


def export_response(*, leads: QuerySet, actor, description: str) -> StreamingHttpResponse:
    """Record the export on every lead, then stream exactly those leads as CSV.

    The ids are fixed first, so the file and the EXPORTED events always agree even if
    leads arrive while the file streams.
    """
    lead_ids = list(leads.order_by("-created_at", "-pk").values_list("pk", flat=True))
    leads_export_record(lead_ids=lead_ids, actor=actor, description=description)
    response = StreamingHttpResponse(csv_lines(lead_ids), content_type="text/csv; charset=utf-8")
    filename = f"leads-{timezone.localtime():%Y%m%d-%H%M}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
