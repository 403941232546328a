"""Double opt-in: nobody is subscribed until they open the signed link from their own mailbox."""

import time
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core import mail, signing
from django.utils import timezone

from newsletter.models import Subscriber
from newsletter.services import CONFIRM_SALT
from tests.factories import ArticleFactory, SubscriberFactory
from tests.newsletter.conftest import confirmation_path

pytestmark = pytest.mark.django_db


class SignerFourDaysAgo(signing.TimestampSigner):
    """Signs as if the clock were four days behind: a genuinely old link, past the 3-day limit."""

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - 4 * 24 * 60 * 60)


def test_signup_sends_one_confirmation_and_subscribes_nobody_yet(signup, confirmation_emails):
    response = signup(email="reader@example.com", topics="ai")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/newsletter/thanks/"
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.topics == "ai"
    assert subscriber.confirmed_at is None
    [message] = confirmation_emails("reader@example.com")
    assert "登録確認" in message.subject
    assert "有効期限は3日間" in message.body
    assert "&amp;" not in message.body


def test_opening_the_link_asks_for_a_click_and_the_click_confirms(
    client, signup, confirmation_emails
):
    """GET only shows a button, so a mail scanner that follows links subscribes no one."""
    signup(email="reader@example.com")
    path = confirmation_path(confirmation_emails("reader@example.com")[0])

    page = client.get(path)
    assert page.status_code == HTTPStatus.OK
    assert "登録を完了する" in page.text
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING

    done = client.post(path)
    assert done.status_code == HTTPStatus.OK
    assert "登録が完了しました" in done.text
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None

    again = client.post(path)
    assert again.status_code == HTTPStatus.OK
    assert Subscriber.objects.get().confirmed_at == subscriber.confirmed_at


def test_an_expired_link_shows_a_clear_page_and_subscribes_nobody(
    client, signup, confirmation_emails
):
    signup(email="reader@example.com")
    signed = confirmation_path(confirmation_emails("reader@example.com")[0]).split("/")[-2]
    value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(signed)
    expired = SignerFourDaysAgo(salt=CONFIRM_SALT).sign_object(value)

    for response in (
        client.get(f"/newsletter/confirm/{expired}/"),
        client.post(f"/newsletter/confirm/{expired}/"),
    ):
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "リンクの有効期限が切れています" in response.text
        assert "もう一度お申し込みください" in response.text
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(
            lambda signed: signed[:-1] + ("A" if signed[-1] != "A" else "B"), id="signature"
        ),
        pytest.param(lambda signed: "x" + signed, id="payload"),
        pytest.param(lambda signed: "not-a-signed-value", id="garbage"),
    ],
)
def test_a_tampered_link_shows_a_clear_page_and_subscribes_nobody(
    client, signup, confirmation_emails, tamper
):
    signup(email="reader@example.com")
    signed = confirmation_path(confirmation_emails("reader@example.com")[0]).split("/")[-2]

    response = client.post(f"/newsletter/confirm/{tamper(signed)}/")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "このリンクは使えません" in response.text
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_a_link_signed_for_another_subscriber_id_is_refused(client, signup, confirmation_emails):
    """Even a validly signed value must name the address the email went to."""
    signup(email="first@example.com")
    signup(email="second@example.com")
    first = confirmation_path(confirmation_emails("first@example.com")[0]).split("/")[-2]
    value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(first)
    second = Subscriber.objects.get(email="second@example.com")
    value[0] = second.pk
    forged = signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(value)

    response = client.post(f"/newsletter/confirm/{forged}/")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).exists()


def test_repeated_signups_send_at_most_one_confirmation_per_window(signup, confirmation_emails):
    for _ in range(5):
        response = signup(email="reader@example.com")
        assert response["Location"] == "/newsletter/thanks/"
    signup(email="READER@Example.com")

    assert len(confirmation_emails("reader@example.com")) == 1
    assert Subscriber.objects.count() == 1

    # Past the window, asking again is legitimate (the first email got lost, say).
    Subscriber.objects.update(confirmation_sent_at=timezone.now() - timedelta(minutes=11))
    signup(email="reader@example.com")
    assert len(confirmation_emails("reader@example.com")) == 2


def test_a_confirmed_address_gets_no_email_and_the_same_answer(client, signup):
    """The form must not reveal who subscribes: same redirect, same page, no email."""
    SubscriberFactory(email="member@example.com", topics="web3")
    fresh = signup(email="stranger@example.com")
    mail.outbox.clear()

    existing = signup(email="Member@example.com", topics="ai")

    assert existing.status_code == fresh.status_code == HTTPStatus.FOUND
    assert existing["Location"] == fresh["Location"]
    assert mail.outbox == []
    # Nor can a stranger change a subscriber's topics through the public form.
    assert Subscriber.objects.get(email="member@example.com").topics == "web3"


def test_an_old_link_does_not_undo_a_later_unsubscribe(client, signup, confirmation_emails):
    signup(email="reader@example.com")
    path = confirmation_path(confirmation_emails("reader@example.com")[0])
    client.post(path)
    token = Subscriber.objects.get().token
    client.post(f"/newsletter/unsubscribe/{token}/")

    response = client.post(path)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_an_unsubscribed_reader_can_sign_up_again_through_a_new_link(
    client, signup, confirmation_emails
):
    subscriber = SubscriberFactory(email="back@example.com", status="unsubscribed")
    subscriber.unsubscribed_at = timezone.now() - timedelta(days=30)
    subscriber.save()

    signup(email="back@example.com", topics="web3")
    client.post(confirmation_path(confirmation_emails("back@example.com")[0]))

    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.topics == "web3"


def test_signup_records_the_article_the_reader_came_from(client, signup):
    article = ArticleFactory(title="生成AIの採用市場", slug="genai-hiring")

    page = client.get("/newsletter/?source=genai-hiring")
    assert "記事「生成AIの採用市場」からのご登録" in page.text
    assert 'name="source" value="genai-hiring"' in page.text

    signup(email="reader@example.com", source="genai-hiring")
    assert Subscriber.objects.get().source_article == article


def test_an_unknown_source_is_ignored(signup):
    signup(email="reader@example.com", source="no-such-article")
    assert Subscriber.objects.get().source_article is None


def test_invalid_input_shows_japanese_errors_and_sends_nothing(signup):
    response = signup(email="not-an-email", consent="")

    assert response.status_code == HTTPStatus.OK
    assert "有効なメールアドレスを入力してください" in response.text
    assert "同意が必要です" in response.text
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


def test_a_filled_honeypot_gets_the_same_answer_and_nothing_else(signup):
    response = signup(email="bot@example.com", website="https://spam.example")

    assert response["Location"] == "/newsletter/thanks/"
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


def test_the_signup_page_is_never_cached(client):
    response = client.get("/newsletter/")
    assert response.status_code == HTTPStatus.OK
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]
    assert "csrfmiddlewaretoken" in response.text


def test_one_client_cannot_use_the_form_to_mail_many_addresses(settings, signup):
    settings.RATELIMIT_ENABLE = True
    settings.RATELIMIT_IP_LIMIT = 3

    answers = [signup(email=f"victim{n}@example.com").status_code for n in range(5)]

    assert answers == [HTTPStatus.FOUND] * 3 + [HTTPStatus.TOO_MANY_REQUESTS] * 2
    assert len(mail.outbox) == 3
