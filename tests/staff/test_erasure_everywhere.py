"""After an erasure, no table of the database holds the person's address, name or phone.

The test walks the schema itself, so a table or column added later is covered without
anyone remembering to list it here.
"""

import io
import json
from urllib.parse import quote, quote_plus

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from careers.models import Lead
from careers.services.pipeline import lead_transition
from careers.services.routing_emails import advisor_digest_queue, advisor_leads_released_queue
from outbox.models import Email
from outbox.services import email_send
from tests.factories import AdvisorFactory, consultation_form_data
from tests.support.services import require_postgresql

pytestmark = pytest.mark.django_db

# "refused": tests.newsletter.backends.RefusingEmailBackend refuses it, as a real SMTP server
# would, so the outbox keeps an SMTP error that quotes the address.
EMAIL = "Hanako.refused@Example.com"
NAME = "佐々木 花子"
NAME_KANA = "ササキ ハナコ"
PHONE = "090-9999-0000"
TEXT_TYPES = {"CharField", "TextField", "JSONField", "EmailField", "SlugField", "URLField"}


def _needles() -> list[str]:
    """Every way the person's identifiers are written: typed, spaced, URL-encoded."""
    values = [EMAIL, PHONE, PHONE.replace("-", ""), NAME, NAME_KANA]
    for name in (NAME, NAME_KANA):
        values += [name.replace(" ", ""), name.replace(" ", "\u3000")]
    values += [quote(value, safe="") for value in list(values)]
    values += [quote_plus(value) for value in (EMAIL, NAME, NAME_KANA)]
    return sorted({value.lower() for value in values})


def _text_columns():
    with connection.cursor() as cursor:
        introspection = connection.introspection
        for table in introspection.table_names(cursor):
            for column in introspection.get_table_description(cursor, table):
                if introspection.get_field_type(column.type_code, column) in TEXT_TYPES:
                    yield table, column.name


def _traces() -> list[tuple[str, str, str]]:
    found = []
    needles = _needles()
    with connection.cursor() as cursor:
        for table, column in _text_columns():
            quoted_table, quoted_column = (connection.ops.quote_name(n) for n in (table, column))
            for needle in needles:
                cursor.execute(
                    f"SELECT 1 FROM {quoted_table} "  # noqa: S608 - names from the schema itself
                    f"WHERE POSITION(%s IN LOWER({quoted_column}::text)) > 0 LIMIT 1",
                    [needle],
                )
                if cursor.fetchone():
                    found.append((table, column, needle))
    for session in Session.objects.all():
        decoded = json.dumps(session.get_decoded(), ensure_ascii=False).lower()
        found += [("django_session", "session_data", n) for n in needles if n in decoded]
    return found


def _send_everything():
    for email_id in Email.objects.filter(status=Email.Status.PENDING).values_list("id", flat=True):
        email_send(email_id=email_id)


def test_an_erasure_leaves_no_trace_in_any_text_column_of_any_table(
    client, manager, settings, django_capture_on_commit_callbacks, doorbell_rings
):
    require_postgresql()
    settings.MAILERS = {"default": {"BACKEND": "tests.newsletter.backends.RefusingEmailBackend"}}
    settings.RATELIMIT_ENABLE = False
    advisor = AdvisorFactory(name="小林 アドバイザー")

    # The candidate sends the form; routing, confirmation and assignment emails follow.
    form = consultation_form_data(name=NAME, name_kana=NAME_KANA, email=EMAIL, phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/consultation/?utm_source=newsletter", form)
    doorbell_rings.run()
    lead = Lead.objects.get()
    assert lead.advisor == advisor
    # The same person subscribes to the newsletter.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/newsletter/", {"email": EMAIL.upper(), "topics": "ai", "consent": "on", "website": ""}
        )
    doorbell_rings.run()

    # Staff work the lead: a note in the admin, a status change with a reason, an export
    # filtered by the address, the morning digest and a "leads released" email.
    client.force_login(manager)
    client.post(
        f"/admin/careers/lead/{lead.pk}/change/",
        {
            "notes-TOTAL_FORMS": "1",
            "notes-INITIAL_FORMS": "0",
            "notes-MIN_NUM_FORMS": "0",
            "notes-MAX_NUM_FORMS": "1000",
            "notes-0-lead": str(lead.pk),
            "notes-0-body": f"{EMAIL.upper()} {NAME.replace(' ', '')}さん 09099990000",
            "_continue": "1",
        },
    )
    lead_transition(
        lead=lead,
        to=Lead.Status.CONTACTED,
        actor=manager,
        reason=f"{NAME.replace(' ', '　')}さんに電話({PHONE})、{EMAIL.lower()}にも送付",
    )
    response = client.post(f"/admin/careers/lead/export/?q={quote(EMAIL)}")
    assert lead.reference in b"".join(response.streaming_content).decode("utf-8-sig")
    advisor_digest_queue(
        advisor=advisor,
        day=timezone.localdate(),
        digest={"new": [lead], "overdue": [], "waiting": []},
    )
    advisor_leads_released_queue(
        advisor=advisor, occasion="test", reason="不在", moved=[(lead, None)], kept=[]
    )
    _send_everything()
    assert Email.objects.filter(status=Email.Status.FAILED).exclude(last_error="").exists()
    assert _traces(), "the scenario must have stored the person somewhere"

    call_command(
        "personal_data",
        "erase",
        EMAIL.upper(),
        "--reason",
        f"{NAME}様({PHONE})ご本人からの削除依頼",
        stdout=io.StringIO(),
    )

    assert _traces() == []
