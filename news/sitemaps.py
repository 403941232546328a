"""The news pages in the sitemap: home, categories, articles and authors, with lastmod.

config/urls.py serves /sitemap.xml as a sitemap index of these sections and the project
pages; each section is its own sitemap, in pages of SITEMAP_PAGE_SIZE URLs, so a page-cache
miss renders a bounded page whatever the number of articles.
"""

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Exists, Max, OuterRef
from django.db.models.functions import Greatest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape

from news.models import Article, Author, Category

# URLs per sitemap page: far under the protocol's 50,000, so a page-cache miss renders one
# page in tens of milliseconds whatever the number of articles.
SITEMAP_PAGE_SIZE = 1_000
# A section page: the <url> entries written by url_entry, not by Django's sitemap.xml.
SECTION_TEMPLATE = "sitemaps/section.xml"


def sitemap_page_parameter(query: QueryDict) -> str | None:
    """The page-cache key part of a section's `?p=N` (None for junk, which is a 404 anyway)."""
    page = query.get("p") or "1"
    if not (page.isascii() and page.isdigit() and len(page) <= 4):
        return None
    return f"p={page}"


def url_entry(url: dict) -> str:
    """One <url> as Django's sitemap.xml template writes it (lastmod as the day in Japan), in
    Python: the template language spent ~100 µs of CPU a URL, most of a page's time."""
    entry = f"<url><loc>{escape(url['location'])}</loc>"
    if lastmod := url["lastmod"]:
        day = timezone.localdate(lastmod) if isinstance(lastmod, datetime) else lastmod
        entry += f"<lastmod>{day.isoformat()}</lastmod>"
    if url["changefreq"]:
        entry += f"<changefreq>{escape(url['changefreq'])}</changefreq>"
    if url["priority"]:
        entry += f"<priority>{escape(url['priority'])}</priority>"
    return f"{entry}</url>"


class CanonicalSitemap(Sitemap):
    """URLs on SITE_URL's host, the same as the pages' canonical links.

    A queryset section that names its `lastmod_expression` is summed up for the index in one
    aggregate (its size and latest lastmod) instead of Django's COUNT and every row.
    """

    limit = SITEMAP_PAGE_SIZE
    lastmod_expression = None

    @cached_property
    def summary(self) -> dict:
        return self.items().aggregate(count=Count("pk"), latest=Max(self.lastmod_expression))

    def get_latest_lastmod(self):
        if self.lastmod_expression is None:
            return super().get_latest_lastmod()
        return self.summary["latest"]

    @property
    def paginator(self):
        paginator = super().paginator
        if "summary" in self.__dict__:
            # The index counted the section with its latest lastmod just before.
            paginator.count = self.summary["count"]
        return paginator

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["entry"] = url_entry(url)
        return urls

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ListPageSitemap(CanonicalSitemap):
    """One list page, dated by the latest change of the section it lists: that section's
    summary, so the index asks the database once for both."""

    changefreq = "daily"

    def __init__(self, url_name: str, listed: CanonicalSitemap, *, priority: float):
        self.url_name = url_name
        self.listed = listed
        self.priority = priority

    def items(self):
        return [self.url_name]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return self.listed.summary["latest"]


class ArticleSitemap(CanonicalSitemap):
    """Oldest first: a new article lands on the last page, so the earlier pages stay as
    crawlers last read them. Plain rows from news_article_public_idx, no model instances."""

    changefreq = "weekly"
    priority = 0.8
    lastmod_expression = Greatest("updated_at", "published_at")

    def items(self):
        return (
            Article.objects.public()
            .order_by("published_at", "id")
            .values("slug", "published_at", "updated_at")
        )

    def location(self, item):
        return reverse("news:article", kwargs={"slug": item["slug"]})

    def lastmod(self, item):
        return max(item["updated_at"], item["published_at"])


class CategorySitemap(CanonicalSitemap):
    changefreq = "daily"
    priority = 0.6
    lastmod_expression = "updated_at"

    def items(self):
        return Category.objects.only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class AuthorSitemap(CanonicalSitemap):
    changefreq = "weekly"
    priority = 0.4
    lastmod_expression = "updated_at"

    def items(self):
        public = Article.objects.public().filter(authors=OuterRef("pk"))
        return Author.objects.filter(Exists(public)).only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


def news_sections() -> dict[str, CanonicalSitemap]:
    """The news sections of one request (the home page shares the articles' summary)."""
    articles = ArticleSitemap()
    return {
        "home": ListPageSitemap("news:home", articles, priority=1.0),
        "articles": articles,
        "categories": CategorySitemap(),
        "authors": AuthorSitemap(),
    }
