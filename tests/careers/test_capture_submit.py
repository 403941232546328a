"""Submitting the form: POST/redirect/GET, the thank-you page, attribution, traps and limits."""

import base64
import itertools
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.utils import timezone

from careers.models import Lead, LeadEvent
from core.privacy_policy import policy_current
from outbox.models import Email
from tests.factories import ArticleFactory, consultation_form_data
from tests.support.processes import wait_for
from tests.support.services import require_postgresql

pytestmark = pytest.mark.django_db


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks, doorbell_rings):
    """POST the form as a browser would, then let a worker do the work it queued."""

    def _submit(url="/consultation/", *, browser=None, **overrides):
        browser = browser or client
        with django_capture_on_commit_callbacks(execute=True):
            response = browser.post(url, consultation_form_data(**overrides))
        doorbell_rings.run()
        return response

    return _submit


def _confirmations(mailoutbox, to="taro@example.com"):
    return [message for message in mailoutbox if message.to == [to]]


def test_a_submission_saves_the_lead_and_redirects_to_the_thank_you_page(
    client, submit, mailoutbox
):
    response = submit()
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"].startswith("/consultation/thanks/")
    lead = Lead.objects.get()
    assert lead.email == "taro@example.com"
    assert lead.phone == "09012345678"
    assert lead.name_kana == "ヤマダ\u3000タロウ"
    assert lead.consent_version == policy_current().version
    assert lead.consented_at is not None
    assert list(lead.events.filter(kind=LeadEvent.Kind.SUBMITTED)) != []
    page = client.get(response["Location"])
    assert page.status_code == HTTPStatus.OK
    html = page.content.decode()
    assert lead.reference in html
    assert "1営業日以内に、担当のキャリアアドバイザーからご連絡します。" in html
    assert "no-store" in page["Cache-Control"]
    assert len(_confirmations(mailoutbox)) == 1


def test_the_thank_you_url_carries_no_personal_data(submit):
    location = submit(email="hanako.sato@example.com", name="佐藤 花子")["Location"]
    token = location.removeprefix("/consultation/thanks/").split(":")[0]
    decoded = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    lead = Lead.objects.get()
    # The signed payload is the public reference alone: no name, email or primary key.
    assert decoded == f'"{lead.reference}"'
    for personal in ("hanako", "sato", "佐藤", "example.com"):
        assert personal not in location


def test_reloading_the_thank_you_page_never_submits_again(client, submit, mailoutbox):
    location = submit()["Location"]
    for _ in range(3):
        assert client.get(location).status_code == HTTPStatus.OK
    assert Lead.objects.count() == 1
    assert len(_confirmations(mailoutbox)) == 1


def test_only_the_submitting_browser_sees_the_name_and_email(submit):
    location = submit(name="佐藤 花子", email="hanako@example.com")["Location"]
    stranger = Client().get(location)
    assert stranger.status_code == HTTPStatus.OK
    html = stranger.content.decode()
    assert Lead.objects.get().reference in html
    assert "佐藤" not in html
    assert "hanako@example.com" not in html


def test_sending_the_form_writes_no_session(client, submit, settings):
    """The thank-you page knows its browser by a signed cookie sent to that page alone, so a
    submission writes the lead's transaction and nothing else: no session row, no session
    cookie that would keep the rest of the site from its page cache."""
    location = submit(name="佐藤 花子", email="hanako@example.com")["Location"]
    page = client.get(location)
    assert "佐藤 花子" in page.content.decode()
    assert Session.objects.count() == 0
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    cookie = client.cookies["submitted_consultation"]
    assert cookie["path"] == location
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_a_submitted_cookie_opens_its_own_thank_you_page_only(submit):
    """A cookie another lead's browser received, or one written by hand, shows no details."""
    first = Client()
    submit(browser=first, name="佐藤 花子", email="hanako@example.com")
    their_cookie = first.cookies["submitted_consultation"].value
    location = submit(browser=Client(), name="鈴木 一郎", email="ichiro@example.com")["Location"]
    reference = Lead.objects.get(email="ichiro@example.com").reference
    for forged in (their_cookie, reference, f"{reference}:1xYsC2:forged"):
        intruder = Client()
        intruder.cookies["submitted_consultation"] = forged
        html = intruder.get(location).content.decode()
        assert reference in html
        assert "鈴木" not in html
        assert "ichiro@example.com" not in html


def test_a_forged_thank_you_token_is_not_found(client, submit):
    location = submit()["Location"]
    assert client.get(location[:-5] + "AAAA/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/consultation/thanks/PW-AAAA-BBBB/").status_code == HTTPStatus.NOT_FOUND


def test_markup_in_any_field_is_escaped_on_the_thank_you_page(client, submit):
    attack = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
    location = submit(name=attack, current_job=attack, message=attack)["Location"]
    assert Lead.objects.get().name == attack  # stored as the text it is
    html = client.get(location).content.decode()
    assert "<script>alert(" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in html


def test_a_double_click_makes_one_lead_and_one_email(client, submit, mailoutbox):
    data = consultation_form_data()
    first = submit(form_token=data["form_token"])
    second = submit(form_token=data["form_token"])
    assert Lead.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert len(_confirmations(mailoutbox)) == 1


def test_two_separate_forms_from_one_person_make_two_linked_leads(submit, mailoutbox):
    submit()
    submit(email="TARO@EXAMPLE.COM")
    first, second = Lead.objects.order_by("created_at", "id")
    assert second.duplicate_of == first
    assert first.duplicate_of is None


def test_source_and_utm_of_the_first_landing_are_kept(client, submit):
    article = ArticleFactory(slug="ai-jobs-2026")
    ArticleFactory(slug="web3-news")
    client.get(
        "/consultation/?source=ai-jobs-2026&utm_source=plusweb3&utm_medium=article"
        "&utm_campaign=cta-default&utm_term=ai&utm_content=footer",
        HTTP_REFERER="https://plusweb3.example/articles/ai-jobs-2026/",
    )
    # The reader browses on and comes back from another article before sending.
    client.get("/consultation/?source=web3-news&utm_source=newsletter")
    submit("/consultation/?source=web3-news&utm_source=newsletter")
    lead = Lead.objects.get()
    assert lead.source_article == article
    assert (lead.utm_source, lead.utm_medium, lead.utm_campaign) == (
        "plusweb3",
        "article",
        "cta-default",
    )
    assert (lead.utm_term, lead.utm_content) == ("ai", "footer")
    assert lead.referrer == "https://plusweb3.example/articles/ai-jobs-2026/"
    assert lead.landing_path.startswith("/consultation/?source=ai-jobs-2026&utm_source=plusweb3")


def test_attribution_falls_back_to_the_posted_url_without_a_first_touch_cookie(submit):
    article = ArticleFactory(slug="ai-jobs-2026")
    submit("/consultation/?source=ai-jobs-2026&utm_campaign=spring", browser=Client())
    lead = Lead.objects.get()
    assert lead.source_article == article
    assert lead.utm_campaign == "spring"


@pytest.mark.parametrize("slug", ["no-such-article", "draft", "scheduled", "<script>", ""])
def test_an_unknown_or_unpublished_source_is_ignored(client, submit, slug):
    ArticleFactory(slug="draft", status="draft", published_at=None)
    ArticleFactory(slug="scheduled", published_at=timezone.now() + timedelta(days=1))
    client.get(f"/consultation/?source={slug}")
    response = submit()
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert Lead.objects.get().source_article is None


def test_an_old_slug_still_credits_its_article(client, submit):
    article = ArticleFactory(slug="new-slug")
    article.slug_redirects.create(old_slug="old-slug")
    client.get("/consultation/?source=old-slug")
    submit()
    assert Lead.objects.get().source_article == article


def test_hostile_attribution_values_are_stored_clean_and_bounded(client, submit):
    client.get(
        "/consultation/?utm_source=%00evil%0A&utm_campaign=" + "x" * 500,
        HTTP_REFERER="https://example.com/\x00" + "y" * 1000,
    )
    assert submit().status_code == HTTPStatus.SEE_OTHER
    lead = Lead.objects.get()
    assert lead.utm_source == "evil"
    assert len(lead.utm_campaign) == 100
    assert len(lead.referrer) == 500
    assert "\x00" not in lead.referrer


def test_the_ip_is_stored_only_as_a_keyed_hash_and_the_user_agent_truncated(client, submit):
    client.defaults["HTTP_USER_AGENT"] = "Mozilla/5.0 " + "z" * 1000
    client.defaults["REMOTE_ADDR"] = "203.0.113.45"
    submit()
    lead = Lead.objects.get()
    assert len(lead.ip_hash) == 64
    assert "203.0.113" not in lead.ip_hash
    assert len(lead.user_agent) == 300


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"website": "https://cheap-pills.example"}, "honeypot"),
        ({"filled_seconds_ago": 0.5}, "too_fast"),
        ({"form_token": "tampered"}, "form_token_invalid"),
    ],
)
def test_a_trapped_bot_sees_the_thank_you_page_but_is_stored_as_spam(
    client, submit, mailoutbox, overrides, reason
):
    response = submit(**overrides)
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"].startswith("/consultation/thanks/")
    lead = Lead.objects.get()
    assert client.get(response["Location"]).status_code == HTTPStatus.OK
    assert lead.status == Lead.Status.SPAM
    submitted = lead.events.get(kind=LeadEvent.Kind.SUBMITTED)
    assert submitted.details["spam_reasons"] == [reason]
    # Never routed, never emailed.
    assert list(lead.events.values_list("kind", flat=True)) == [LeadEvent.Kind.SUBMITTED]
    assert lead.advisor is None
    assert not Email.objects.exists()
    assert mailoutbox == []


def test_a_burst_from_one_address_gets_the_friendly_429_page(submit, settings):
    settings.RATELIMIT_IP_LIMIT = 2
    for n in range(2):
        assert submit(email=f"person{n}@example.com").status_code == HTTPStatus.SEE_OTHER
    response = submit(email="person9@example.com")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    html = response.content.decode()
    assert "お使いの接続から短時間に多くの送信がありました。" in html
    assert "分ほど待ってから、もう一度お試しください。" in html
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= settings.RATELIMIT_IP_WINDOW_SECONDS
    assert f"{-(-retry_after // 60)}分ほど" in html
    assert "no-store" in response["Cache-Control"]
    assert Lead.objects.count() == 2


def test_one_email_from_many_addresses_is_limited_too(submit, settings):
    settings.RATELIMIT_EMAIL_LIMIT = 2
    statuses = [submit(browser=Client(REMOTE_ADDR=f"198.51.100.{n}")).status_code for n in range(3)]
    assert statuses == [HTTPStatus.SEE_OTHER, HTTPStatus.SEE_OTHER, HTTPStatus.TOO_MANY_REQUESTS]
    assert Lead.objects.count() == 2


def test_a_blocked_address_is_let_through_again_once_its_window_is_over(submit, settings):
    """Limits count per window: with a one-second window, a blocked client may submit
    again a moment later, never blocked for good."""
    settings.RATELIMIT_IP_LIMIT = 1
    settings.RATELIMIT_IP_WINDOW_SECONDS = 1
    emails = (f"again{n}@example.com" for n in itertools.count())

    def answer(status):
        response = submit(email=next(emails))
        return response if response.status_code == status else None

    # A window may end between two submissions, so submit until one is refused.
    refused = wait_for(
        lambda: answer(HTTPStatus.TOO_MANY_REQUESTS), timeout=5, message="never limited"
    )
    assert refused["Retry-After"] == "1"
    wait_for(
        lambda: answer(HTTPStatus.SEE_OTHER),
        timeout=5,
        message="still refused long after the one-second window ended",
    )


def test_rate_limits_can_be_turned_off(submit, settings):
    settings.RATELIMIT_ENABLE = False
    settings.RATELIMIT_IP_LIMIT = 1
    assert [submit(email=f"p{n}@example.com").status_code for n in range(3)] == [
        HTTPStatus.SEE_OTHER
    ] * 3


def test_behind_a_proxy_the_limit_counts_the_forwarded_client(submit, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATELIMIT_IP_LIMIT = 1

    def via_balancer(client_address, email):
        browser = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.4, {client_address}")
        return submit(browser=browser, email=email).status_code

    assert via_balancer("203.0.113.1", "a@example.com") == HTTPStatus.SEE_OTHER
    assert via_balancer("203.0.113.2", "b@example.com") == HTTPStatus.SEE_OTHER
    assert via_balancer("203.0.113.1", "c@example.com") == HTTPStatus.TOO_MANY_REQUESTS


def test_the_header_button_carries_the_article_as_source(client):
    article = ArticleFactory(slug="ai-jobs-2026")
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/articles/ai-jobs-2026/go/header/"' in html
    landing = client.get("/articles/ai-jobs-2026/go/header/")["Location"]
    assert landing.startswith("/consultation/?source=ai-jobs-2026&")


def test_the_pages_and_the_submission_use_a_handful_of_queries(
    client, django_assert_num_queries, django_assert_max_num_queries
):
    # The first touch goes into a signed cookie: reading the form writes nothing.
    with django_assert_num_queries(0):
        first = client.get("/consultation/?source=ai-jobs-2026")
    with django_assert_num_queries(0):
        again = client.get("/consultation/")
    for form_page in (first, again):
        assert form_page.status_code == HTTPStatus.OK
        assert 'name="email"' in form_page.content.decode()
    # The source article the first touch named, then one transaction: the duplicate check,
    # lead, event and outbox row (and the content type's first lookup in this process),
    # BEGIN, COMMIT and the outbox row's savepoint included. No session is written.
    with django_assert_max_num_queries(10):
        response = client.post("/consultation/", consultation_form_data())
    assert response.status_code == HTTPStatus.SEE_OTHER
    with django_assert_num_queries(1):
        thanks = client.get(response["Location"])
    assert thanks.status_code == HTTPStatus.OK
    assert Lead.objects.get().reference in thanks.content.decode()


def test_a_database_failing_after_the_lead_is_saved_still_shows_the_thank_you_page(client, submit):
    """The session is written after the lead commits; if the database fails in between,
    the candidate still gets the thank-you page, never SessionMiddleware's 400."""
    require_postgresql()
    with connection.cursor() as cursor:
        # A real database error on the session table alone, as when PostgreSQL stops just
        # after the lead's commit (seen in the database-down drill).
        cursor.execute(
            "CREATE FUNCTION refuse_session_write() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'the database went away'; END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER refuse_session_write BEFORE INSERT OR UPDATE ON django_session "
            "FOR EACH ROW EXECUTE FUNCTION refuse_session_write()"
        )

    response = submit()

    assert response.status_code == HTTPStatus.SEE_OTHER
    lead = Lead.objects.get()
    page = client.get(response["Location"])
    assert page.status_code == HTTPStatus.OK
    assert lead.reference in page.content.decode()
