"""The lead list and change view: columns, filters, search, scope and bounded queries."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careers.models import Lead, LeadEvent, LeadNote
from careers.services.pipeline import lead_route
from tests.factories import AdvisorFactory, ArticleFactory, LeadFactory
from tests.staff.conftest import assigned_lead

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/careers/lead/"


def change_url(lead):
    return f"/admin/careers/lead/{lead.pk}/change/"


def test_list_shows_badge_overdue_deadline_duplicate_flag_and_source_article_filter(
    client, manager
):
    advisor = AdvisorFactory(name="山本 アドバイザー")
    article = ArticleFactory(title="生成AIエンジニアの転職市場")
    overdue = assigned_lead(
        advisor,
        reference="PW-OVERDUE",
        first_contact_due_at=timezone.now() - timedelta(hours=2),
        source_article=article,
    )
    assigned_lead(advisor, reference="PW-DUP", duplicate_of=overdue)
    client.force_login(manager)

    html = client.get(LIST_URL).content.decode()

    assert 'class="lead-badge lead-badge--assigned">担当決定</span>' in html
    assert 'class="lead-overdue"' in html
    assert "期限超過" in html
    assert "生成AIエンジニアの転職市場" in html
    assert "山本 アドバイザー" in html
    # The duplicate column says so in words, on exactly one row.
    assert html.count('<span class="lead-duplicate">重複あり</span>') == 1
    assert "style=" not in html.split('id="result_list"')[1].split("</table>")[0]


def test_overdue_and_duplicate_filters_and_search_by_kana_and_phone(client, manager):
    advisor = AdvisorFactory()
    overdue = assigned_lead(
        advisor, reference="PW-LATE", first_contact_due_at=timezone.now() - timedelta(minutes=5)
    )
    assigned_lead(advisor, reference="PW-ONTIME")
    contacted = assigned_lead(
        advisor,
        reference="PW-CALLED",
        status=Lead.Status.CONTACTED,
        first_contact_due_at=timezone.now() - timedelta(days=1),
        first_contacted_at=timezone.now() - timedelta(days=2),
    )
    duplicate = assigned_lead(
        advisor,
        reference="PW-AGAIN",
        duplicate_of=contacted,
        name_kana="ヤマダ ハナコ",
        phone="080-1111-2222",
    )
    client.force_login(manager)

    def references(query):
        response = client.get(f"{LIST_URL}?{query}")
        assert response.status_code == HTTPStatus.OK
        return {lead.reference for lead in response.context["cl"].result_list}

    assert references("overdue=yes") == {overdue.reference}
    assert overdue.reference not in references("overdue=no")
    assert references("duplicate=yes") == {duplicate.reference}
    assert references("q=ヤマダ") == {duplicate.reference}
    assert references("q=080-1111") == {duplicate.reference}
    assert references("q=PW-CALLED") == {contacted.reference}


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL)
    assert response.status_code == HTTPStatus.OK
    return len(queries), len(response.context["cl"].result_list)


def test_each_row_has_the_admins_own_selection_checkbox(client, manager):
    """The list writes its checkboxes itself, cheaper than a widget template per row; the
    select-all script and the actions read exactly what Django's own would write."""
    lead = LeadFactory(reference="PW-7K3M-9QXA")
    client.force_login(manager)

    html = client.get(LIST_URL).content.decode()

    lead_admin = admin.site.get_model_admin(Lead)
    assert str(admin.ModelAdmin.action_checkbox(lead_admin, lead)) in html


def test_the_whole_list_is_not_called_a_result_and_a_filtered_one_says_what_it_found(
    client, manager
):
    LeadFactory.create_batch(3, interest="ai")
    LeadFactory(interest="web3")
    client.force_login(manager)

    whole = client.get(LIST_URL).content.decode()
    filtered = client.get(LIST_URL, {"interest__exact": "web3"}).content.decode()

    assert "結果 4" not in whole
    assert '<span data-testid="result-count">4</span> リード' in whole
    assert '結果 1 (<a href="?">全件表示</a>)' in filtered
    assert '<span data-testid="result-count">1</span> リード' in filtered


def test_list_queries_stay_bounded_with_200_leads_and_none_per_row(client, manager):
    """The list costs the same number of queries for 10 rows as for a full page of 50."""
    advisors = [AdvisorFactory() for _ in range(4)]
    articles = [ArticleFactory() for _ in range(3)]
    client.force_login(manager)
    for index in range(10):
        assigned_lead(advisors[index % 4], source_article=articles[index % 3])
    few_queries, few_rows = _list_queries(client)

    for index in range(190):
        assigned_lead(advisors[index % 4], source_article=articles[index % 3])
    many_queries, many_rows = _list_queries(client)

    assert (few_rows, many_rows) == (10, 50)
    assert many_queries == few_queries
    assert many_queries <= 12


def test_advisor_list_queries_are_bounded_too(client, advisor_a):
    for _ in range(60):
        assigned_lead(advisor_a)
    client.force_login(advisor_a.user)
    queries, rows = _list_queries(client)
    assert rows == 50
    assert queries <= 12


def test_change_view_is_read_only_and_shows_the_routing_decision_in_words(
    client, manager, django_capture_on_commit_callbacks
):
    advisor = AdvisorFactory(name="中村 アドバイザー", specialty="ai")
    lead = LeadFactory(interest="ai", name="<b>太字</b>さん")
    with django_capture_on_commit_callbacks(execute=True):
        lead_route(lead_id=lead.pk)
    client.force_login(manager)

    html = client.get(change_url(lead)).content.decode()

    assert "中村 アドバイザー に振り分けました。" in html
    # The advisor sees which rule of which published version gave them the lead.
    assert (
        "ルール: 振り分けルール「専門領域が合うアドバイザーに負荷分散」"
        "(キャリアアドバイザーの振り分け 第1版)" in html
    )
    assert "負荷が最も低い 中村 アドバイザー" in html
    assert "検討したアドバイザー 1名" in html
    # What the candidate typed is escaped, and no lead field is an input.
    assert "&lt;b&gt;太字&lt;/b&gt;さん" in html
    for field in ("status", "advisor", "email", "name"):
        assert f'name="{field}"' not in html
    assert advisor.name in html


def test_notes_are_appended_with_author_and_never_edited(client, advisor_a, lead_of_a):
    old_note = LeadNote.objects.create(lead=lead_of_a, author=None, body="最初のメモ")
    client.force_login(advisor_a.user)
    prefix = "notes"
    data = {
        f"{prefix}-TOTAL_FORMS": "2",
        f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-id": str(old_note.pk),
        f"{prefix}-0-lead": str(lead_of_a.pk),
        f"{prefix}-0-body": "書き換えようとしたメモ",
        f"{prefix}-1-lead": str(lead_of_a.pk),
        f"{prefix}-1-body": "本人と電話で話しました。来週面談予定。",
        "_continue": "1",
    }

    response = client.post(change_url(lead_of_a), data)

    assert response.status_code == HTTPStatus.FOUND, response.context and response.context.get(
        "errors"
    )
    old_note.refresh_from_db()
    assert old_note.body == "最初のメモ"
    note = LeadNote.objects.exclude(pk=old_note.pk).get()
    assert note.author == advisor_a.user
    assert note.body == "本人と電話で話しました。来週面談予定。"
    event = LeadEvent.objects.get(lead=lead_of_a, kind=LeadEvent.Kind.NOTE)
    assert event.actor == advisor_a.user
    lead_of_a.refresh_from_db()
    assert lead_of_a.status == Lead.Status.ASSIGNED
    # The page offers no way to edit or delete the earlier note.
    html = client.get(change_url(lead_of_a)).content.decode()
    assert 'name="notes-0-body"' not in html
    assert "notes-0-DELETE" not in html
    # Each note is captioned by its author's name and the JST time, without a link to the
    # user admin (which an advisor may not open).
    written = timezone.localtime(note.created_at).strftime("%Y-%m-%d %H:%M")
    assert f"佐藤 アドバイザー {written}" in html
    assert f"{lead_of_a.pk} {note.created_at:%Y-%m-%d %H:%M}" not in html
    assert "/admin/auth/user/" not in html


def test_autocomplete_only_returns_the_advisors_own_leads(
    client, advisor_a, advisor_b, lead_of_a, lead_of_b, manager
):
    url = (
        "/admin/autocomplete/?app_label=careers&model_name=lead&field_name=duplicate_of"
        f"&term={lead_of_a.reference}"
    )
    client.force_login(advisor_b.user)
    assert client.get(url).json()["results"] == []

    client.force_login(manager)
    results = client.get(url).json()["results"]
    assert [result["id"] for result in results] == [str(lead_of_a.pk)]


def test_another_advisors_lead_is_404_in_every_lead_door(client, advisor_b, lead_of_a):
    client.force_login(advisor_b.user)
    for suffix in ("change/", "history/", "status/"):
        response = client.get(f"/admin/careers/lead/{lead_of_a.pk}/{suffix}")
        assert response.status_code == HTTPStatus.NOT_FOUND, suffix

    # An action posted with another advisor's lead id changes nothing.
    client.post(
        LIST_URL, {"action": "mark_contacted", "_selected_action": [lead_of_a.pk], "index": 0}
    )
    lead_of_a.refresh_from_db()
    assert lead_of_a.status == Lead.Status.ASSIGNED
    assert not LeadEvent.objects.filter(lead=lead_of_a).exists()


def test_nobody_adds_or_deletes_leads_in_the_admin(client, superuser, lead_of_a):
    client.force_login(superuser)
    assert client.get("/admin/careers/lead/add/").status_code == HTTPStatus.FORBIDDEN
    assert (
        client.get(f"/admin/careers/lead/{lead_of_a.pk}/delete/").status_code
        == HTTPStatus.FORBIDDEN
    )


def test_the_date_hierarchy_drills_down_from_the_first_to_the_last_lead(client, manager):
    """Years, then months, then days, from MIN and MAX of the list (no DISTINCT scan)."""
    advisor = AdvisorFactory()
    for when in ("2025-11-20 10:00", "2026-01-05 10:00", "2026-03-02 10:00"):
        lead = assigned_lead(advisor)
        aware = timezone.make_aware(timezone.datetime.fromisoformat(when))
        Lead.objects.filter(pk=lead.pk).update(created_at=aware)
    client.force_login(manager)

    years = client.get(LIST_URL).content.decode()
    assert "?created_at__year=2025" in years
    assert "?created_at__year=2026" in years

    months = client.get(f"{LIST_URL}?created_at__year=2026").content.decode()
    assert "created_at__month=1&amp;" in months or 'created_at__month=1"' in months
    assert "created_at__month=3" in months
    assert "created_at__month=4" not in months

    days = client.get(f"{LIST_URL}?created_at__year=2026&created_at__month=3")
    assert [lead.created_at.day for lead in days.context["cl"].result_list] == [2]
    assert "created_at__day=2" in days.content.decode()


def test_an_advisors_article_filter_names_only_the_articles_of_their_own_leads(client, advisor_a):
    """Draft titles and other advisors' sources are not an advisor's business."""
    mine = ArticleFactory(title="自分のリードの記事")
    ArticleFactory(title="未公開の下書き記事", status="draft", published_at=None)
    others = ArticleFactory(title="ほかの担当者の記事")
    assigned_lead(advisor_a, source_article=mine)
    LeadFactory(source_article=others)
    client.force_login(advisor_a.user)

    html = client.get(LIST_URL).content.decode()

    assert "自分のリードの記事" in html
    assert "未公開の下書き記事" not in html
    assert "ほかの担当者の記事" not in html


def test_a_managers_article_filter_names_every_article_with_a_lead_and_no_other(client, manager):
    first, second = ArticleFactory(title="最初の流入記事"), ArticleFactory(title="二つめの流入記事")
    ArticleFactory(title="リードのない記事")
    LeadFactory(source_article=first)
    LeadFactory.create_batch(2, source_article=second)
    LeadFactory(source_article=None)
    client.force_login(manager)

    response = client.get(LIST_URL)

    article_filter = next(
        spec for spec in response.context["cl"].filter_specs if spec.field_path == "source_article"
    )
    assert sorted(title for _, title in article_filter.lookup_choices) == sorted(
        ["最初の流入記事", "二つめの流入記事"]
    )
