"""Demo content: a few subscribers and a draft issue, loaded idempotently."""

import pytest

from base.demo import newsletter as demo
from newsletter.models import NewsletterIssue, Subscriber
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_demo_content_loads_twice_without_changes():
    ArticleFactory.create_batch(5)

    first = demo.load()
    second = demo.load()

    assert first.startswith("4 new of 4 demo subscribers")
    assert second.startswith("0 new of 4 demo subscribers")
    assert Subscriber.objects.count() == 4
    issue = NewsletterIssue.objects.get()
    assert issue.articles.count() == 4
