"""/projects/: open projects newest first, filters with shareable URLs, pages, bounded queries."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from projects.views import PAGE_SIZE
from tests.factories import ProjectFactory, TagFactory

pytestmark = pytest.mark.django_db

LIST_PAGE_MAX_QUERIES = 6


def _titles(response) -> list[str]:
    return re.findall(r'<h2 class="project-card__title">([^<]+)</h2>', response.content.decode())


def _count(response) -> int:
    return int(re.search(r"(\d+)件の案件", response.content.decode()).group(1))


def test_lists_open_projects_newest_first_and_hides_the_rest(client):
    now = timezone.now()
    ProjectFactory(title="先週公開の案件", opened_at=now - timedelta(days=7))
    ProjectFactory(title="今日公開の案件", opened_at=now - timedelta(hours=1))
    ProjectFactory(title="下書きの案件", status="draft", opened_at=None)
    ProjectFactory(title="レビュー中の案件", status="review", opened_at=None)
    ProjectFactory(title="成約した案件", status="filled")
    ProjectFactory(title="締切を過ぎた案件", closes_at=now - timedelta(minutes=1))

    response = client.get("/projects/")

    assert response.status_code == HTTPStatus.OK
    assert _titles(response) == ["今日公開の案件", "先週公開の案件"]
    assert _count(response) == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("field=web3", {"Web3の案件", "両方の案件", "時給の案件"}),
        ("field=ai", {"AIの常駐案件", "両方の案件"}),
        ("role=smart_contract", {"Web3の案件"}),
        ("remote=onsite", {"AIの常駐案件"}),
        ("days=1-2", {"Web3の案件"}),
        ("days=5", {"AIの常駐案件", "両方の案件", "時給の案件"}),
        ("rate=over-100", {"両方の案件"}),
        ("rate=60-80", {"AIの常駐案件"}),
        ("skill=solidity", {"Web3の案件", "両方の案件"}),
        ("field=web3&skill=solidity&remote=full", {"Web3の案件", "両方の案件"}),
        ("field=ai&role=smart_contract", set()),
    ],
)
def test_each_filter_narrows_the_list_and_the_count(client, query, expected):
    solidity, python = TagFactory(slug="solidity", name="Solidity"), TagFactory(slug="python")
    ProjectFactory(
        title="Web3の案件",
        field="web3",
        role="smart_contract",
        days_per_week_min=1,
        days_per_week_max=2,
        rate_min=850_000,
        rate_max=950_000,
        skills=[solidity],
    )
    ProjectFactory(
        title="AIの常駐案件",
        field="ai",
        remote="onsite",
        location="東京都港区",
        days_per_week_min=5,
        rate_min=600_000,
        rate_max=700_000,
        skills=[python],
    )
    ProjectFactory(
        title="両方の案件",
        field="both",
        rate_min=1_000_000,
        rate_max=1_300_000,
        skills=[solidity, python],
    )
    ProjectFactory(
        title="時給の案件",
        field="web3",
        role="pdm",
        rate_unit="hourly",
        rate_min=5_000,
        rate_max=8_000,
    )

    response = client.get(f"/projects/?{query}")

    assert set(_titles(response)) == expected
    assert _count(response) == len(expected)


def test_filters_are_a_get_form_whose_choices_stay_selected(client):
    ProjectFactory(skills=[TagFactory(slug="rust", name="Rust")])

    page = client.get("/projects/?field=web3&skill=rust").content.decode()

    assert 'method="get" action="/projects/"' in page
    assert '<option value="web3" selected>Web3</option>' in page
    assert '<option value="rust" selected>Rust</option>' in page
    # The chip that removes one filter keeps the other: each state has its own URL.
    assert 'href="/projects/?skill=rust"' in page
    assert 'href="/projects/?field=web3"' in page


@pytest.mark.parametrize(
    "query",
    [
        "field=blockchain",
        "role=%00",
        "days=99",
        "rate=-1",
        "skill=not-a-skill",
        "page=abc",
        "page=99999999",
        "field=web3&field=ai&unknown=1",
        "remote[]=full",
        "field=" + "a" * 5000,
    ],
)
def test_unknown_or_malformed_parameters_are_ignored(client, query):
    ProjectFactory(title="案件A", field="ai")

    response = client.get(f"/projects/?{query}")

    assert response.status_code == HTTPStatus.OK
    assert _count(response) >= 1


def test_pages_keep_the_filters_and_the_last_page_answers_for_a_page_too_far(client):
    ProjectFactory.create_batch(PAGE_SIZE + 3, field="web3")
    ProjectFactory.create_batch(2, field="ai")

    first = client.get("/projects/?field=web3").content.decode()
    second = client.get("/projects/?field=web3&page=2")
    too_far = client.get("/projects/?field=web3&page=50")

    assert "13件の案件" in first
    assert len(re.findall("project-card__title", first)) == PAGE_SIZE
    assert 'href="?field=web3&amp;page=2"' in first
    assert len(_titles(second)) == 3
    assert _titles(too_far) == _titles(second)


def test_only_known_filter_values_enter_the_page_cache_key(client):
    ProjectFactory(field="web3", skills=[TagFactory(slug="solidity")])
    client.get("/projects/?field=web3&skill=solidity")

    # The same filters in another order, with tracking and junk parameters: one entry.
    same = client.get("/projects/?utm_source=x&skill=solidity&bogus=1&field=web3")
    junk_only = client.get("/projects/?field=nonsense&skill=unknown-skill")
    plain = client.get("/projects/")

    assert same["X-Page-Cache"] == "hit"
    assert junk_only["X-Page-Cache"] == "miss"
    assert plain["X-Page-Cache"] == "hit"
    assert client.get("/projects/?page=x").get("X-Page-Cache") is None


def _populate(count: int):
    tags = [TagFactory() for _ in range(6)]
    for number in range(count):
        ProjectFactory(skills=tags[: 1 + number % 6], welcome_skills=tags[-2:])
    return tags


@pytest.mark.parametrize(
    "query", ["", "page=2", "field=ai&remote=full", "days=2-3&rate=80-100", "skill={skill}"]
)
def test_list_runs_at_most_six_queries_whatever_the_data_size(
    client, django_assert_max_num_queries, query
):
    """The count, the page, its skills and the skill filter's values; nothing per project."""
    tags = _populate(3)
    with django_assert_max_num_queries(LIST_PAGE_MAX_QUERIES) as few:
        client.get(f"/projects/?{query.format(skill=tags[0].slug)}")
    _populate(40)
    with django_assert_max_num_queries(LIST_PAGE_MAX_QUERIES) as many:
        response = client.get(f"/projects/?{query.format(skill=tags[0].slug)}&_=fresh")
    assert response.status_code == HTTPStatus.OK
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_cached_list_runs_no_query(client, django_assert_num_queries):
    _populate(5)
    client.get("/projects/?field=ai")
    with django_assert_num_queries(0):
        assert client.get("/projects/?field=ai")["X-Page-Cache"] == "hit"
