"""A project closes when its closes_at passes, with no cron and no edit; its page stays up."""

import time
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from projects.cache import PROJECT_PAGES
from projects.models import Project
from tests.factories import ProjectFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_a_project_leaves_the_cached_list_when_its_time_passes(client):
    """Nothing runs at the deadline: the cached list simply expires no later than it."""
    project = ProjectFactory(
        title="まもなく締切の案件", closes_at=timezone.now() + timedelta(seconds=3)
    )
    listed = client.get("/projects/")
    assert "まもなく締切の案件" in listed.content.decode()
    # Stored in the page cache ("miss" means rendered and stored), yet not past closes_at.
    assert listed["X-Page-Cache"] == "miss"

    time.sleep((project.closes_at - timezone.now()).total_seconds() + 0.2)

    after = client.get("/projects/")
    assert "まもなく締切の案件" not in after.content.decode()
    assert "0件の案件" in after.content.decode()
    page = client.get(project.get_absolute_url()).content.decode()
    assert "募集は終了しました" in page
    assert Project.objects.get(pk=project.pk).status == Project.Status.OPEN


def test_no_page_is_cached_past_the_next_closing_time():
    ProjectFactory(closes_at=timezone.now() + timedelta(seconds=90))
    ProjectFactory(closes_at=timezone.now() + timedelta(days=3))
    assert 1 <= PROJECT_PAGES.page_timeout() <= 90


def test_a_closed_project_keeps_its_page_marked_closed_noindex_with_similar_open_ones(client):
    solidity = TagFactory(name="Solidity")
    closed = ProjectFactory(
        title="終了した監査案件", skills=[solidity], closes_at=timezone.now() - timedelta(days=1)
    )
    ProjectFactory(title="募集中の監査案件", skills=[solidity])
    filled = ProjectFactory(title="成約した案件", status="filled")

    response = client.get(closed.get_absolute_url())
    page = response.content.decode()

    assert response.status_code == HTTPStatus.OK
    assert "募集は終了しました" in page
    assert '<meta name="robots" content="noindex">' in page
    assert "application/ld+json" not in page
    assert "似ている募集中の案件" in page
    assert "募集中の監査案件" in page
    assert 'data-testid="project-apply"' not in page
    assert "募集は終了しました" in client.get(filled.get_absolute_url()).content.decode()
