"""The project pages in /sitemap.xml: the list and every open project, with lastmod.

A closed project keeps its page for old links, but leaves the sitemap.
"""

from news.sitemaps import CanonicalSitemap, ListPageSitemap
from projects.models import Project


class ProjectSitemap(CanonicalSitemap):
    changefreq = "weekly"
    priority = 0.7
    lastmod_expression = "updated_at"

    def items(self):
        return Project.objects.accepting().only("slug", "updated_at").order_by("-opened_at", "-id")

    def lastmod(self, item):
        return item.updated_at


def project_sections() -> dict[str, CanonicalSitemap]:
    """The project sections of one request (the list page shares the projects' summary)."""
    projects = ProjectSitemap()
    return {
        "project-list": ListPageSitemap("projects:list", projects, priority=0.7),
        "projects": projects,
    }
