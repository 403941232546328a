"""The managers' CSV: Excel-friendly, formula-safe, and every export leaves a trace."""

import csv
import io
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission

from careers.admin.export import neutralize
from careers.models import Lead, LeadEvent
from tests.factories import AdvisorFactory, ArticleFactory
from tests.staff.conftest import assigned_lead

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/careers/lead/"


def read_csv(response):
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="leads-')
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM, so Excel in Japan reads it"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+81 90 1234 5678", "'+81 90 1234 5678"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        # Full-width forms: Japanese Excel may read them as the ASCII operators.
        ("＝1+1", "'＝1+1"),
        ("＋81 90", "'＋81 90"),
        ("－1", "'－1"),
        ("＠SUM(A1)", "'＠SUM(A1)"),
        ("山田 太郎", "山田 太郎"),
        ("090-1234-5678", "090-1234-5678"),
        (None, ""),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_neutralised(value, expected):
    assert neutralize(value) == expected


def test_export_of_selected_rows_has_bom_japanese_and_neutralised_cells(client, manager):
    advisor = AdvisorFactory(name="渡辺 アドバイザー")
    article = ArticleFactory(title="Web3企業の採用動向")
    evil = assigned_lead(
        advisor,
        reference="PW-EVIL",
        name="=cmd|' /C calc'!A0",
        message="@SUM(1+1)",
        phone="+81-90-0000-0000",
        source_article=article,
    )
    plain = assigned_lead(advisor, reference="PW-PLAIN", name="伊藤 美咲")
    assigned_lead(advisor, reference="PW-NOT-SELECTED")
    client.force_login(manager)

    response = client.post(
        LIST_URL,
        {"action": "export_csv", "_selected_action": [evil.pk, plain.pk], "index": 0},
    )
    rows = read_csv(response)

    header, *records = rows
    assert header[:4] == ["受付番号", "受付日時", "種別", "お名前"]
    by_reference = {row[0]: dict(zip(header, row, strict=True)) for row in records}
    assert set(by_reference) == {"PW-EVIL", "PW-PLAIN"}
    assert by_reference["PW-EVIL"]["お名前"] == "'=cmd|' /C calc'!A0"
    assert by_reference["PW-EVIL"]["ご相談内容"] == "'@SUM(1+1)"
    assert by_reference["PW-EVIL"]["電話番号"] == "'+81-90-0000-0000"
    assert by_reference["PW-EVIL"]["流入元の記事"] == "Web3企業の採用動向"
    assert by_reference["PW-PLAIN"]["お名前"] == "伊藤 美咲"
    assert by_reference["PW-PLAIN"]["担当アドバイザー"] == "渡辺 アドバイザー"
    assert by_reference["PW-PLAIN"]["ステータス"] == "担当決定"


def test_every_export_is_recorded_on_each_lead_with_who_and_how_many(client, manager):
    advisor = AdvisorFactory()
    leads = [assigned_lead(advisor) for _ in range(3)]
    client.force_login(manager)

    read_csv(
        client.post(
            LIST_URL,
            {"action": "export_csv", "_selected_action": [lead.pk for lead in leads], "index": 0},
        )
    )

    events = LeadEvent.objects.filter(kind=LeadEvent.Kind.EXPORTED)
    assert sorted(event.lead_id for event in events) == sorted(lead.pk for lead in leads)
    assert {event.actor for event in events} == {manager}
    assert {event.details["rows"] for event in events} == {3}
    assert len({event.details["export_id"] for event in events}) == 1


def test_export_of_the_filtered_list_takes_exactly_the_filtered_rows(client, manager):
    advisor = AdvisorFactory()
    contacted = assigned_lead(advisor, status=Lead.Status.CONTACTED, reference="PW-C1")
    assigned_lead(advisor, reference="PW-A1")
    client.force_login(manager)

    rows = read_csv(client.post(f"{LIST_URL}export/?status__exact=contacted"))

    assert [row[0] for row in rows[1:]] == [contacted.reference]
    assert LeadEvent.objects.get(kind=LeadEvent.Kind.EXPORTED).details["rows"] == 1


def test_an_export_records_its_filters_but_never_what_was_searched(client, manager):
    """The record outlives an erasure: a search term or an address filter would keep the
    person in it."""
    advisor = AdvisorFactory()
    assigned_lead(advisor, status=Lead.Status.CONTACTED, email="hanako@example.com")
    client.force_login(manager)

    read_csv(
        client.post(
            f"{LIST_URL}export/?status__exact=contacted&email=hanako%40example.com&q=Hanako"
        )
    )

    description = LeadEvent.objects.get(kind=LeadEvent.Kind.EXPORTED).details["description"]
    # In words, as the timeline shows it: no field names or codes.
    assert "ステータス: 連絡済み" in description
    assert "status" not in description
    assert "検索語あり" in description
    assert "hanako" not in description.lower()


def test_the_changelist_offers_the_export_button_to_managers_only(client, manager, advisor_a):
    client.force_login(manager)
    assert 'data-testid="export-filtered"' in client.get(LIST_URL).content.decode()
    client.force_login(advisor_a.user)
    html = client.get(LIST_URL).content.decode()
    assert 'data-testid="export-filtered"' not in html
    assert 'value="export_csv"' not in html


def test_an_export_never_leaves_the_users_scope(client, advisor_b, lead_of_a, lead_of_b):
    """Even given the export permission, an advisor's file holds only their own leads."""
    advisor_b.user.user_permissions.add(
        Permission.objects.get(codename="export_lead", content_type__app_label="careers")
    )
    client.force_login(advisor_b.user)

    everything = read_csv(client.post(f"{LIST_URL}export/"))
    selected = read_csv(
        client.post(
            LIST_URL,
            {
                "action": "export_csv",
                "_selected_action": [lead_of_a.pk, lead_of_b.pk],
                "index": 0,
            },
        )
    )

    for rows in (everything, selected):
        assert [row[0] for row in rows[1:]] == [lead_of_b.reference]
    assert not LeadEvent.objects.filter(lead=lead_of_a).exists()
