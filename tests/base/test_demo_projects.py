"""The demo: a dozen open projects and two closed ones, loaded idempotently."""

import pytest

from base.demo import news as news_demo
from base.demo import projects as demo
from projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_demo_has_a_dozen_open_projects_and_two_closed_ones_and_loads_once():
    summary = demo.load()
    first = list(Project.objects.order_by("pk").values())

    assert "14 projects created" in summary
    assert Project.objects.accepting().count() == 12
    assert Project.objects.public().exclude(pk__in=Project.objects.accepting()).count() == 2
    assert {project.field for project in Project.objects.accepting()} == {"ai", "web3", "both"}

    assert "0 projects created" in demo.load()
    assert list(Project.objects.order_by("pk").values()) == first


def test_demo_projects_share_tags_with_demo_articles(client):
    news_demo.load()
    demo.load()
    page = client.get("/projects/llm-support-assistant-rag/").content.decode()
    assert 'data-testid="related-articles"' in page
