"""Public pages and the article admin run a small, constant number of SQL queries."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.cache import cache_clear
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db

# The article with its tags, its categories, its authors, related, the default CTA with its buttons.
ARTICLE_PAGE_MAX = 5
LIST_PAGE_MAX = 5
# Every factory-made title starts so: a list page that lists articles shows it.
ARTICLE_TITLE = "テスト記事"


def _populate(count, *, categories, tags):
    articles = [ArticleFactory(categories=categories, tags=tags) for _ in range(count)]
    articles[0].pinned_related.set(articles[1:4])
    articles[0].references = [
        {"title": f"参考資料{number}", "url": f"https://example.com/{number}"}
        for number in range(count)
    ]
    articles[0].save()
    return articles


def _page(client, url, *, shows):
    """GET a page that must be the real one: 200 and showing `shows` (a 404 runs fewer queries)."""
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    assert shows in response.content.decode(), url
    return response


def _queries(client, url, *, shows):
    with CaptureQueriesContext(connection) as context:
        _page(client, url, shows=shows)
    return len(context.captured_queries)


@pytest.fixture
def small_site(default_cta):
    categories = [CategoryFactory(slug="ai"), CategoryFactory(slug="web3")]
    tags = [TagFactory() for _ in range(2)]
    return _populate(3, categories=categories, tags=tags)


@pytest.fixture
def large_site(default_cta):
    categories = [CategoryFactory() for _ in range(6)]
    categories[0].slug = "ai"
    categories[0].save()
    tags = [TagFactory() for _ in range(8)]
    return _populate(30, categories=categories, tags=tags)


def test_article_page_query_count_is_small(client, django_assert_max_num_queries, small_site):
    article = small_site[0]
    with django_assert_max_num_queries(ARTICLE_PAGE_MAX):
        _page(client, article.get_absolute_url(), shows=article.references[-1]["title"])


def test_article_page_query_count_does_not_grow_with_content(
    client, django_assert_max_num_queries, large_site
):
    """30 articles, 6 categories, 8 tags, 30 references and pinned related articles."""
    article = large_site[0]
    with django_assert_max_num_queries(ARTICLE_PAGE_MAX):
        page = _page(client, article.get_absolute_url(), shows=article.references[-1]["title"])
    html = page.content.decode()
    assert all(tag.name in html for tag in article.tags.all())
    assert large_site[1].title in html  # a pinned related article


@pytest.mark.parametrize(
    "url", ["/", "/?page=2", "/categories/ai/", "/categories/ai/?page=2", "/search/?q=テスト"]
)
def test_list_page_query_count_is_small(client, django_assert_max_num_queries, url, large_site):
    with django_assert_max_num_queries(LIST_PAGE_MAX):
        _page(client, url, shows=ARTICLE_TITLE)


@pytest.mark.parametrize("url", ["/", "/categories/ai/", "/search/?q=テスト"])
def test_list_page_query_count_is_the_same_for_few_and_many_articles(client, default_cta, url):
    categories = [CategoryFactory(slug="ai"), CategoryFactory(slug="web3")]
    tags = [TagFactory()]
    _populate(2, categories=categories, tags=tags)
    few = _queries(client, url, shows=ARTICLE_TITLE)
    _populate(40, categories=[*categories, CategoryFactory(), CategoryFactory()], tags=tags)
    many = _queries(client, url, shows=ARTICLE_TITLE)
    assert few == many


def test_tag_page_query_count_is_small(client, django_assert_max_num_queries, large_site):
    tag = large_site[0].tags.first()
    with django_assert_max_num_queries(LIST_PAGE_MAX):
        _page(client, tag.get_absolute_url(), shows=ARTICLE_TITLE)


def test_author_page_query_count_is_small(client, django_assert_max_num_queries, large_site):
    author = AuthorFactory()
    for article in large_site:
        article.authors.add(author)
    with django_assert_max_num_queries(LIST_PAGE_MAX):
        client.get(author.get_absolute_url())


@pytest.mark.parametrize("url", ["article", "/", "/categories/ai/", "/tags/"])
def test_a_page_with_every_cache_cold_stays_within_the_budget(
    client, django_assert_max_num_queries, large_site, url
):
    """Right after a cache flush: no page cache, no fragments, no remembered publication time."""
    tag = large_site[0].tags.first()
    url = {"article": large_site[0].get_absolute_url(), "/tags/": tag.get_absolute_url()}.get(
        url, url
    )
    cache_clear()
    with django_assert_max_num_queries(
        ARTICLE_PAGE_MAX if url.startswith("/articles/") else LIST_PAGE_MAX
    ):
        page = _page(client, url, shows=ARTICLE_TITLE)
    assert page["X-Page-Cache"] == "miss"


def test_cached_page_runs_no_query(client, django_assert_num_queries, small_site):
    article = small_site[0]
    client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        page = _page(client, article.get_absolute_url(), shows=article.title)
    assert page["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("model", ["article", "calltoaction", "category", "tag", "ctaclick"])
def test_admin_list_query_count_is_constant(admin_client, model, large_site):
    url = f"/admin/news/{model}/"
    first = _queries(admin_client, url, shows='id="changelist"')
    _populate(10, categories=[CategoryFactory()], tags=[TagFactory()])
    assert _queries(admin_client, url, shows='id="changelist"') == first
    # Session, user, counts, the page, one prefetch, filter choices.
    assert first <= 12
