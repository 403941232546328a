"""A save renders again only the article and list pages that show what it changed
(news.versions).

Readers here carry a cookie, so the page cache stays out of the way and each page is read
through its stored parts alone.
"""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.test import Client
from django.utils import timezone

from news.cache import cache_clear
from news.models import Article, EmbeddedPost
from tests.factories import ArticleFactory, AuthorFactory, TagFactory

pytestmark = pytest.mark.django_db

POST_URL = "https://x.com/sama/status/1890000000000000001"


@pytest.fixture
def reader():
    client = Client()
    client.cookies["seen-banner"] = "1"
    return client


def _days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def _surrounded_article(**fields) -> Article:
    """An article with four related articles by tag, and an older neighbour that is not one."""
    tag = TagFactory(name="ステーブルコイン")
    for days in (5, 4, 3, 2):
        ArticleFactory(title=f"関連記事{days}", tags=[tag], published_at=_days_ago(days))
    ArticleFactory(title="ひとつ前に公開した記事", published_at=_days_ago(1.7))
    return ArticleFactory(tags=[tag], published_at=_days_ago(1.5), **fields)


@pytest.fixture
def article(default_cta, ai_category):
    return _surrounded_article(
        slug="versioned", title="版で保存される記事", categories=[ai_category]
    )


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def test_a_save_of_an_article_it_does_not_show_leaves_the_page_stored(
    reader, article, django_assert_num_queries
):
    """Right after an editor saves an unrelated article, this one is served without a query."""
    unrelated = ArticleFactory(title="無関係な記事", published_at=_days_ago(30))
    first = _page(reader, article.get_absolute_url())
    assert "無関係な記事" not in first

    unrelated.body = "## 直しました\n\n本文を直しました。\n"
    unrelated.save()

    with django_assert_num_queries(0):
        assert _page(reader, article.get_absolute_url()) == first


def test_a_renamed_neighbour_shows_in_the_pager(reader, article):
    previous = Article.objects.get(title="ひとつ前に公開した記事")
    assert "ひとつ前に公開した記事" in _page(reader, article.get_absolute_url())

    previous.title = "改題した記事"
    previous.save()

    page = _page(reader, article.get_absolute_url())
    assert "改題した記事" in page
    assert "ひとつ前に公開した記事" not in page


def test_a_newly_published_article_shows_in_the_pager(reader, article):
    assert 'rel="next"' not in _page(reader, article.get_absolute_url())

    ArticleFactory(title="新しく公開した記事", published_at=_days_ago(1))

    assert 'rel="next"' in _page(reader, article.get_absolute_url())


def test_a_category_given_to_another_article_brings_it_into_the_related_cards(
    reader, article, ai_category
):
    older = ArticleFactory(title="あとから関連する記事", published_at=_days_ago(40))
    assert "あとから関連する記事" not in _page(reader, article.get_absolute_url())

    older.tags.add(*article.tags.all())
    older.categories.add(ai_category)

    assert "あとから関連する記事" in _page(reader, article.get_absolute_url())


def test_an_author_rename_shows_in_the_author_box(reader, default_cta):
    author = AuthorFactory(name="山田太郎")
    article = ArticleFactory(authors=[author])
    assert "山田太郎" in _page(reader, article.get_absolute_url())

    author.name = "山田花子"
    author.save()

    page = _page(reader, article.get_absolute_url())
    assert "山田花子" in page
    assert "山田太郎" not in page


def test_a_renamed_article_of_a_body_card_shows_in_the_card(reader, default_cta, settings):
    target = ArticleFactory(slug="card-target", title="カードの記事", published_at=_days_ago(40))
    article = _surrounded_article(body=f"参考\n\n{settings.SITE_URL}/articles/card-target/\n")
    assert "カードの記事" in _page(reader, article.get_absolute_url())

    target.title = "改題したカードの記事"
    target.save()

    assert "改題したカードの記事" in _page(reader, article.get_absolute_url())


def test_an_edited_x_post_shows_its_new_words(reader, default_cta):
    post = EmbeddedPost.objects.create(
        url=POST_URL,
        author_name="Sam Altman",
        text="最初の言葉。",
        posted_at=_days_ago(100),
    )
    article = ArticleFactory(body=f"引用\n\n{POST_URL}\n")
    assert "最初の言葉。" in _page(reader, article.get_absolute_url())

    post.text = "直した言葉。"
    post.save()

    assert "直した言葉。" in _page(reader, article.get_absolute_url())


def test_the_old_slug_of_a_renamed_article_redirects_at_once(reader, article):
    _page(reader, "/articles/versioned/")

    article.slug = "versioned-renamed"
    article.save()

    response = reader.get("/articles/versioned/")
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == "/articles/versioned-renamed/"


def test_an_unpublished_article_is_gone_for_every_reader(reader, article):
    _page(reader, article.get_absolute_url())

    article.status = Article.Status.DRAFT
    article.save()

    assert reader.get(article.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_a_list_page_stays_stored_after_a_save_of_an_article_it_does_not_list(
    reader, article, web3_category, django_assert_num_queries
):
    """Right after an editor saves an article of another category, the category page is
    served without a query."""
    elsewhere = ArticleFactory(title="Web3の記事", categories=[web3_category])
    first = _page(reader, "/categories/ai/")

    elsewhere.body = "## 直しました\n\n本文を直しました。\n"
    elsewhere.save()

    with django_assert_num_queries(0):
        assert _page(reader, "/categories/ai/") == first


def test_an_article_given_a_category_appears_on_its_page(reader, article, web3_category):
    older = ArticleFactory(title="あとからWeb3に入る記事", published_at=_days_ago(40))
    assert "あとからWeb3に入る記事" not in _page(reader, "/categories/web3/")

    older.categories.add(web3_category)

    assert "あとからWeb3に入る記事" in _page(reader, "/categories/web3/")


def test_an_article_given_an_author_appears_on_the_authors_page(reader, article):
    author = AuthorFactory(slug="writer")
    ArticleFactory(title="著者の最初の記事", authors=[author])
    older = ArticleFactory(title="あとから著者がつく記事", published_at=_days_ago(40))
    assert "あとから著者がつく記事" not in _page(reader, "/authors/writer/")

    older.authors.add(author)

    assert "あとから著者がつく記事" in _page(reader, "/authors/writer/")


def test_an_old_article_marked_featured_leads_the_home_page(reader, article):
    older = ArticleFactory(title="古い注目記事", published_at=_days_ago(400))
    for days in range(12):
        ArticleFactory(title=f"新着{days}", published_at=_days_ago(days / 10))
    assert "古い注目記事" not in _page(reader, "/")

    older.is_featured = True
    older.save()

    assert "古い注目記事" in _page(reader, "/")


def test_home_right_after_a_save_of_a_listed_article_renders_only_its_card(
    reader, article, web3_category, django_assert_num_queries
):
    """One query for the saved article's card; the page is what a full render gives."""
    listed = ArticleFactory(
        title="注目される記事",
        is_featured=True,
        categories=[web3_category],
        published_at=_days_ago(1),
    )
    assert "注目される記事" in _page(reader, "/")

    listed.title = "直した注目記事"
    listed.save()

    with django_assert_num_queries(1):
        refreshed = _page(reader, "/")
    assert "直した注目記事" in refreshed
    assert "注目される記事" not in refreshed
    cache_clear()
    assert _page(reader, "/") == refreshed


def test_a_listed_article_given_a_new_slug_is_linked_by_it(reader, article):
    assert 'href="/articles/versioned/"' in _page(reader, "/categories/ai/")

    article.slug = "versioned-renamed"
    article.save()

    page = _page(reader, "/categories/ai/")
    assert 'href="/articles/versioned-renamed/"' in page
    assert 'href="/articles/versioned/"' not in page


def test_a_renamed_category_shows_on_the_home_cards(reader, article, ai_category):
    badge = '<span class="news-card__category">{}</span>'
    assert badge.format("AI") in _page(reader, "/")

    ai_category.name = "人工知能"
    ai_category.save()

    page = _page(reader, "/")
    assert badge.format("人工知能") in page
    assert badge.format("AI") not in page
