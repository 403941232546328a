"""The news pages in /sitemap.xml: home, categories, articles and authors, with lastmod.

config/urls.py serves them together with the project pages.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef

from news.models import Article, Author, Category


class CanonicalSitemap(Sitemap):
    """URLs on SITE_URL's host, the same as the pages' canonical links."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class HomeSitemap(CanonicalSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["news:home"]

    def location(self, item):
        return "/"

    def lastmod(self, item):
        return Article.objects.public().aggregate(latest=Max("updated_at"))["latest"]


class ArticleSitemap(CanonicalSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.public().only("slug", "published_at", "updated_at")

    def lastmod(self, item):
        return max(item.updated_at, item.published_at)


class CategorySitemap(CanonicalSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Category.objects.only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class AuthorSitemap(CanonicalSitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        public = Article.objects.public().filter(authors=OuterRef("pk"))
        return Author.objects.filter(Exists(public)).only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "authors": AuthorSitemap,
}
