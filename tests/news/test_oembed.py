"""An X post's words fetched once, server-side, after the article is saved: a static card
with no X script; anything going wrong leaves a plain link and bothers no editor.

X is unreachable from here: a real HTTP server in a thread plays its oEmbed endpoint.
"""

import json
import logging
import socket
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from django.utils import timezone

from news.models import Article, EmbeddedPost
from tests.factories import ArticleFactory, UserFactory
from tests.news.forms import article_form_data

pytestmark = pytest.mark.django_db

POST_URL = "https://x.com/sama/status/1890000000000000001"
FETCH_TASK = "news.tasks.embedded_posts_fetch_task"
# X's answer for a post, as publish.twitter.com gives it (script included, omit_script or not).
X_HTML = (
    '<blockquote class="twitter-tweet"><p lang="ja" dir="ltr">OpenAIは売り物ではない。<br>'
    'ありがとう <a href="https://twitter.com/elonmusk?ref_src=twsrc">@elonmusk</a></p>'
    "&mdash; Sam Altman (@sama) "
    '<a href="https://twitter.com/sama/status/1890000000000000001?ref_src=twsrc">'
    "February 11, 2025</a></blockquote>\n"
    '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n'
)


def oembed_answer(html=X_HTML, url="https://twitter.com/sama/status/1890000000000000001"):
    return json.dumps(
        {"url": url, "author_name": "Sam Altman", "html": html, "type": "rich", "version": "1.0"}
    ).encode()


class OEmbedServer:
    """What the endpoint answers next (status, body, delay), and the requests it got."""

    def __init__(self):
        self.status = HTTPStatus.OK
        self.body = oembed_answer()
        self.delay = 0.0
        self.requests: list[str] = []


@pytest.fixture
def oembed_server(settings):
    """A real HTTP server on a free local port, set as NEWS_OEMBED_ENDPOINT."""
    state = OEmbedServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            state.requests.append(self.path)
            time.sleep(state.delay)
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.NEWS_OEMBED_ENDPOINT = f"http://127.0.0.1:{server.server_port}/oembed"
    settings.NEWS_OEMBED_TIMEOUT_SECONDS = 1
    yield state
    server.shutdown()
    server.server_close()


class Editor:
    """An editor in the admin; each request's after-commit work runs, as on a real commit."""

    def __init__(self, client, capture_on_commit):
        self.client = client
        self.capture_on_commit = capture_on_commit

    def post(self, path, data):
        with self.capture_on_commit(execute=True):
            return self.client.post(path, data)


@pytest.fixture
def editor(client, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(username="hanako", is_staff=True, is_superuser=True))
    return Editor(client, django_capture_on_commit_callbacks)


@pytest.fixture
def article(default_cta):
    return ArticleFactory(body="まだ本文だけ。\n")


def _save(editor, article, body=f"アルトマン氏はこう返した。\n\n{POST_URL}\n\n続き。\n"):
    """The editor saves the article in the admin, as a published article."""
    response = editor.post(
        f"/admin/news/article/{article.pk}/change/",
        article_form_data(article, body=body, status=Article.Status.PUBLISHED),
    )
    assert response.status_code == HTTPStatus.FOUND


def _reader_page(article) -> str:
    # A client of its own: no session cookie, so the page cache serves and stores the page.
    return Client().get(article.get_absolute_url()).content.decode()


def test_a_post_fetched_after_the_save_becomes_a_static_card(
    editor, article, oembed_server, doorbell_rings
):
    """Name, handle, text and date from X's answer; the page cached before the fetch goes."""
    _save(editor, article)
    assert [name for name, _args in doorbell_rings.pending] == [FETCH_TASK]
    assert 'data-testid="x-post-card"' not in _reader_page(article)

    doorbell_rings.run()
    html = _reader_page(article)

    assert 'data-testid="x-post-card"' in html
    assert "OpenAIは売り物ではない。<br>ありがとう @elonmusk" in html
    assert "Sam Altman" in html
    assert "@sama" in html
    # The id's own time, 2025-02-12 06:08 JST, on the day the blockquote names (in UTC).
    post = EmbeddedPost.objects.get()
    assert timezone.localtime(post.posted_at).date().isoformat() in ("2025-02-11", "2025-02-12")
    assert timezone.localtime(post.posted_at).strftime("%Y年%-m月%-d日 %H:%M") in html
    assert "platform.twitter.com" not in html
    assert "<iframe" not in html
    assert "<script" not in html.split('data-testid="x-post-card"')[1].split("</figure>")[0]
    assert len(oembed_server.requests) == 1
    asked = oembed_server.requests[0]
    assert "url=https%3A%2F%2Fx.com%2Fsama%2Fstatus%2F1890000000000000001" in asked


def test_a_script_in_xs_answer_is_never_stored_nor_rendered(
    editor, article, oembed_server, doorbell_rings
):
    oembed_server.body = oembed_answer(
        html=X_HTML.replace(
            "OpenAIは売り物ではない。",
            "OpenAIは<script>alert('x')</script>売り物ではない。&lt;script&gt;"
            '<img src=x onerror="alert(1)"><iframe src="https://evil.example/"></iframe>',
        )
    )
    _save(editor, article)
    doorbell_rings.run()

    post = EmbeddedPost.objects.get()
    assert post.text.startswith("OpenAIは売り物ではない。<script>")
    assert "alert" not in post.text
    html = _reader_page(article)
    card = html.split('data-testid="x-post-card"')[1].split("</figure>")[0]
    assert "OpenAIは売り物ではない。&lt;script&gt;" in card
    assert "<script" not in card
    assert "<img" not in card
    assert "<iframe" not in card
    assert "evil.example" not in html


def _closed_port_endpoint() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/oembed"


@pytest.mark.parametrize(
    "failure",
    ["down", "timeout", "server error", "not found", "not json", "not a post", "another post"],
)
def test_a_failed_fetch_leaves_a_plain_link_and_no_error(
    failure, editor, article, oembed_server, doorbell_rings, settings, caplog
):
    if failure == "down":
        settings.NEWS_OEMBED_ENDPOINT = _closed_port_endpoint()
    elif failure == "timeout":
        oembed_server.delay = 1.5
    elif failure in ("server error", "not found"):
        oembed_server.status = (
            HTTPStatus.INTERNAL_SERVER_ERROR if failure == "server error" else HTTPStatus.NOT_FOUND
        )
    elif failure == "not json":
        oembed_server.body = b"<html>Rate limit exceeded</html>"
    elif failure == "not a post":
        oembed_server.body = oembed_answer(html="<p>nothing to see</p>")
    else:
        oembed_server.body = oembed_answer(url="https://twitter.com/jack/status/20")

    _save(editor, article)
    with caplog.at_level(logging.WARNING, logger="news.oembed"):
        doorbell_rings.run()

    assert not EmbeddedPost.objects.exists()
    assert "oEmbed" in caplog.text
    html = _reader_page(article)
    assert 'data-testid="x-post-card"' not in html
    assert f'<a href="{POST_URL}"' in html


def test_the_editors_own_words_win_over_xs(editor, article, oembed_server, doorbell_rings):
    """Words entered before the save are never fetched; words entered while the fetch waited
    in the queue are kept too."""
    _save(editor, article)
    assert [name for name, _args in doorbell_rings.pending] == [FETCH_TASK]
    EmbeddedPost.objects.create(
        url=POST_URL,
        author_name="サム・アルトマン",
        text="編集部の訳:OpenAIは売り物ではない。",
        posted_at=timezone.now(),
    )
    doorbell_rings.run()
    _save(editor, article, body=f"{POST_URL}\n\n追記。\n")

    assert doorbell_rings.pending == []
    assert oembed_server.requests == []
    html = _reader_page(article)
    assert "編集部の訳:OpenAIは売り物ではない。" in html
    assert "Sam Altman" not in html


def test_a_post_is_fetched_once_however_often_the_article_is_saved(
    editor, article, oembed_server, doorbell_rings
):
    """Once stored, a save asks for nothing; a failure is not asked again at every save."""
    _save(editor, article)
    doorbell_rings.run()
    _save(editor, article, body=f"{POST_URL}\n\n追記。\n")
    assert doorbell_rings.pending == []

    failing = ArticleFactory(body="")
    oembed_server.status = HTTPStatus.SERVICE_UNAVAILABLE
    other_post = "https://x.com/vitalikbuterin/status/1890000000000000002"
    for _ in range(3):
        _save(editor, failing, body=f"{other_post}\n")
        doorbell_rings.run()

    assert len(oembed_server.requests) == 2
    assert EmbeddedPost.objects.count() == 1


def test_a_fetched_post_is_corrected_in_its_row_not_entered_twice(
    editor, article, oembed_server, doorbell_rings
):
    _save(editor, article)
    doorbell_rings.run()

    response = editor.post(
        "/admin/news/embeddedpost/add/",
        {
            "url": POST_URL.replace("x.com", "twitter.com"),
            "author_name": "サム・アルトマン",
            "text": "編集部の訳",
            "posted_at_0": "2025-02-12",
            "posted_at_1": "06:08",
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert "このポストは登録済みです" in response.content.decode()
    assert EmbeddedPost.objects.count() == 1
