"""Lead search finds what staff type: kana in any form, phones in any notation, references in
any case; an empty result says what it searched and how to widen it."""

from http import HTTPStatus

import pytest

from core.normalization import search_variants
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/careers/lead/"


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ({"name_kana": "ヤマダ ハナコ"}, "やまだ"),
        ({"name_kana": "ヤマダ ハナコ"}, "ヤマダ"),
        ({"name_kana": "ヤマダ ハナコ"}, "ﾔﾏﾀﾞ"),
        ({"name": "やまだ はなこ"}, "ヤマダ"),
        ({"name": "やまだ はなこ"}, "ﾔﾏﾀﾞ"),
        ({"phone": "09012345678"}, "090-1234-5678"),
        ({"phone": "09012345678"}, "０９０１２３４５６７８"),
        ({"phone": "09012345678"}, "０９０－１２３４－５６７８"),
        ({"phone": "090-1234-5678"}, "09012345678"),
        ({"phone": "0312345678"}, "03-1234-5678"),
        ({"reference": "PW-7K3M-9QXA"}, "pw-7k3m-9qxa"),
        ({"reference": "PW-7K3M-9QXA"}, "Pw-7K3m-9qxA"),
        ({"reference": "PW-7K3M-9QXA"}, "ＰＷ－７Ｋ３Ｍ"),
        ({"email": "Hanako.Yamada@example.com"}, "hanako.yamada@EXAMPLE.COM"),
        ({"company_name": "チェーンブリッジ株式会社"}, "ﾁｪｰﾝﾌﾞﾘｯｼﾞ"),
    ],
)
def test_the_search_finds_a_lead_however_its_details_are_typed(client, manager, stored, typed):
    wanted = LeadFactory(**stored)
    LeadFactory(name="佐藤 一郎", name_kana="サトウ イチロウ", phone="08099998888")
    client.force_login(manager)

    response = client.get(LIST_URL, {"q": typed})

    assert response.status_code == HTTPStatus.OK
    assert [lead.pk for lead in response.context["cl"].result_list] == [wanted.pk]


def test_a_whole_email_address_finds_the_leads_sent_from_it_and_not_longer_addresses(
    client, manager
):
    sent = LeadFactory(email="taro@example.com")
    sent_again = LeadFactory(email="Taro@example.com")
    LeadFactory(email="yamataro@example.com")
    client.force_login(manager)

    for typed in ("TARO@example.com", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ"):
        response = client.get(LIST_URL, {"q": typed})
        found = {lead.pk for lead in response.context["cl"].result_list}
        assert found == {sent.pk, sent_again.pk}, typed
    partial = client.get(LIST_URL, {"q": "taro@example"}).context["cl"].result_list
    assert len(partial) == 3


def test_search_variants_fold_kana_widths_and_phone_decoration():
    assert search_variants("ﾔﾏﾀﾞ") == {"ヤマダ", "やまだ"}
    assert "09012345678" in search_variants("０９０－１２３４－５６７８")
    assert search_variants("  ") == set()


def test_an_empty_result_says_what_was_searched_and_offers_to_clear_the_filters(client, manager):
    LeadFactory(name_kana="ヤマダ ハナコ", status="new")
    client.force_login(manager)

    response = client.get(LIST_URL, {"q": "ﾔﾏﾀﾞ", "status__exact": "closed"})

    html = response.content.decode()
    assert response.context["cl"].result_count == 0
    assert "条件に合うリードはありません。" in html
    assert "「ﾔﾏﾀﾞ」(やまだ・ヤマダ の表記も含む)" in html
    assert "絞り込み中: ステータス" in html
    assert 'href="?q=%EF%BE%94%EF%BE%8F%EF%BE%80%EF%BE%9E" data-testid="clear-filters"' in html
    widened = client.get(LIST_URL, {"q": "ﾔﾏﾀﾞ"})
    assert widened.context["cl"].result_count == 1
    assert 'data-testid="no-results"' not in widened.content.decode()
