"""The main journeys, driven in Chromium by role and label the way a person would, with axe-core
(WCAG 2.0, 2.1 and 2.2, A and AA) and the Content Security Policy checked on every page visited,
after every htmx swap and in every error state."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.browser

PASSWORD = "delivery-demo"


def sign_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    expect(page).to_have_title(re.compile(r"^Sign in"))
    assert_accessible(page)
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/")
    assert_accessible(page)


def open_temporary_accommodation(page: Page) -> None:
    page.get_by_role("link", name="Priorities", exact=True).click()
    expect(page.get_by_role("heading", name="Priority register")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Temporary Accommodation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Temporary Accommodation")
    assert_accessible(page)


def test_sign_in_page_is_accessible_and_explains_a_wrong_password(page, live_server):
    page.goto("/sign-in/")
    assert_accessible(page)

    page.get_by_label("User name").fill("analyst")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct user name and password")
    expect(summary).to_be_focused()
    assert_accessible(page)


def test_lead_edits_their_delivery_plan(page, live_server):
    sign_in(page, live_server, "lead")
    page.get_by_role("link", name="Temporary Accommodation: delivery plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delivery plan")
    assert_accessible(page)

    page.get_by_role("link", name="Edit the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the delivery plan")
    assert_accessible(page)
    page.get_by_label("Delivery plan").fill(
        "What success looks like\nNo family in bed and breakfast for more than six weeks."
    )
    page.get_by_role("button", name="Save plan").click()

    expect(page).to_have_url(f"{live_server.url}/priorities/temporary-accommodation/plan/")
    expect(page.get_by_role("alert")).to_contain_text("Delivery plan saved.")
    expect(page.locator(".app-plan-body")).to_contain_text(
        "No family in bed and breakfast for more than six weeks."
    )
    expect(page.get_by_text("last saved by Helen Murray")).to_be_visible()
    assert_accessible(page)


def test_lead_cannot_edit_a_plan_they_do_not_lead(page, live_server):
    sign_in(page, live_server, "lead")
    page.goto("/priorities/council-tax-collection/plan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Delivery plan")
    expect(page.locator(".govuk-caption-l")).to_have_text("Council tax collection")
    expect(page.get_by_role("link", name="Edit the plan")).to_have_count(0)
    assert_accessible(page)
