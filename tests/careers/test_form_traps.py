"""The bot traps (careers/forms/traps.py): a bot is caught and stored as spam, never told."""

import time

import pytest

from careers.forms import ConsultationForm, form_token_make, traps_check
from tests.factories import consultation_form_data


def test_traps_check_names_every_trap_a_submission_fell_into(settings):
    """A filled honeypot and a form sent in under the minimum are two reasons, in that order."""
    settings.FORM_MIN_FILL_SECONDS = 3
    caught = traps_check(honeypot="x", form_token=form_token_make(shown_at=time.time() - 1))
    assert caught.reasons == ["honeypot", "too_fast"]
    assert caught.submission_key


def test_traps_check_lets_a_person_through_with_their_fill_time(settings):
    settings.FORM_MIN_FILL_SECONDS = 3
    caught = traps_check(honeypot="", form_token=form_token_make(shown_at=time.time() - 30))
    assert caught.reasons == []
    assert 30 <= caught.fill_seconds < 40


def test_a_filled_honeypot_is_trapped_not_refused():
    form = ConsultationForm(consultation_form_data(website="https://spam.example"))
    assert form.is_valid()
    assert form.trap_reasons == ["honeypot"]


def test_a_form_sent_faster_than_the_minimum_is_trapped(settings):
    settings.FORM_MIN_FILL_SECONDS = 3
    form = ConsultationForm(consultation_form_data(filled_seconds_ago=1))
    assert form.is_valid()
    assert form.trap_reasons == ["too_fast"]
    assert form.fill_seconds is not None
    assert form.fill_seconds < 3


def test_the_minimum_fill_time_comes_from_settings(settings):
    settings.FORM_MIN_FILL_SECONDS = 0
    form = ConsultationForm(consultation_form_data(filled_seconds_ago=0))
    assert form.is_valid()
    assert form.trap_reasons == []


@pytest.mark.parametrize("token", ["", "forged", form_token_make()[:-3] + "abc"])
def test_a_missing_or_forged_form_token_is_trapped(token):
    form = ConsultationForm(consultation_form_data(form_token=token))
    assert form.is_valid()
    assert form.trap_reasons == ["form_token_invalid"]
    assert form.submission_key is None


def test_nul_in_the_trap_fields_never_shows_an_error():
    form = ConsultationForm(consultation_form_data(website="\x00bot"))
    assert form.is_valid()
    assert form.trap_reasons == ["honeypot"]


def test_each_rendering_gets_its_own_submission_key():
    first, second = ConsultationForm(), ConsultationForm()
    assert first.initial["form_token"] != second.initial["form_token"]
    token = form_token_make(shown_at=time.time() - 10)
    form = ConsultationForm(consultation_form_data(form_token=token))
    assert form.is_valid()
    assert form.submission_key
    assert form.fill_seconds >= 10
