"""The outbox's move out of careers keeps every email, linked to what it is about."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from careers.models import Lead
from careers.roles import MANAGER_GROUP
from core.personal_data import personal_data_erase
from newsletter.models import Subscriber
from outbox.models import Email

# The last migrations before the move (later ones of these apps depend on it).
LAST_BEFORE_THE_MOVE = [
    ("careers", "0009_routing_rules_initial"),
    ("newsletter", "0003_timestamps_from_core"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


@pytest.fixture
def before_the_move(transactional_db):
    """The database as it was, with careers.Notification; migrated to the latest after the test."""
    executor = _migrate([*LAST_BEFORE_THE_MOVE, ("outbox", None)])
    yield executor.loader.project_state(LAST_BEFORE_THE_MOVE).apps
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_every_email_survives_the_move_with_its_id_and_its_link(before_the_move):
    old = before_the_move
    lead = old.get_model("careers", "Lead").objects.create(
        reference="PW-MOVE-0001",
        kind="candidate",
        name="佐々木 花子",
        email="Hanako@Example.com",
        interest="ai",
        consent_version="1",
        consented_at=timezone.now(),
    )
    subscriber = old.get_model("newsletter", "Subscriber").objects.create(
        email="reader@example.com"
    )
    Notification = old.get_model("careers", "Notification")
    confirmation = Notification.objects.create(
        key=f"lead:{lead.pk}:confirmation",
        kind="lead_confirmation",
        lead=lead,
        to=["Hanako@Example.com"],
        subject="佐々木 花子 様 ご相談を受け付けました",
        body_text="佐々木 花子 様",
        status="sent",
        attempts=1,
        sent_at=timezone.now(),
    )
    signup = Notification.objects.create(
        key=f"newsletter:confirm:{subscriber.pk}:1",
        kind="newsletter_confirm",
        to=["reader@example.com"],
        subject="登録を完了してください",
        body_text="リンク",
    )
    # The roles migration granted the managers careers.view_notification.
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    view_notification, _ = Permission.objects.get_or_create(
        codename="view_notification",
        content_type=ContentType.objects.get_or_create(app_label="careers", model="notification")[
            0
        ],
        defaults={"name": "Can view 送信メール"},
    )
    old.get_model("auth", "Group").objects.get_or_create(name=MANAGER_GROUP)[0].permissions.add(
        view_notification
    )
    digest = Notification.objects.create(
        key="advisor:1:digest:2026-12-01",
        kind="advisor_digest",
        to=["advisor@example.com"],
        subject="本日のリード",
        body_text="一覧",
        status="failed",
        last_error="550 mailbox unavailable",
    )

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    moved = Email.objects.get(pk=confirmation.pk)
    assert (moved.key, moved.status, moved.attempts, moved.to) == (
        confirmation.key,
        "sent",
        1,
        ["Hanako@Example.com"],
    )
    assert moved.about == Lead.objects.get(pk=lead.pk)
    assert Email.objects.get(pk=signup.pk).about == Subscriber.objects.get(pk=subscriber.pk)
    unlinked = Email.objects.get(pk=digest.pk)
    assert unlinked.about is None
    assert unlinked.last_error == "550 mailbox unavailable"
    assert Email.objects.count() == 3

    # Erasure finds the moved rows through the link.
    personal_data_erase(email="hanako@example.com", actor=None)
    personal_data_erase(email="reader@example.com", actor=None)
    erased = Email.objects.filter(pk__in=[confirmation.pk, signup.pk])
    assert [(email.subject, email.body_text) for email in erased] == [("", "")] * 2
    assert "hanako" not in str(Email.objects.get(pk=confirmation.pk).to).lower()

    # Managers may still read the outbox: the grant followed the model.
    assert (
        Group.objects.get(name=MANAGER_GROUP)
        .permissions.filter(content_type__app_label="outbox", codename="view_email")
        .exists()
    )
    assert not Permission.objects.filter(codename__endswith="_notification").exists()
