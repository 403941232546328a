"""First-touch attribution lives in a signed cookie: reading the form writes nothing."""

from http import HTTPStatus

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client

from careers.attribution import first_touch_cookie_name
from careers.models import Lead
from tests.factories import (
    ArticleFactory,
    ProjectFactory,
    company_inquiry_form_data,
    consultation_form_data,
    freelance_application_form_data,
)

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


def _sent_back_to(cookie_path: str, request_path: str) -> bool:
    """Whether a browser sends a cookie of `cookie_path` with a request for `request_path`
    (RFC 6265 5.1.4; Django's test client sends every cookie everywhere)."""
    return request_path == cookie_path or (
        request_path.startswith(cookie_path) and cookie_path.endswith("/")
    )


@pytest.mark.parametrize(
    ("form", "form_path", "form_data"),
    [
        ("consultation", "/consultation/", consultation_form_data),
        ("recruiters", "/recruiters/", company_inquiry_form_data),
        ("apply", "/projects/llm-rag/apply/", freelance_application_form_data),
    ],
)
def test_the_first_touch_cookie_goes_back_to_its_form_only(
    form, form_path, form_data, django_capture_on_commit_callbacks
):
    """A reader who once opened a form sends no cookie with the articles (so the page cache
    still serves them), and the form's POST still brings the first touch back to its lead."""
    article = ArticleFactory(slug="ai-jobs")
    ProjectFactory(slug="llm-rag")
    landing = Client()
    response = landing.get(f"{form_path}?source=ai-jobs&utm_campaign=spring")
    name = first_touch_cookie_name(form)
    cookie = response.cookies[name]
    assert not _sent_back_to(cookie["path"], article.get_absolute_url())
    assert not _sent_back_to(cookie["path"], "/")
    assert _sent_back_to(cookie["path"], form_path)

    # A later visit to the form from nowhere, by a browser holding only what its path allows.
    later = Client()
    later.cookies[name] = cookie.value
    later.get(form_path)
    with django_capture_on_commit_callbacks(execute=True):
        later.post(form_path, form_data())
    lead = Lead.objects.get()
    assert lead.source_article == article
    assert lead.utm_campaign == "spring"
