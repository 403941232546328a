"""Related articles: pinned first, then shared tags, then the same category, then the newest."""

from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import Article
from tests.factories import ArticleFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db


def _related(article):
    article = Article.objects.prefetch_related("tags", "categories").get(pk=article.pk)
    return list(
        Article.objects.related_to(
            article,
            tag_ids=[tag.pk for tag in article.tags.all()],
            category_ids=[category.pk for category in article.categories.all()],
        )
    )


def test_related_articles_are_ordered_pinned_tags_category_recent(client):
    now = timezone.now()
    ai, web3 = CategoryFactory(slug="ai"), CategoryFactory(slug="web3")
    openai, llm, regulation = TagFactory(), TagFactory(), TagFactory()

    article = ArticleFactory(categories=[ai], tags=[openai, llm, regulation])
    newest_unrelated = ArticleFactory(categories=[web3], published_at=now - timedelta(minutes=1))
    same_category = ArticleFactory(categories=[ai], published_at=now - timedelta(days=2))
    one_tag = ArticleFactory(categories=[web3], tags=[openai], published_at=now - timedelta(days=3))
    two_tags = ArticleFactory(
        categories=[web3], tags=[openai, llm], published_at=now - timedelta(days=9)
    )
    pinned_old = ArticleFactory(categories=[web3], published_at=now - timedelta(days=300))
    pinned_draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    article.pinned_related.set([pinned_old, pinned_draft])

    assert _related(article) == [pinned_old, two_tags, one_tag, same_category, newest_unrelated]

    html = client.get(article.get_absolute_url()).content.decode()
    section = html[html.index('data-testid="related-articles"') :]
    positions = [section.index(item.get_absolute_url()) for item in (pinned_old, two_tags, one_tag)]
    assert positions == sorted(positions)
    assert pinned_draft.get_absolute_url() not in html


def test_an_article_is_never_related_to_itself():
    article = ArticleFactory(tags=[TagFactory()])
    ArticleFactory()
    assert article not in _related(article)


def test_article_without_tags_or_categories_gets_the_newest_articles():
    now = timezone.now()
    article = ArticleFactory()
    older = ArticleFactory(published_at=now - timedelta(days=5))
    newer = ArticleFactory(published_at=now - timedelta(hours=1))
    assert _related(article)[:2] == [newer, older]
