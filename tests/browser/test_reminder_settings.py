"""Each person chooses their email in Chromium, on the demo council: a lead follows the link from
their home page, reads what was sent to them last month, chooses the digest only (with an error
first) and back; the service manager finds the digest only already chosen, with JavaScript off.
axe-core and the Content Security Policy are checked on every page and in the error state, at
1280 and 390 pixels wide."""

import re

import pytest
from playwright.sync_api import Page, expect

from delivery_unit.models import User
from rhythm.models import ReminderChoice, ReminderPreference
from tests.browser.accessibility import assert_accessible

PASSWORD = "delivery-demo"

pytestmark = pytest.mark.browser


def sign_in(page: Page, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name=re.compile("^Sign out"))).to_be_visible()


def assert_fits(page: Page) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        scroll = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll <= width, f"{page.url} is {scroll}px wide in a {width}px window"


def test_a_lead_chooses_the_digest_only_and_back(page: Page):
    lead = User.objects.get(username="lead")
    sign_in(page, "lead")

    page.get_by_role("link", name="Email reminders and the weekly digest").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Email reminders and the weekly digest"
    )
    expect(page.get_by_label("The weekly digest and reminders")).to_be_checked()
    sent = page.get_by_role("table", name=re.compile("sent to you, newest first"))
    expect(sent.get_by_role("columnheader", name="About")).to_be_visible()
    expect(sent.get_by_role("cell", name="Weekly digest").first).to_be_visible()
    assert_accessible(page)
    assert_fits(page)

    # A choice the page does not offer (a tampered form) is refused with an error summary.
    page.locator("#id_choice_2").evaluate("radio => { radio.value = 'hourly'; }")
    page.get_by_label("The weekly digest only").check()
    page.get_by_role("button", name="Save your choice").click()
    expect(page).to_have_title(re.compile("^Error: Email reminders"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Select one of the choices")).to_be_visible()
    assert_accessible(page)
    assert not ReminderPreference.objects.filter(person=lead).exists()

    page.get_by_label("The weekly digest only").check()
    page.get_by_role("button", name="Save your choice").click()
    expect(page.get_by_text("Saved: you will get the weekly digest only")).to_be_visible()
    expect(page.get_by_label("The weekly digest only")).to_be_checked()
    assert_accessible(page)
    assert ReminderPreference.objects.get(person=lead).choice == ReminderChoice.DIGEST_ONLY

    # By keyboard: Space chooses the focused radio, Enter on the button saves.
    page.get_by_label("The weekly digest and reminders").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save your choice").press("Enter")
    expect(page.get_by_text("Saved: you will get the weekly digest and reminders")).to_be_visible()
    assert ReminderPreference.objects.get(person=lead).choice == ReminderChoice.DIGEST_AND_REMINDERS


def test_the_service_manager_finds_the_digest_only_without_javascript(new_page):
    page = new_page(java_script_enabled=False)
    sign_in(page, "officer")

    page.goto("/rhythm/reminders/")
    expect(page.get_by_label("The weekly digest only")).to_be_checked()
    assert_accessible(page)
    assert_fits(page)
