"""A lead as its person reads it in a disclosure: the form's own labels, words for every
code, staff by name and every moment in Japan time, in one format (core.dates.jst)."""

from datetime import date, datetime

from django.conf import settings
from django.db.models import Model

from careers.admin.timeline import describe
from careers.models import Lead
from careers.people import staff_name
from core.dates import jst
from outbox.kinds import kind_label
from outbox.rendering import email_words

# Keys and plumbing, not what the person told us or what we did with it.
_LEAD_HIDDEN = {"id", "submission_key"}
_BOOKING_HIDDEN = {"id", "lead", "uid", "sequence", "day_before_reminder_at"}
_BOOKING_HIDDEN |= {"hour_before_reminder_at"}


def _value(obj: Model, field):
    value = getattr(obj, field.name)
    if value is None or value == "":
        return None
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    if field.is_relation:
        if field.related_model is not None and field.related_model._meta.label == (
            settings.AUTH_USER_MODEL
        ):
            return staff_name(value)
        return str(value)
    if isinstance(value, datetime):
        return jst(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def in_words(obj: Model, *, hidden=frozenset()) -> dict:
    """Each stored field under its label, with its value in words."""
    return {
        str(field.verbose_name): _value(obj, field)
        for field in obj._meta.concrete_fields
        if field.name not in hidden
    }


def _event(event) -> dict:
    entry = describe(event)
    return {
        "日時": jst(event.created_at),
        "出来事": str(event.get_kind_display()),
        "内容": "\n".join([entry.summary, *(f"{label}: {text}" for label, text in entry.lines)]),
        "対応者": staff_name(event.actor),
    }


def _email(email) -> dict:
    subject, body_text = email_words(email)
    return {
        "種類": str(kind_label(email.kind)),
        "宛先": "、".join(email.to),
        "件名": subject,
        "本文": body_text,
        "状態": str(email.get_status_display()),
        "作成日時": jst(email.created_at),
        "送信日時": jst(email.sent_at) or None,
    }


def lead_in_words(lead: Lead) -> dict:
    """Everything stored about one lead: its fields, history, notes, emails and bookings."""
    return {
        **in_words(lead, hidden=_LEAD_HIDDEN),
        "対応の履歴": [_event(event) for event in lead.events.all()],
        "メモ": [
            {"日時": jst(note.created_at), "書いた人": staff_name(note.author), "内容": note.body}
            for note in lead.notes.all()
        ],
        "お送りしたメール": [_email(email) for email in lead.outbox_emails.all()],
        "面談予約": [in_words(booking, hidden=_BOOKING_HIDDEN) for booking in lead.bookings.all()],
    }
