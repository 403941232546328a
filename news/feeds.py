"""The Atom feed of the newest public articles."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from news.models import Article

FEED_SIZE = 20


class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    title = "Plus Web3"
    subtitle = "AI・Web3業界の最新ニュースとキャリア解説"
    author_name = "Plus Web3編集部"

    def link(self):
        # Absolute links from SITE_URL, so every copy of the feed names the canonical host.
        return f"{settings.SITE_URL}/"

    def feed_url(self):
        return f"{settings.SITE_URL}/feed/"

    def items(self):
        return (
            Article.objects.public()
            .select_related("author")
            .prefetch_related("categories", "authors")
            .defer("body", "body_html", "toc", "references")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_link(self, item):
        return f"{settings.SITE_URL}{item.get_absolute_url()}"

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_author_name(self, item):
        return item.display_byline

    def item_categories(self, item):
        return [category.name for category in item.categories.all()]
