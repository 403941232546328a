"""Subscribers from before consent was recorded hold version 1, agreed when they signed up."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from newsletter.models import Subscriber

BEFORE = [("newsletter", "0006_project_alerts")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


@pytest.fixture
def before_consent(transactional_db):
    """The database before 0007; migrated back to the latest after the test."""
    executor = _migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_existing_subscribers_record_version_1_at_their_signup(before_consent):
    old = before_consent.get_model("newsletter", "Subscriber").objects.create(
        email="reader@example.com"
    )

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    subscriber = Subscriber.objects.get(pk=old.pk)
    assert subscriber.consent_version == "1"
    assert subscriber.consented_at == old.created_at
