"""What a candidate sees on /consultation/: conventions, errors, and pages for bad requests."""

import re
import urllib.error
import urllib.request
from http import HTTPStatus

import pytest
from django.test import Client

from careers.models import Lead
from tests.factories import consultation_form_data

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


def _input_tag(html: str, name: str) -> str:
    match = re.search(rf'<(?:input|textarea|select)[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def test_the_form_page_is_japanese_with_grouped_sections_and_badges(client):
    response = client.get("/consultation/")
    assert response.status_code == HTTPStatus.OK
    html = _html(response)
    assert "無料キャリア相談" in html
    for legend in ("ご相談について", "お客さま情報", "現在のお仕事"):
        assert f"<legend>{legend}</legend>" in html
    # Four required fields (name, email, interest, consent), seven optional ones.
    assert html.count("form-badge--required") == 4
    assert html.count("form-badge--optional") == 7
    assert 'href="/privacy/"' in html


def test_inputs_bring_up_the_right_keyboard_and_autofill(client):
    html = _html(client.get("/consultation/"))
    email = _input_tag(html, "email")
    assert 'type="email"' in email
    assert 'autocomplete="email"' in email
    assert 'inputmode="email"' in email
    phone = _input_tag(html, "phone")
    assert 'type="tel"' in phone
    assert 'autocomplete="tel"' in phone
    assert 'inputmode="tel"' in phone
    assert 'autocomplete="name"' in _input_tag(html, "name")
    assert 'autocomplete="organization-title"' in _input_tag(html, "current_job")
    assert 'maxlength="2000"' in _input_tag(html, "message")
    # Our messages, not the browser's English bubbles, explain what is wrong.
    assert "novalidate" in html


def test_the_honeypot_is_hidden_from_people_and_skipped_by_the_keyboard(client):
    html = _html(client.get("/consultation/"))
    assert re.search(r'class="form-trap"\s+aria-hidden="true"', html)
    website = _input_tag(html, "website")
    assert 'tabindex="-1"' in website
    assert 'autocomplete="off"' in website


def test_form_and_errors_are_never_cached(client):
    assert "no-store" in client.get("/consultation/")["Cache-Control"]
    response = client.post("/consultation/", consultation_form_data(email=""))
    assert "no-store" in response["Cache-Control"]


def test_the_page_runs_no_inline_script_and_loads_its_own_files(client):
    html = _html(client.get("/consultation/"))
    assert "<script>" not in html
    assert "style=" not in html
    assert "/static/careers/consultation.js" in html
    assert "/static/careers/careers.css" in html
    assert client.get("/static/careers/consultation.js").status_code == HTTPStatus.OK


def test_errors_are_summarised_at_the_top_with_links_and_repeated_under_each_field(client):
    data = consultation_form_data(email="taro@", name="", name_kana="たろう")
    response = client.post("/consultation/", data)
    assert response.status_code == HTTPStatus.OK
    html = _html(response)
    summary = html[html.index('id="error-summary"') : html.index("<form")]
    assert "入力内容をご確認ください(3件)" in summary
    # In page order, each a link to its field.
    links = re.findall(r'<a href="#(id_\w+)">([^<]+)</a>', summary)
    assert [anchor for anchor, _text in links] == ["id_name", "id_name_kana", "id_email"]
    assert "お名前:お名前を入力してください。" in links[0][1]
    form = html[html.index("<form") :]
    assert 'id="id_email_error"' in form
    assert "メールアドレスの形式が正しくありません" in form
    assert Lead.objects.count() == 0


def test_a_missing_choice_links_to_its_first_option(client):
    data = consultation_form_data()
    del data["interest"]
    html = _html(client.post("/consultation/", data))
    assert '<a href="#id_interest_0">興味のある領域:興味のある領域を選んでください。</a>' in html


def test_every_value_is_kept_when_the_form_is_shown_again(client):
    data = consultation_form_data(email="not-an-email")
    html = _html(client.post("/consultation/", data))
    assert 'value="山田 太郎"' in html
    assert 'value="ヤマダ タロウ"' in html
    assert 'value="not-an-email"' in html
    # As typed, not as it would be stored: the person recognises their own input.
    assert 'value="090-1234-5678"' in html
    assert 'value="Webエンジニア"' in html
    assert "AI業界への転職について相談したいです。</textarea>" in html
    assert re.search(r'name="interest" value="ai"[^>]*checked', html)
    assert re.search(r'<option value="3_months" selected>', html)
    assert re.search(r'<option value="3_5" selected>', html)
    assert re.search(r'name="contact_method" value="email"[^>]*checked', html)
    assert re.search(r'name="consent"[^>]*checked', html)
    # The original token is kept, so the fill time counts from the first showing.
    assert f'value="{data["form_token"]}"' in html


def test_markup_typed_into_a_field_is_shown_back_as_text(client):
    attack = '"><script>alert(1)</script>'
    html = _html(client.post("/consultation/", consultation_form_data(name=attack, email="x")))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_post_without_the_csrf_token_gets_the_japanese_reload_page():
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/consultation/", consultation_form_data())
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "再読み込み" in _html(response)
    assert Lead.objects.count() == 0


def test_the_csrf_check_still_guards_the_form_after_the_size_check(
    django_capture_on_commit_callbacks,
):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.get("/consultation/")
    token = csrf_client.cookies["__Host-csrftoken"].value
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_client.post(
            "/consultation/", {**consultation_form_data(), "csrfmiddlewaretoken": token}
        )
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert Lead.objects.count() == 1


def test_an_oversized_post_gets_the_japanese_413_page_not_a_500(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.get("/consultation/")
    token = csrf_client.cookies["__Host-csrftoken"].value
    data = {**consultation_form_data(message="あ" * 20_000), "csrfmiddlewaretoken": token}
    response = csrf_client.post("/consultation/", data)
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    html = _html(response)
    assert "送信内容が大きすぎます" in html
    assert "2,000文字以内" in html
    assert "no-store" in response["Cache-Control"]
    assert Lead.objects.count() == 0


def test_an_oversized_multipart_post_is_refused_by_its_length(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    big_file = ("cv.txt", b"x" * 50_000)
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {**consultation_form_data(), "attachment": SimpleUploadedFile(*big_file)}
    response = client.post("/consultation/", data)
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert Lead.objects.count() == 0


def test_too_many_fields_get_the_japanese_400_page(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    data = {**consultation_form_data(), **{f"extra{n}": "x" for n in range(50)}}
    response = client.post("/consultation/", data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "リクエストを処理できませんでした" in _html(response)


@pytest.mark.parametrize(
    "body",
    [
        b"name=%00&email=%FF%FE&interest=ai&consent=on",
        b"interest=ai&interest=web3&consent=1&consent=0&email[]=x",
        b"%%%%&&&==",
        "name=山田\x00&email=a@b.c".encode(),
    ],
)
def test_malformed_bodies_are_form_errors_never_500(client, body):
    response = client.post("/consultation/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == HTTPStatus.OK
    assert "入力内容をご確認ください" in _html(response)
    assert Lead.objects.count() == 0


def test_only_get_and_post_are_answered(client):
    assert client.put("/consultation/").status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert client.delete("/consultation/").status_code == HTTPStatus.METHOD_NOT_ALLOWED


@pytest.mark.django_db(transaction=True)
def test_a_real_server_answers_a_huge_body_with_the_413_page(live_server):
    """Through a real WSGI server (headers, unread body), not only the test client."""
    body = b"message=" + b"a" * (300 * 1024)
    request = urllib.request.Request(  # noqa: S310 - our own live server
        live_server.url + "/consultation/",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310 - our own live server
    assert refused.value.code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert "送信内容が大きすぎます" in refused.value.read().decode()
