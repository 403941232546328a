"""Subscriptions: double opt-in, unsubscribe, preferences, and personal-data requests."""

import hmac
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from core.dates import jst
from core.normalization import email_comparison_key
from core.personal_data import (
    ANONYMIZED_EMAIL_DOMAIN,
    email_digest,
    email_purpose_digest,
    personal_data_traces_scrub,
)
from core.privacy_policy import policy_current
from core.scrub import Scrubber
from news.models import Article
from newsletter.models import Delivery, Subscriber, new_token
from outbox.erasure import emails_anonymize
from outbox.services import email_queue

CONFIRMATION_KIND = "newsletter_confirm"
CONFIRM_SALT = "newsletter.confirm"


class ConfirmationLinkInvalid(Exception):
    """The link was altered, belongs to an erased address, or predates an unsubscribe."""


class ConfirmationLinkExpired(ConfirmationLinkInvalid):
    """The link is genuine but older than NEWSLETTER_CONFIRM_MAX_AGE."""


def _subscriber_with_email(email: str):
    return Subscriber.objects.annotate(email_lower=Lower("email")).filter(
        email_lower=email_comparison_key(email)
    )


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=CONFIRM_SALT)


def _fingerprint(email: str) -> str:
    # Binds the link to the address without putting the address in the URL; a key of its
    # own, so the value in the link says nothing about the erased placeholder.
    return email_purpose_digest(email, purpose=CONFIRM_SALT)[:16]


def confirmation_key_prefix(subscriber: Subscriber) -> str:
    return f"newsletter:confirm:{subscriber.pk}:"


def confirmation_url(*, subscriber: Subscriber) -> str:
    """The signed link of the latest confirmation request; it expires by itself."""
    value = [
        subscriber.pk,
        _fingerprint(subscriber.email),
        subscriber.confirmation_sent_at.timestamp(),
    ]
    signed = _signer().sign_object(value)
    return settings.SITE_URL + reverse("newsletter:confirm", args=[signed])


def subscriber_from_confirmation(*, signed: str) -> Subscriber:
    """The subscriber a confirmation link names, or ConfirmationLinkInvalid/Expired."""
    try:
        value = _signer().unsign_object(signed, max_age=settings.NEWSLETTER_CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise ConfirmationLinkExpired from None
    except (signing.BadSignature, ValueError):
        raise ConfirmationLinkInvalid from None
    try:
        pk, fingerprint, requested_at = value
        pk, requested_at = int(pk), float(requested_at)
    except (TypeError, ValueError):
        raise ConfirmationLinkInvalid from None
    subscriber = Subscriber.objects.select_related("source_article").filter(pk=pk).first()
    if subscriber is None or not hmac.compare_digest(
        str(fingerprint), _fingerprint(subscriber.email)
    ):
        raise ConfirmationLinkInvalid
    # An old link must not undo a later unsubscribe.
    if subscriber.unsubscribed_at and requested_at <= subscriber.unsubscribed_at.timestamp():
        raise ConfirmationLinkInvalid
    return subscriber


def _confirmation_send_if_due(*, subscriber: Subscriber) -> bool:
    """Queue a confirmation email unless one went out in the last few minutes.

    The conditional UPDATE is the throttle: of two signups racing for the same
    address, only one changes the row, so only one email is queued.
    """
    now = timezone.now()
    window_start = now - timedelta(minutes=settings.NEWSLETTER_CONFIRM_RESEND_MINUTES)
    claimed = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .filter(Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lte=window_start))
        .update(confirmation_sent_at=now, confirmations_sent=F("confirmations_sent") + 1)
    )
    if not claimed:
        return False
    subscriber.refresh_from_db(fields=["confirmation_sent_at", "confirmations_sent"])
    context = {
        "confirm_url": confirmation_url(subscriber=subscriber),
        "topics_display": subscriber.get_topics_display(),
        "max_age_days": settings.NEWSLETTER_CONFIRM_MAX_AGE // 86400,
        "signup_url": settings.SITE_URL + reverse("newsletter:signup"),
        "site_url": settings.SITE_URL,
    }
    email_queue(
        key=f"{confirmation_key_prefix(subscriber)}{subscriber.confirmations_sent}",
        kind=CONFIRMATION_KIND,
        to=[subscriber.email],
        template="newsletter/email/confirm",
        context=context,
        about=subscriber,
    )
    return True


@transaction.atomic
def subscriber_subscribe(
    *,
    email: str,
    topics: str,
    project_alerts: bool = False,
    source_article: Article | None = None,
) -> Subscriber:
    """Record a signup and send a confirmation email when one is due.

    The caller answers the same whatever happens here: a confirmed address gets no
    email and no change, so the form never tells a stranger who subscribes.
    """
    email = email.strip()
    subscriber = _subscriber_with_email(email).select_for_update().first()
    created = subscriber is None
    if created:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(
                    email=email,
                    topics=topics,
                    project_alerts=project_alerts,
                    source_article=source_article,
                    consent_version=policy_current().version,
                    consented_at=timezone.now(),
                )
        except IntegrityError:
            # A simultaneous signup of the same address won the unique index.
            subscriber = _subscriber_with_email(email).select_for_update().get()
            created = False
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return subscriber
    if not created:
        # Signing up again is agreeing again, to the policy in effect now.
        subscriber.topics = topics
        subscriber.project_alerts = project_alerts
        subscriber.source_article = subscriber.source_article or source_article
        subscriber.consent_version = policy_current().version
        subscriber.consented_at = timezone.now()
        subscriber.save(
            update_fields=[
                *("topics", "project_alerts", "source_article"),
                *("consent_version", "consented_at", "updated_at"),
            ]
        )
    _confirmation_send_if_due(subscriber=subscriber)
    return subscriber


def subscriber_confirm(*, signed: str) -> Subscriber:
    """Complete a double opt-in; clicking the link again changes nothing."""
    subscriber = subscriber_from_confirmation(signed=signed)
    Subscriber.objects.filter(
        pk=subscriber.pk,
        status__in=[Subscriber.Status.PENDING, Subscriber.Status.UNSUBSCRIBED],
    ).update(
        status=Subscriber.Status.CONFIRMED,
        confirmed_at=timezone.now(),
        unsubscribed_at=None,
        updated_at=timezone.now(),
    )
    subscriber.refresh_from_db()
    return subscriber


def subscriber_unsubscribe(*, token: str) -> Subscriber | None:
    """Stop every email to the token's subscriber; idempotent, so a repeated POST is harmless."""
    now = timezone.now()
    Subscriber.objects.filter(token=token).exclude(status=Subscriber.Status.UNSUBSCRIBED).update(
        status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=now, updated_at=now
    )
    return Subscriber.objects.filter(token=token).first()


def subscriber_preferences_update(
    *, subscriber: Subscriber, topics: str, project_alerts: bool, resume: bool = False
) -> Subscriber:
    """Change topics and 新着案件; `resume` re-subscribes an address that had confirmed before.

    The token came in a newsletter email, which only confirmed addresses receive, so
    it proves the mailbox as well as a new confirmation link would.
    """
    subscriber.topics = topics
    subscriber.project_alerts = project_alerts
    fields = ["topics", "project_alerts", "updated_at"]
    if (
        resume
        and subscriber.status == Subscriber.Status.UNSUBSCRIBED
        and subscriber.confirmed_at is not None
    ):
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.unsubscribed_at = None
        fields += ["status", "unsubscribed_at"]
    subscriber.save(update_fields=fields)
    return subscriber


# ------------------------------------------------------------------------------
# Personal data (joins core.personal_data's disclosure and erasure)
# ------------------------------------------------------------------------------


def _confirmation_emails(subscriber: Subscriber):
    return subscriber.outbox_emails.filter(kind=CONFIRMATION_KIND).order_by("created_at", "id")


def subscriber_disclosure(*, email: str) -> dict:
    """Everything the newsletter stores about one address ({} when it never subscribed)."""
    subscriber = _subscriber_with_email(email).select_related("source_article").first()
    if subscriber is None:
        return {}
    deliveries = subscriber.deliveries.select_related("issue").order_by("created_at", "id")
    return {
        "メールアドレス": subscriber.email,
        "受け取るテーマ": str(subscriber.get_topics_display()),
        "新着案件のお知らせ": "受け取る" if subscriber.project_alerts else "受け取らない",
        "状態": str(subscriber.get_status_display()),
        "登録元の記事": subscriber.source_article.title if subscriber.source_article else None,
        "同意したプライバシーポリシーの版": subscriber.consent_version,
        "同意日時": jst(subscriber.consented_at),
        "登録日時": jst(subscriber.created_at),
        "確認メールの送信回数": subscriber.confirmations_sent,
        "登録完了日時": jst(subscriber.confirmed_at) or None,
        "配信停止日時": jst(subscriber.unsubscribed_at) or None,
        "お届けしたメルマガ": [
            {
                "号": delivery.issue.subject,
                "状態": str(delivery.get_status_display()),
                "送信日時": jst(delivery.sent_at) or None,
            }
            for delivery in deliveries
        ],
        "登録確認のメール": [
            {
                "宛先": "、".join(email.to),
                "件名": email.subject,
                "状態": str(email.get_status_display()),
                "作成日時": jst(email.created_at),
                "送信日時": jst(email.sent_at) or None,
            }
            for email in _confirmation_emails(subscriber)
        ],
    }


@transaction.atomic
def subscriber_erase(*, email: str) -> int:
    """Anonymise the subscriber of this address; returns how many were anonymised (0 or 1).

    The row stays, with its address replaced by a keyed hash, so every issue's sent and
    unsubscribed counts remain true. It receives nothing more, and its old links stop working.
    """
    subscriber = _subscriber_with_email(email).select_for_update().first()
    if subscriber is None:
        return 0
    now = timezone.now()
    original = email_comparison_key(subscriber.email)
    # The pk keeps the hash unique if the same person subscribes and is erased again.
    subscriber.email = f"{email_digest(original)[:24]}-{subscriber.pk}@{ANONYMIZED_EMAIL_DOMAIN}"
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = now
    subscriber.token = new_token()
    subscriber.erased_at = now
    subscriber.save()
    subscriber.deliveries.filter(status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SKIPPED
    )
    # SMTP errors quote the address they refused.
    subscriber.deliveries.exclude(last_error="").update(last_error="")

    emails_anonymize(
        emails=subscriber.outbox_emails.all(), address=original, replacement=subscriber.email
    )
    # Each issue's email to this address, and any other record that quotes it.
    personal_data_traces_scrub(Scrubber(emails=[original]))
    return 1


def deliveries_traces_scrub(scrubber: Scrubber) -> int:
    """SMTP errors of other deliveries that quote the person's address."""
    return scrubber.scrub_rows(Delivery.objects.exclude(last_error=""), ["last_error"])


def personal_data_disclose(*, email: str, actor) -> list[dict]:
    """The newsletter's answer to a disclosure request (core.personal_data calls this)."""
    record = subscriber_disclosure(email=email)
    return [record] if record else []


def personal_data_erase(*, email: str, actor, reason: str = "") -> int:
    """The newsletter's part of an erasure request (core.personal_data calls this)."""
    return subscriber_erase(email=email)
