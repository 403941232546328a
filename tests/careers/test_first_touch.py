"""First-touch attribution lives in a signed cookie: reading the form writes nothing."""

from http import HTTPStatus

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client

from careers.attribution import first_touch_cookie_name
from careers.models import Lead
from tests.factories import ArticleFactory, consultation_form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/consultation/?source=ai-jobs&utm_source=x", "/recruiters/"])
def test_a_cookieless_visit_to_a_form_writes_no_session_row(url):
    """A crawler or a reader who never sends the form leaves nothing in the database."""
    for _ in range(3):
        response = Client().get(url)
        assert response.status_code == HTTPStatus.OK
    assert Session.objects.count() == 0


def test_a_forged_first_touch_cookie_is_ignored(client, django_capture_on_commit_callbacks):
    """The cookie is signed: a hand-written one cannot credit another article."""
    ArticleFactory(slug="ai-jobs")
    ArticleFactory(slug="forged")
    client.get("/consultation/?source=ai-jobs&utm_campaign=spring")
    name = first_touch_cookie_name("consultation")
    assert signing.loads(client.cookies[name].value, salt="careers.first_touch")["source"] == (
        "ai-jobs"
    )
    client.cookies[name] = signing.dumps({"source": "forged"}, salt="another.salt")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/consultation/", consultation_form_data())
    lead = Lead.objects.get()
    assert lead.source_article is None
    assert lead.utm_campaign == ""
