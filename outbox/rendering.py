"""An email's words from its templates, and the plain values an unrendered row keeps.

`email_render` turns <template>_subject.txt, <template>.txt and <template>.html into the
three parts; a row queued by `email_queue_unrendered` keeps only the templates' name and
`storable` values until its sender renders it (`email_render_stored`), and `email_words`
shows what such a row will say before it is sent.
"""

from datetime import datetime

from django.conf import settings
from django.template import Context
from django.template.loader import get_template
from django.utils import translation

from outbox.models import Email

SUBJECT_MAX_LENGTH = Email._meta.get_field("subject").max_length
# JSON has no datetime: one is stored as {DATETIME_TAG: ISO text} and rendered as a datetime
# again, so the templates' |date filters work as they do on a model's field.
DATETIME_TAG = "__datetime__"


def _render_text(template_name: str, context: dict) -> str:
    # Text parts and subjects are not HTML: autoescaping would put &amp; in the email.
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def email_render(*, template: str, context: dict) -> tuple[str, str, str]:
    """(subject, text body, HTML body) from <template>_subject.txt, <template>.txt and .html."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(_render_text(f"{template}_subject.txt", context).split())
        body_text = _render_text(f"{template}.txt", context)
        body_html = get_template(f"{template}.html").render(context)
    return subject, body_text, body_html


def storable(value):
    """`value` as JSON can keep it: aware datetimes tagged, tuples as lists."""
    if isinstance(value, datetime):
        return {DATETIME_TAG: value.isoformat()}
    if isinstance(value, dict):
        return {key: storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [storable(item) for item in value]
    return value


def _revived(value):
    if isinstance(value, dict):
        if value.keys() == {DATETIME_TAG}:
            return datetime.fromisoformat(value[DATETIME_TAG])
        return {key: _revived(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_revived(item) for item in value]
    return value


def email_words(email: Email) -> tuple[str, str]:
    """(subject, text body) of an email as its recipient reads it: what was sent, or for a row
    still waiting to be rendered by its sender, what will be sent (a disclosure shows both)."""
    if not email.template:
        return email.subject, email.body_text
    subject, body_text, _ = email_render(template=email.template, context=_revived(email.context))
    return subject[:SUBJECT_MAX_LENGTH], body_text


def email_render_stored(email: Email) -> dict:
    """Render a row queued by email_queue_unrendered into `email`; the fields to store with
    the sent mark (none for a row queued rendered), so the row keeps what was sent."""
    if not email.template:
        return {}
    subject, body_text, body_html = email_render(
        template=email.template, context=_revived(email.context)
    )
    email.subject, email.body_text, email.body_html = (
        subject[:SUBJECT_MAX_LENGTH],
        body_text,
        body_html,
    )
    return {
        "subject": email.subject,
        "body_text": body_text,
        "body_html": body_html,
        "template": "",
        "context": {},
    }
