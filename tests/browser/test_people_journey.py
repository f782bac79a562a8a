"""An administrator manages people in Chromium, on the demo council: adds a person (with an
error first), deactivates a leaver, who is signed out at once, and hands over everything she
held; axe-core and the Content Security Policy checked on every page and in each error state."""

import re

import pytest
from playwright.sync_api import Page, expect

from delivery_unit.models import HandedOver, User
from tests.browser.accessibility import assert_accessible

PASSWORD = "delivery-demo"

pytestmark = pytest.mark.browser


def sign_in(page: Page, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name=re.compile("^Sign out"))).to_be_visible()


def test_administrator_adds_a_person_then_deactivates_a_leaver_and_hands_over(new_page):
    leaver_page = new_page()
    sign_in(leaver_page, "lead")
    page = new_page()
    sign_in(page, "admin")

    page.get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    assert_accessible(page)

    page.get_by_role("link", name="Add a person").click()
    assert_accessible(page)
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill("Patel")
    page.get_by_label("Email address").fill("not an address")
    page.get_by_label("Priority lead").check()
    page.get_by_role("button", name="Add person").click()
    expect(page).to_have_title(re.compile("^Error: Add a person"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name=re.compile("^Enter an email address"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address").fill("sam.patel@example.org")
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Patel")
    expect(page.get_by_text("Sam Patel added as priority lead")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_role("link", name="Helen Murray").click()
    expect(page.get_by_role("heading", name="What they hold")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Priorities they lead"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Deactivate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deactivate Helen Murray?")
    assert_accessible(page)
    page.get_by_role("button", name="Deactivate Helen Murray").click()

    # Her session ended on the server: her next request finds her signed out.
    leaver_page.reload()
    expect(leaver_page).to_have_url(re.compile(r"/sign-in/"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Hand over what they hold")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile("^Error: Hand over"))
    assert_accessible(page)
    for select in page.locator("select").all():
        select.select_option(index=1)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the hand-over")
    assert_accessible(page)
    page.get_by_role("button", name="Hand over").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Helen Murray")
    expect(page.get_by_text(re.compile(r"things? handed over from Helen Murray"))).to_be_visible()
    expect(page.get_by_role("cell", name="Lead of Temporary Accommodation")).to_be_visible()
    assert_accessible(page)

    leaver = User.objects.get(username="lead")
    assert not leaver.is_active
    assert HandedOver.objects.filter(person=leaver, what__startswith="Lead of").count() == 2
