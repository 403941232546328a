"""The newsletter's public pages: few queries, no session, never cached, Japanese throughout."""

from http import HTTPStatus

import pytest

from tests.factories import ArticleFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscriber():
    return SubscriberFactory()


@pytest.mark.parametrize(
    ("url", "max_queries"),
    [
        ("/newsletter/", 0),
        ("/newsletter/?source=weekly", 1),
        ("/newsletter/thanks/", 0),
        ("/newsletter/unsubscribe/{token}/", 1),
        ("/newsletter/preferences/{token}/", 1),
    ],
)
def test_public_pages_run_few_queries_and_open_no_session(
    client, subscriber, django_assert_max_num_queries, url, max_queries
):
    ArticleFactory(slug="weekly")

    with django_assert_max_num_queries(max_queries):
        response = client.get(url.format(token=subscriber.token))

    assert response.status_code == HTTPStatus.OK
    assert "sessionid" not in response.cookies
    assert "__Host-sessionid" not in response.cookies
    assert 'lang="ja"' in response.text


@pytest.mark.parametrize(
    "url", ["/newsletter/", "/newsletter/unsubscribe/{token}/", "/newsletter/preferences/{token}/"]
)
def test_pages_with_forms_or_personal_links_are_never_cached(client, subscriber, url):
    response = client.get(url.format(token=subscriber.token))

    assert "no-store" in response["Cache-Control"]


def test_the_personal_pages_are_not_indexed(client, subscriber):
    response = client.get(f"/newsletter/preferences/{subscriber.token}/")

    assert '<meta name="robots" content="noindex">' in response.text


def test_the_follow_box_and_footer_link_to_the_signup_with_the_article(client):
    ArticleFactory(slug="genai-hiring")

    response = client.get("/articles/genai-hiring/")

    assert response.status_code == HTTPStatus.OK
    assert 'href="/newsletter/?source=genai-hiring"' in response.text
    # The follow box counts its click first, then lands on the same signup.
    follow = client.get("/articles/genai-hiring/go/follow/")
    assert follow["Location"].startswith("/newsletter/?source=genai-hiring&")
    # The article page is cached for everyone: it must carry no form token.
    assert "csrfmiddlewaretoken" not in response.text
