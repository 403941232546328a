"""A line holding only a URL: an X post becomes a static card, our own article a ブログカード."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from careers.roles import EDITOR_GROUP
from news.embeds import with_cards
from news.models import Article, EmbeddedPost
from tests.factories import ArticleFactory, StaffFactory

pytestmark = pytest.mark.django_db

POST_URL = "https://x.com/sama/status/1890000000000000001"


def _page(client, article) -> str:
    return client.get(article.get_absolute_url()).content.decode()


def test_a_post_url_with_stored_words_becomes_a_static_card(client, default_cta):
    EmbeddedPost.objects.create(
        url=POST_URL.replace("x.com", "twitter.com"),
        author_name="Sam Altman",
        text="OpenAIは売り物ではない。",
        posted_at=timezone.make_aware(timezone.datetime(2025, 2, 11, 9, 30)),
    )
    article = ArticleFactory(
        body=f"マスク氏の提案に、アルトマン氏はこう返した。\n\n{POST_URL}\n\n続き。"
    )

    html = _page(client, article)

    assert 'data-testid="x-post-card"' in html
    assert "OpenAIは売り物ではない。" in html
    assert "Sam Altman" in html
    assert "@sama" in html
    assert "2025年2月11日" in html
    assert 'href="https://x.com/sama/status/1890000000000000001"' in html
    # Nothing from X runs on the reader's page.
    assert "platform.twitter.com" not in html
    assert "<iframe" not in html
    assert "widgets.js" not in html


def test_a_post_without_stored_words_is_a_plain_link(client, default_cta):
    article = ArticleFactory(body=f"参考:\n\n{POST_URL}\n")

    html = _page(client, article)

    assert 'data-testid="x-post-card"' not in html
    assert f'<a href="{POST_URL}"' in html


def test_an_own_article_url_becomes_a_blog_card(client, default_cta, settings):
    target = ArticleFactory(
        slug="stablecoin-law",
        title="ステーブルコイン法の読み方",
        published_at=timezone.now() - timedelta(days=3),
    )
    article = ArticleFactory(
        body=f"参考\n\n{settings.SITE_URL}/articles/stablecoin-law/\n\n[ステーブルコイン法]({target.get_absolute_url()})\n"
    )

    html = _page(client, article)

    assert html.count('data-testid="blog-card"') == 2
    assert "ステーブルコイン法の読み方" in html
    assert timezone.localtime(target.published_at).strftime("%Y年%-m月%-d日") in html


def test_a_draft_or_unknown_target_stays_a_plain_link(client, default_cta, settings):
    ArticleFactory(slug="draft-piece", status=Article.Status.DRAFT, published_at=None)
    article = ArticleFactory(
        body=f"{settings.SITE_URL}/articles/draft-piece/\n\n{settings.SITE_URL}/articles/nowhere/\n"
    )

    html = _page(client, article)

    assert 'data-testid="blog-card"' not in html
    assert f"{settings.SITE_URL}/articles/draft-piece/" in html


def test_blog_cards_cost_no_query_on_a_cache_hit(default_cta, settings, django_assert_num_queries):
    for index in range(3):
        ArticleFactory(slug=f"target-{index}")
    body = "".join(f"<p>{settings.SITE_URL}/articles/target-{index}/</p>" for index in range(3))

    with django_assert_num_queries(1):
        first = with_cards(body)
    with django_assert_num_queries(0):
        second = with_cards(body)

    assert first == second
    assert first.count('data-testid="blog-card"') == 3


def test_editors_may_enter_posts_and_cta_buttons(staff_roles):
    editor = StaffFactory()
    editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
    codenames = set(
        Permission.objects.filter(group__user=editor).values_list("codename", flat=True)
    )
    assert {
        "add_embeddedpost",
        "change_embeddedpost",
        "add_ctabutton",
        "change_ctabutton",
    } <= codenames
