"""The sitemap lists the project list and open projects with lastmod, never closed ones."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, ProjectFactory
from tests.support.sitemaps import sitemap_entries

pytestmark = pytest.mark.django_db


def test_open_projects_are_in_the_sitemap_with_lastmod_and_closed_ones_are_not(client, settings):
    open_project = ProjectFactory(slug="open-one")
    ProjectFactory(slug="past-deadline", closes_at=timezone.now() - timedelta(hours=1))
    ProjectFactory(slug="filled-one", status="filled")
    ProjectFactory(slug="draft-one", status="draft", opened_at=None)
    ArticleFactory(slug="an-article")

    entries = sitemap_entries(client)

    base = settings.SITE_URL
    assert (
        entries[f"{base}/projects/open-one/"]
        == timezone.localdate(open_project.updated_at).isoformat()
    )
    assert f"{base}/projects/" in entries
    assert f"{base}/articles/an-article/" in entries
    for slug in ("past-deadline", "filled-one", "draft-one"):
        assert f"{base}/projects/{slug}/" not in entries


def test_the_sitemap_follows_edits_to_projects_and_articles_despite_its_cache(client, settings):
    project = ProjectFactory(slug="soon-filled")
    assert f"{settings.SITE_URL}/projects/soon-filled/" in sitemap_entries(client)

    project.status = "filled"
    project.save()
    ArticleFactory(slug="fresh-article")

    entries = sitemap_entries(client)
    assert f"{settings.SITE_URL}/projects/soon-filled/" not in entries
    assert f"{settings.SITE_URL}/articles/fresh-article/" in entries
