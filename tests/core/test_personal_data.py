"""The personal-data registry: each app joins disclosure and erasure, in installed order."""

import pytest

from core.personal_data import (
    SOURCES,
    PersonalDataSource,
    personal_data_disclose,
    personal_data_erase,
    personal_data_source_register,
)
from tests.factories import LeadFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_every_app_that_stores_personal_data_answers_a_request_leads_first():
    LeadFactory(email="Hanako@Example.com")

    document = personal_data_disclose(email=" HANAKO@example.com", actor=StaffFactory())

    assert document["email"] == "hanako@example.com"
    assert list(document["sources"]) == ["leads", "newsletter"]
    assert len(document["sources"]["leads"]) == 1
    assert personal_data_erase(email="hanako@example.com", actor=None) == {
        "leads": 1,
        "newsletter": 0,
    }


def test_registering_a_source_again_by_name_changes_nothing():
    before = list(SOURCES)
    personal_data_source_register(
        PersonalDataSource(name="leads", disclose=lambda **_: [], erase=lambda **_: 0)
    )
    assert before == SOURCES
