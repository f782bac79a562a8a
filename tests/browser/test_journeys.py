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


def test_analyst_rates_priority_with_htmx(page, live_server):
    sign_in(page, live_server, "analyst")
    open_temporary_accommodation(page)
    # A full page load would wipe this marker; an htmx swap keeps it.
    page.evaluate("() => { window.__samePage = true; }")
    rating = page.locator("#rating")

    rating.get_by_label("Amber-green").check()
    rating.get_by_label("Rationale").fill("Trajectory recovered after the new prevention team.")
    rating.get_by_role("button", name="Save rating").click()

    # The status region sits outside the swapped section, so screen readers announce it.
    expect(page.locator("#rating-status")).to_have_text("Rating saved: Amber-green.")
    expect(page.get_by_role("status")).to_have_text("Rating saved: Amber-green.")
    newest = rating.get_by_role("table").locator("tbody tr").first
    expect(newest).to_contain_text("Amber-green")
    expect(newest).to_contain_text("Trajectory recovered after the new prevention team.")
    expect(newest).to_contain_text("Priya Shah")
    assert page.evaluate("() => window.__samePage") is True
    expect(page.get_by_role("heading", name="Likelihood of delivery")).to_be_focused()
    assert_accessible(page)


def test_analyst_sees_rating_errors_swapped_in_with_focus_on_the_summary(page, live_server):
    sign_in(page, live_server, "analyst")
    open_temporary_accommodation(page)
    page.evaluate("() => { window.__samePage = true; }")
    rating = page.locator("#rating")
    rows_before = rating.locator("tbody tr").count()

    rating.get_by_label("Red", exact=True).check()
    rating.get_by_role("button", name="Save rating").click()

    summary = rating.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Enter the rationale for the rating")).to_be_visible()
    expect(summary).to_be_focused()
    expect(rating.get_by_label("Red", exact=True)).to_be_checked()
    expect(rating.locator("tbody tr")).to_have_count(rows_before)
    assert page.evaluate("() => window.__samePage") is True
    assert_accessible(page)

    # The summary's link takes the rater to the field to fix.
    summary.get_by_role("link", name="Enter the rationale for the rating").click()
    expect(rating.get_by_label("Rationale")).to_be_focused()


def test_analyst_rates_priority_without_javascript(new_page, live_server):
    page = new_page(java_script_enabled=False)
    sign_in(page, live_server, "analyst")
    open_temporary_accommodation(page)

    page.get_by_label("Green", exact=True).check()
    page.get_by_label("Rationale").fill("Rated without JavaScript: an ordinary form post.")
    page.get_by_role("button", name="Save rating").click()

    expect(page).to_have_url(f"{live_server.url}/priorities/temporary-accommodation/")
    expect(page.get_by_role("alert")).to_contain_text("Rating saved.")
    newest = page.locator("#rating tbody tr").first
    expect(newest).to_contain_text("Green")
    expect(newest).to_contain_text("Rated without JavaScript: an ordinary form post.")
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
