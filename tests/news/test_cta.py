"""The consultation call-to-action: which one shows, where it leads, and that clicks count."""

import re
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import IntegrityError, transaction

from news.models import Article, CTAClick
from tests.factories import ArticleFactory, CallToActionFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def _hrefs(html: str, testid: str) -> list[str]:
    """The href of every link marked with `testid`, in page order."""
    marker = f'data-testid="{testid}"'
    hrefs, end = [], 0
    while (end := html.find(marker, end + 1)) != -1:
        tag = html[html.rindex("<a ", 0, end) : end]
        hrefs.append(tag.split('href="', 1)[1].split('"', 1)[0])
    return hrefs


def _cta_href(html: str) -> str:
    return _hrefs(html, "article-cta")[0]


def test_database_allows_only_one_default_cta(default_cta):
    with pytest.raises(IntegrityError), transaction.atomic():
        CallToActionFactory(is_default=True)
    # Any number of non-default CTAs is fine.
    CallToActionFactory(is_default=False)
    CallToActionFactory(is_default=False)


def test_default_cta_shows_when_nothing_more_specific_is_set(client, default_cta, ai_category):
    article = ArticleFactory(categories=[ai_category])
    assert article.effective_cta() == default_cta
    html = client.get(article.get_absolute_url()).content.decode()
    assert default_cta.heading in html
    assert "こんな方におすすめです" in html
    assert "Web3企業" in html
    assert "AI企業" in html


def test_category_cta_wins_over_the_default(client, default_cta):
    web3_cta = CallToActionFactory(slug="web3-campaign", heading="Web3企業の求人を見てみませんか")
    category = CategoryFactory(slug="web3", name="Web3", cta=web3_cta)
    article = ArticleFactory(categories=[category])

    assert article.effective_cta() == web3_cta
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Web3企業の求人を見てみませんか" in html
    assert default_cta.heading not in html


def test_inactive_category_cta_falls_back_to_the_default(default_cta):
    inactive = CallToActionFactory(is_active=False)
    article = ArticleFactory(categories=[CategoryFactory(cta=inactive)])
    assert article.effective_cta() == default_cta


def test_article_can_choose_its_own_cta_or_none(client, default_cta, ai_category):
    special = CallToActionFactory(slug="special", heading="特集記事の読者の方へ")
    own = ArticleFactory(categories=[ai_category], cta_choice=Article.CTAChoice.CUSTOM, cta=special)
    silent = ArticleFactory(categories=[ai_category], cta_choice=Article.CTAChoice.NONE)

    assert "特集記事の読者の方へ" in client.get(own.get_absolute_url()).content.decode()
    silent_html = client.get(silent.get_absolute_url()).content.decode()
    assert 'data-testid="article-cta"' not in silent_html
    assert default_cta.heading not in silent_html


def test_custom_choice_requires_a_cta_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(cta_choice=Article.CTAChoice.CUSTOM, cta=None)


def test_cta_button_leads_to_the_form_with_source_and_utm(client):
    CallToActionFactory(slug="plusweb3-career", is_default=True)
    article = ArticleFactory(slug="openai-bid-analysis")
    href = _cta_href(client.get(article.get_absolute_url()).content.decode())

    response = client.get(href)

    assert response.status_code == HTTPStatus.FOUND
    location = urlsplit(response["Location"])
    assert location.path == "/consultation/"
    query = parse_qs(location.query)
    # The counted click's token, which lets the lead credit this door (careers/attribution.py).
    assert query.pop("click")[0]
    assert query == {
        "source": ["openai-bid-analysis"],
        "utm_source": ["article"],
        "utm_medium": ["cta"],
        "utm_campaign": ["plusweb3-career"],
    }


def test_default_cta_has_two_doors_that_open_the_form_with_their_interest(client, default_cta):
    """Web3企業 and AI企業: each counted, each opening the form with its field chosen."""
    article = ArticleFactory(slug="stablecoin-law")
    html = client.get(article.get_absolute_url()).content.decode()
    web3_href, ai_href = _hrefs(html, "article-cta")

    for href, interest in ((web3_href, "web3"), (ai_href, "ai"), (web3_href, "web3")):
        location = urlsplit(client.get(href)["Location"])
        query = parse_qs(location.query)
        assert (location.path, query["interest"], query["source"]) == (
            "/consultation/",
            [interest],
            ["stablecoin-law"],
        )
        form = client.get(f"{location.path}?{location.query}").content.decode()
        checked = re.search(r'<input type="radio"[^>]*name="interest"[^>]*checked', form)
        assert checked
        assert f'value="{interest}"' in checked.group(0)

    counts = {row.interest: row.count for row in CTAClick.objects.filter(article=article)}
    assert counts == {"web3": 2, "ai": 1}


def test_header_button_and_follow_box_count_their_clicks(client, default_cta):
    """Every link on an article that leads to a form is counted, each as its own door."""
    article = ArticleFactory(slug="ai-agents")
    html = client.get(article.get_absolute_url()).content.decode()
    [header] = _hrefs(html, "header-consultation")
    [follow] = _hrefs(html, "follow-newsletter")

    header_location = urlsplit(client.get(header)["Location"])
    client.get(header)
    follow_location = urlsplit(client.get(follow)["Location"])

    assert header_location.path == "/consultation/"
    assert parse_qs(header_location.query)["source"] == ["ai-agents"]
    assert follow_location.path == "/newsletter/"
    assert parse_qs(follow_location.query)["source"] == ["ai-agents"]
    counts = {row.door: row.count for row in CTAClick.objects.filter(article=article)}
    assert counts == {"header": 2, "follow": 1}


def test_unknown_door_is_not_found(client, default_cta):
    article = ArticleFactory()
    assert client.get(f"/articles/{article.slug}/go/sidebar/").status_code == HTTPStatus.NOT_FOUND


def test_cta_clicks_are_counted_per_article_cta_and_day(client, default_cta):
    article = ArticleFactory()
    other = ArticleFactory()
    href = _cta_href(client.get(article.get_absolute_url()).content.decode())

    for _ in range(3):
        client.get(href)
    client.get(_cta_href(client.get(other.get_absolute_url()).content.decode()))

    counts = {
        (row.article_id, row.cta_id, row.interest): row.count for row in CTAClick.objects.all()
    }
    assert counts == {
        (article.pk, default_cta.pk, "web3"): 3,
        (other.pk, default_cta.pk, "web3"): 1,
    }


def test_cta_click_is_counted_even_when_the_page_came_from_the_cache(client, default_cta):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    cached = client.get(article.get_absolute_url())
    assert cached["X-Page-Cache"] == "hit"

    client.get(_cta_href(cached.content.decode()))

    assert CTAClick.objects.get(article=article, door="cta").count == 1


def test_cta_redirect_sets_no_cookie_and_is_not_cached(client, default_cta):
    article = ArticleFactory()
    response = client.get(f"/articles/{article.slug}/cta/{default_cta.slug}/")
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"]


def test_unknown_article_or_cta_still_reaches_the_form_without_counting(client, default_cta):
    response = client.get("/articles/renamed-article/cta/old-campaign/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/consultation/?source=renamed-article&")
    assert not CTAClick.objects.exists()
