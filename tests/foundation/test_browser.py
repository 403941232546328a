"""A reader in a real browser finds the consultation form from the header."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_header_consultation_link_leads_to_the_form(live_server, desktop_page):
    desktop_page.goto(live_server.url + "/")
    desktop_page.get_by_role("link", name="無料キャリア相談").first.click()
    desktop_page.wait_for_url("**/consultation/")
    assert desktop_page.url == live_server.url + "/consultation/"


def test_phone_menu_opens_and_shows_the_consultation_button(live_server, phone_page):
    """On a 375 px screen the menu collapses; our script opens it under our CSP; Escape shuts it."""
    phone_page.goto(live_server.url + "/")
    button = phone_page.get_by_test_id("header-consultation")
    assert not button.is_visible()
    toggle = phone_page.get_by_role("button", name="メニューを開く")
    toggle.click()
    button.wait_for(state="visible")
    assert button.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"

    phone_page.keyboard.press("Escape")
    button.wait_for(state="hidden")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert phone_page.evaluate("document.activeElement.classList.contains('navbar-toggler')")
