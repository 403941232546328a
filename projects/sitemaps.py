"""The project pages in /sitemap.xml: the list and every open project, with lastmod.

A closed project keeps its page for old links, but leaves the sitemap.
"""

from django.db.models import Max

from news.sitemaps import CanonicalSitemap
from projects.models import Project


class ProjectListSitemap(CanonicalSitemap):
    changefreq = "daily"
    priority = 0.7

    def items(self):
        return ["projects:list"]

    def location(self, item):
        return "/projects/"

    def lastmod(self, item):
        return Project.objects.accepting().aggregate(latest=Max("updated_at"))["latest"]


class ProjectSitemap(CanonicalSitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Project.objects.accepting().only("slug", "updated_at").order_by("-opened_at", "-id")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"project-list": ProjectListSitemap, "projects": ProjectSitemap}
