"""The dashboard's funnel as CSV, per article or per door, for the period shown."""

import csv
import io

from django.http import HttpResponse

from careers.admin.export import BOM, neutralize
from careers.dashboard import period_days
from careers.funnel import funnel_for

FUNNEL_EXPORTS = ("articles", "doors")
_HEADERS = ["閲覧数", "CTAクリック", "リード", "担当決定", "連絡済み", "成約", "転換率(%)"]


def _figures(row) -> list:
    conversion = "" if row.conversion is None else f"{row.conversion:.1f}"
    return [row.views, row.clicks, row.leads, row.assigned, row.contacted, row.placed, conversion]


def funnel_csv_response(*, days: int, by: str) -> HttpResponse:
    """Every row of the period (not only the top ones on the page), UTF-8 with a BOM for Excel."""
    first_day, last_day = period_days(days)
    funnel = funnel_for(first_day=first_day, last_day=last_day, limit=None)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if by == "articles":
        writer.writerow(["記事", *_HEADERS, "その他の経路のリード"])
        for row in funnel.articles:
            writer.writerow([neutralize(row.label), *_figures(row), row.other_leads])
    else:
        writer.writerow(["CTA・リンク", *_HEADERS[1:]])
        for row in funnel.doors:
            writer.writerow([neutralize(row.label), *_figures(row)[1:]])
    response = HttpResponse(BOM + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"funnel-{by}-{first_day:%Y%m%d}-{last_day:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
