"""At a million leads the staff pages stay bounded: a long timeline opens with its newest
events, search reads the trigram index, a whole reference finds exactly one lead."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careers.admin.search import lead_search
from careers.admin.timeline import NOTES_LATEST, TIMELINE_LATEST
from careers.models import Lead, LeadEvent, LeadNote
from careers.services.notes import lead_note_add
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/careers/lead/"


def _add_events(lead, count: int) -> None:
    """`count` status changes, an hour apart and in the past, numbered in their reason."""
    start = timezone.now() - timedelta(hours=count + 1)
    LeadEvent.objects.bulk_create(
        LeadEvent(lead=lead, kind=LeadEvent.Kind.NOTE, details={"reason": f"記録{number:04d}"})
        for number in range(count)
    )
    for number, event in enumerate(lead.events.order_by("id")):
        event.created_at = start + timedelta(hours=number)
    LeadEvent.objects.bulk_update(lead.events.all(), ["created_at"])


def _change_page(client, lead):
    response = client.get(f"{LIST_URL}{lead.pk}/change/")
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def test_a_long_timeline_opens_with_its_newest_events_and_links_to_the_rest(client, manager):
    lead = LeadFactory()
    _add_events(lead, TIMELINE_LATEST + 30)
    client.force_login(manager)

    html = _change_page(client, lead)

    total = lead.events.count()
    assert f"全{total}件のうち、新しい{TIMELINE_LATEST}件を表示しています" in html
    assert f"記録{TIMELINE_LATEST + 29:04d}" in html
    assert "記録0029" not in html
    assert f'href="{LIST_URL}{lead.pk}/timeline/"' in html


def test_a_short_timeline_shows_everything_without_the_link(client, manager):
    lead = LeadFactory()
    _add_events(lead, 3)
    client.force_login(manager)

    html = _change_page(client, lead)

    assert "記録0000" in html
    assert 'data-testid="timeline-earlier"' not in html


def test_the_lead_page_costs_the_same_queries_for_60_or_600_events_and_notes(client, manager):
    lead = LeadFactory()
    client.force_login(manager)

    def page_queries(events: int) -> int:
        _add_events(lead, events)
        for _ in range(events // 10):
            lead_note_add(lead=lead, author=manager, body="電話しました。")
        with CaptureQueriesContext(connection) as queries:
            _change_page(client, lead)
        return len(queries)

    assert page_queries(60) == page_queries(540)


def test_the_lead_page_reads_the_lead_once(client, manager):
    lead = LeadFactory()
    client.force_login(manager)

    with CaptureQueriesContext(connection) as queries:
        _change_page(client, lead)

    lead_reads = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "careers_lead"."id"')
        and 'WHERE "careers_lead"."id" = ' in query["sql"]
    ]
    assert len(lead_reads) == 1, lead_reads


def test_the_lead_page_holds_the_newest_notes_and_the_history_holds_every_note(client, manager):
    lead = LeadFactory()
    for number in range(NOTES_LATEST + 5):
        lead_note_add(lead=lead, author=manager, body=f"メモ本文{number:03d}")
    client.force_login(manager)

    html = _change_page(client, lead)
    history = client.get(f"{LIST_URL}{lead.pk}/timeline/").content.decode()

    assert f"メモ本文{NOTES_LATEST + 4:03d}" in html
    assert "メモ本文004" not in html
    assert all(f"メモ本文{number:03d}" in history for number in range(NOTES_LATEST + 5))


def test_a_note_is_still_added_from_the_lead_page_when_older_ones_are_hidden(client, manager):
    lead = LeadFactory()
    for _ in range(NOTES_LATEST + 2):
        lead_note_add(lead=lead, author=manager, body="以前のメモ")
    client.force_login(manager)
    response = client.get(f"{LIST_URL}{lead.pk}/change/")
    management = response.context["inline_admin_formsets"][0].formset.management_form

    response = client.post(
        f"{LIST_URL}{lead.pk}/change/",
        {
            "notes-TOTAL_FORMS": str(management.initial["TOTAL_FORMS"]),
            "notes-INITIAL_FORMS": str(management.initial["INITIAL_FORMS"]),
            "notes-MIN_NUM_FORMS": "0",
            "notes-MAX_NUM_FORMS": "1000",
            **{
                f"notes-{index}-id": str(note.pk)
                for index, note in enumerate(
                    response.context["inline_admin_formsets"][0].formset.get_queryset()
                )
            },
            **{
                f"notes-{index}-lead": str(lead.pk)
                for index in range(management.initial["TOTAL_FORMS"])
            },
            f"notes-{management.initial['INITIAL_FORMS']}-body": "新しいメモ",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert LeadNote.objects.filter(lead=lead, body="新しいメモ").exists()


def test_the_full_history_is_paged_and_opens_on_its_newest_page(client, manager):
    lead = LeadFactory()
    _add_events(lead, 250)
    client.force_login(manager)
    url = f"{LIST_URL}{lead.pk}/timeline/"

    newest = client.get(url).content.decode()
    oldest = client.get(url, {"page": 1}).content.decode()

    assert "記録0249" in newest
    assert "記録0000" not in newest
    assert "記録0000" in oldest
    assert "記録0249" not in oldest
    assert client.get(url, {"page": "x"}).status_code == HTTPStatus.OK


def test_the_history_skips_earlier_events_by_id_alone_before_any_join(client, manager):
    """At 5,003 events the newest page took 22 ms with the actors joined before the OFFSET,
    and 1 ms skipping through the timeline index first."""
    lead = LeadFactory()
    _add_events(lead, 250)
    client.force_login(manager)

    with CaptureQueriesContext(connection) as queries:
        client.get(f"{LIST_URL}{lead.pk}/timeline/")

    skipping = [
        query["sql"]
        for query in queries.captured_queries
        if "OFFSET" in query["sql"] and "careers_leadevent" in query["sql"]
    ]
    assert skipping
    assert all("JOIN" not in sql for sql in skipping), skipping


def test_another_advisors_lead_history_is_not_found(client, advisor_a, lead_of_b):
    client.force_login(advisor_a.user)
    response = client.get(f"{LIST_URL}{lead_of_b.pk}/timeline/")
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_whole_reference_finds_exactly_that_lead_in_any_case_or_width(client, manager):
    wanted = LeadFactory(reference="PW-7K3M-9QXA")
    LeadFactory(reference="PW-7K3M-9QXB", name="PW-7K3M-9QXA の重複")
    client.force_login(manager)

    for typed in ("pw-7k3m-9qxa", "ＰＷ－７Ｋ３Ｍ－９ＱＸＡ"):
        response = client.get(LIST_URL, {"q": typed})
        assert [lead.pk for lead in response.context["cl"].result_list] == [wanted.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the estimate is PostgreSQL's")
def test_an_estimated_count_is_said_to_be_about_and_a_small_filtered_one_is_exact(
    client, manager, monkeypatch
):
    monkeypatch.setattr("core.pagination.ESTIMATE_ABOVE", 20)
    LeadFactory.create_batch(60, interest="ai")
    LeadFactory.create_batch(2, interest="web3")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE careers_lead")
    client.force_login(manager)

    whole = client.get(LIST_URL).content.decode()
    filtered = client.get(LIST_URL, {"interest__exact": "web3"}).content.decode()

    assert '<span data-testid="result-count">約' in whole
    # The actions bar's 「N個あるリード を全て選択」 too.
    assert re.search(r'<a role="button" href="#">約[0-9,]+個あるリード を全て選択</a>', whole)
    assert '<span data-testid="result-count">2</span> リード' in filtered


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_lead_search_reads_the_trigram_index_and_a_whole_address_the_email_index():
    """Scans that read every row are priced out, as in the article search's test: at fifty
    rows they are what PostgreSQL rightly prefers, and the question is whether the index can
    serve the match at all. A whole address is an exact match: its trigrams are shared by
    most addresses of one domain, so the trigram index would recheck most leads."""
    LeadFactory.create_batch(50)
    LeadFactory(name_kana="ヤマダ ハナコ", email="Hanako.Yamada@example.com")
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('careers_lead_search_trgm')")
        cursor.execute("ANALYZE careers_lead")
        cursor.execute("SET LOCAL enable_seqscan = off")
        # A plain index scan of a B-tree with a filter is no answer either.
        cursor.execute("SET LOCAL enable_indexscan = off")
        plans = {
            typed: lead_search(Lead.objects.all(), typed).explain()
            for typed in ("やまだ", "hanako.yamada@", "hanako.yamada@EXAMPLE.COM")
        }

    assert "careers_lead_search_trgm" in plans["やまだ"], plans
    assert "careers_lead_search_trgm" in plans["hanako.yamada@"], plans
    assert "careers_lead_email_created" in plans["hanako.yamada@EXAMPLE.COM"], plans
