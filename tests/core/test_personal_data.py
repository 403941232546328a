"""The personal-data registry: each app joins disclosure and erasure, in installed order."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from careers.models import LeadEvent
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

    assert document["メールアドレス"] == "hanako@example.com"
    sources = document["保有しているデータ"]
    assert list(sources) == [
        "キャリア相談・採用のお問い合わせ・案件への応募",
        "メルマガ「AI・Web3 Insight」",
    ]
    assert len(sources["キャリア相談・採用のお問い合わせ・案件への応募"]) == 1
    assert personal_data_erase(email="hanako@example.com", actor=None) == {
        "leads": 1,
        "newsletter": 0,
    }


def test_registering_a_source_again_by_name_changes_nothing():
    before = list(SOURCES)
    personal_data_source_register(
        PersonalDataSource(
            name="leads", label="リード", disclose=lambda **_: [], erase=lambda **_: 0
        )
    )
    assert before == SOURCES


def test_the_command_discloses_as_json_on_stdout_and_erases_with_a_reason():
    lead = LeadFactory(email="Hanako@Example.com", name="佐々木 花子")
    out = io.StringIO()

    call_command("personal_data", "disclose", "HANAKO@example.com", stdout=out)

    document = json.loads(out.getvalue())
    [leads, _newsletter] = document["保有しているデータ"].values()
    assert [record["受付番号"] for record in leads] == [lead.reference]

    out = io.StringIO()
    call_command(
        "personal_data",
        "erase",
        "hanako@example.com",
        "--reason",
        "佐々木 花子様の依頼",
        stdout=out,
    )

    assert "leads: 1" in out.getvalue()
    lead.refresh_from_db()
    assert lead.anonymized_at is not None
    event = lead.events.get(kind=LeadEvent.Kind.ANONYMIZED)
    assert event.details["note"] == "[削除済み]様の依頼"


def test_the_erase_command_refuses_to_run_without_a_reason():
    with pytest.raises(CommandError):
        call_command("personal_data", "erase", "hanako@example.com", "--reason", " ")
