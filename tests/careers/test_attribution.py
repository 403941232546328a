"""A lead credits an article's door only through a click the counter recorded for that door."""

from datetime import datetime, time, timedelta
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from careers.funnel import funnel_for
from careers.models import Lead
from news.models import CTAClick
from news.models.cta import DEFAULT_BUTTONS, DOOR_CLICK_MAX_AGE
from tests.factories import ArticleFactory, CallToActionFactory, consultation_form_data

pytestmark = pytest.mark.django_db

SLUG = "stablecoin-law"
# The form URL a CTA button's counter sends readers to, as a reader would copy it from the
# address bar and share it, without the click's token.
COPIED_URL = "/consultation/?" + urlencode(
    {
        "source": SLUG,
        "interest": "web3",
        "utm_source": "article",
        "utm_medium": "cta",
        "utm_campaign": "plusweb3-career",
        "utm_content": "web3",
    }
)
WEB3_DOOR = ("cta", "plusweb3-career", "web3")


@pytest.fixture
def article():
    CallToActionFactory(slug="plusweb3-career", is_default=True, buttons=DEFAULT_BUTTONS)
    return ArticleFactory(slug=SLUG, title="ステーブルコイン法の読み方")


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Open the form at `url` in `browser`, then send it as that reader."""

    def _send(browser, url, *, email):
        browser.get(url)
        with django_capture_on_commit_callbacks(execute=True):
            browser.post(url, consultation_form_data(email=email))
        return Lead.objects.get(email=email)

    return _send


def _clicked_form_url(browser, click_path=f"/articles/{SLUG}/cta/plusweb3-career/web3/") -> str:
    return browser.get(click_path)["Location"]


def _funnel():
    today = timezone.localdate()
    funnel = funnel_for(first_day=today, last_day=today)
    (article_row,) = funnel.articles
    doors = {row.key: row for row in funnel.doors}
    return article_row, doors


def test_a_copied_form_url_credits_the_article_but_not_the_door(article, send):
    """Nobody clicked the door: the lead is 「その他の経路」 and the door shows no conversion."""
    lead = send(Client(), COPIED_URL, email="copied@example.com")

    assert lead.source_article == article
    assert (lead.utm_source, lead.utm_medium, lead.utm_campaign) == (
        "article",
        "",
        "plusweb3-career",
    )
    article_row, doors = _funnel()
    assert (article_row.clicks, article_row.leads, article_row.other_leads) == (0, 0, 1)
    assert WEB3_DOOR not in doors


def test_a_click_then_the_form_credits_the_door(article, send):
    """Click the Web3企業 button, send the form: one click, one lead, 100 % for that door."""
    browser = Client()
    lead = send(browser, _clicked_form_url(browser), email="clicked@example.com")

    assert (lead.source_article, lead.utm_medium, lead.utm_content) == (article, "cta", "web3")
    article_row, doors = _funnel()
    assert (article_row.clicks, article_row.leads, article_row.other_leads) == (1, 1, 0)
    assert (doors[WEB3_DOOR].clicks, doors[WEB3_DOOR].leads) == (1, 1)
    assert doors[WEB3_DOOR].conversion == pytest.approx(100.0)


def test_one_click_credits_one_lead_even_when_its_url_is_shared(article, send):
    """The clicked URL, token and all, pasted elsewhere and sent twice more: still one lead per
    click, so the door's conversion stays at 100 %."""
    browser = Client()
    clicked_url = _clicked_form_url(browser)
    first = send(browser, clicked_url, email="first@example.com")
    again = send(browser, clicked_url, email="second@example.com")
    shared = send(Client(), clicked_url, email="shared@example.com")

    assert first.utm_medium == "cta"
    assert (again.utm_medium, shared.utm_medium) == ("", "")
    assert {again.source_article, shared.source_article} == {article}
    article_row, doors = _funnel()
    assert (doors[WEB3_DOOR].clicks, doors[WEB3_DOOR].leads) == (1, 1)
    assert article_row.other_leads == 2


def test_the_first_touch_cookie_keeps_a_click_longer_than_its_token_lives(article, send):
    """The reader lands from the click, comes back later to send: the door is still theirs."""
    browser = Client()
    clicked_url = _clicked_form_url(browser)
    browser.get(clicked_url)
    later = timezone.now().timestamp() + DOOR_CLICK_MAX_AGE + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        lead = send(browser, "/consultation/", email="later@example.com")

    assert lead.utm_medium == "cta"


def test_a_stale_or_foreign_click_token_credits_no_door(article, send):
    """A token opened after its time, or one signed for another door, does not vouch."""
    header_click = Client()
    header_url = _clicked_form_url(header_click, f"/articles/{SLUG}/go/header/")
    header_token = header_url.split("click=")[1]
    stale_click = Client()
    stale_url = _clicked_form_url(stale_click)

    foreign = send(Client(), f"{COPIED_URL}&click={header_token}", email="foreign@example.com")
    later = timezone.now().timestamp() + DOOR_CLICK_MAX_AGE + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        stale = send(stale_click, stale_url, email="stale@example.com")

    assert (foreign.utm_medium, stale.utm_medium) == ("", "")
    article_row, doors = _funnel()
    assert (doors[WEB3_DOOR].clicks, doors[WEB3_DOOR].leads) == (1, 0)
    assert (doors[("header", "", "")].clicks, doors[("header", "", "")].leads) == (1, 0)
    assert article_row.other_leads == 2


def test_a_header_click_credits_the_header_door(article, send):
    browser = Client()
    lead = send(browser, _clicked_form_url(browser, f"/articles/{SLUG}/go/header/"), email="h@x.jp")

    assert (lead.utm_source, lead.utm_medium) == ("article", "header")
    _article_row, doors = _funnel()
    assert (doors[("header", "", "")].clicks, doors[("header", "", "")].leads) == (1, 1)


def test_a_lead_sent_after_midnight_is_credited_to_the_day_of_its_click(article, send):
    """Clicked at 23:59, sent at 00:01 (Japan time): the lead keeps its click's moment, and
    the first day shows 1 click and 1 lead (100 %), the second day neither."""
    first_day = timezone.localdate() - timedelta(days=3)
    second_day = first_day + timedelta(days=1)
    clicked = timezone.make_aware(datetime.combine(first_day, time(23, 59)))
    sent = timezone.make_aware(datetime.combine(second_day, time(0, 1)))
    browser = Client()
    with mock.patch("django.core.signing.time.time", return_value=clicked.timestamp()):
        clicked_url = _clicked_form_url(browser)
    # The counter's row for that click, on the day it was made.
    CTAClick.objects.update(date=first_day)
    with mock.patch("django.core.signing.time.time", return_value=sent.timestamp()):
        lead = send(browser, clicked_url, email="midnight@example.com")
    Lead.objects.filter(pk=lead.pk).update(created_at=sent)

    for day, figures in ((first_day, [(1, 1)]), (second_day, [])):
        rows = funnel_for(first_day=day, last_day=day).articles
        assert [(row.clicks, row.leads) for row in rows] == figures
    lead.refresh_from_db()
    assert lead.door_clicked_at == clicked
