"""An administrator edits the assessment framework's guidance by keyboard, in Chromium, with
axe-core and the Content Security Policy checked on every page and in the error state."""

import re

import pytest
from playwright.sync_api import Page, expect

from delivery_unit.models import Role, User
from tests.browser.accessibility import assert_accessible
from tests.test_framework import ensure_default_framework

PASSWORD = "delivery-demo"
NEW_GUIDANCE = "Every link of the delivery chain is engaged, and leaders at each level act on data."

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db, settings) -> None:
    """The demo's administrator and the default framework: all this journey needs. (Overrides
    the whole demo council of tests/browser/conftest.py.)"""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_default_framework()
    User.objects.create_user(
        "admin", password=PASSWORD, role=Role.ADMINISTRATOR, first_name="Alex", last_name="Reid"
    )


def sign_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/")
    assert_accessible(page)


def test_administrator_edits_a_level_s_guidance_by_keyboard_and_sees_the_new_version(
    page: Page, live_server
):
    sign_in(page, live_server, "admin")
    page.get_by_role("link", name="Assessment framework").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessment framework")
    old_guidance = page.get_by_role("row", name=re.compile(r"^Green Every link")).first
    expect(old_guidance).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Edit the wording and guidance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the wording and guidance")
    assert_accessible(page)

    capacity = page.get_by_role("group", name="Capacity to drive progress")
    guidance = capacity.get_by_role("group", name="Green", exact=True).get_by_label(
        "Guidance: what this level looks like"
    )
    guidance.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(NEW_GUIDANCE)
    # Saving without saying what changed: the error summary takes focus, the text stays.
    note = page.get_by_label("What changed")
    note.focus()
    page.keyboard.press("Tab")
    save = page.get_by_role("button", name="Save a new version")
    expect(save).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_title(re.compile(r"^Error: Edit the assessment framework"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Enter what changed")).to_be_visible()
    expect(summary).to_be_focused()
    expect(guidance).to_have_value(NEW_GUIDANCE)
    assert_accessible(page)

    page.keyboard.press("Tab")
    expect(summary.get_by_role("link", name="Enter what changed")).to_be_focused()
    page.keyboard.press("Enter")
    expect(note).to_be_focused()
    page.keyboard.type("Green capacity now asks for leaders acting on data.")
    page.keyboard.press("Tab")
    expect(save).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/assessment/framework/priority/")
    expect(page.get_by_role("alert")).to_contain_text("Version 2 saved.")
    expect(page.get_by_text(NEW_GUIDANCE)).to_be_visible()
    versions = page.get_by_role("table", name=re.compile("Every version"))
    expect(versions.locator("tbody tr").first).to_contain_text("Version 2 (current)")
    expect(versions.locator("tbody tr").first).to_contain_text(
        "Green capacity now asks for leaders acting on data."
    )
    expect(versions.locator("tbody tr").first).to_contain_text("Alex Reid")
    assert_accessible(page)

    # The earlier version still reads as it was.
    versions.get_by_role("link", name="Version 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Version 1")
    expect(page.get_by_text("This is an earlier version")).to_be_visible()
    expect(page.get_by_text(NEW_GUIDANCE)).to_have_count(0)
    assert_accessible(page)


def test_administrator_adds_an_area_and_retires_one(page: Page, live_server):
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/assessment/framework/priority/")
    page.get_by_role("link", name="Add an area").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an area")
    assert_accessible(page)

    page.get_by_role("button", name="Add the area").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Enter a name for the area")).to_be_visible()
    expect(
        summary.get_by_role("link", name="Select the scale the area is rated on")
    ).to_be_visible()
    expect(summary).to_be_focused()
    assert_accessible(page)

    page.get_by_label("Name", exact=True).fill("Value for money")
    page.get_by_label("Stage", exact=True).check()
    stages = page.get_by_role("group", name="Words and guidance if the scale is stage")
    for number in range(1, 5):
        stages.get_by_role("group", name=f"Stage {number}").get_by_label(
            "Guidance: what this level looks like"
        ).fill(f"Stage {number} of value for money.")
    page.get_by_role("button", name="Add the area").click()
    expect(page.get_by_role("alert")).to_contain_text("Value for money added: version 2 saved.")
    expect(page.get_by_role("heading", name="Value for money")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Retire Value for money").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retire Value for money")
    assert_accessible(page)
    page.get_by_label("Why the area is retired").fill("Covered by planning.")
    page.get_by_role("button", name="Retire the area").click()
    expect(page.get_by_role("alert")).to_contain_text("Value for money retired: version 3 saved.")
    expect(page.get_by_role("heading", name="Value for money")).to_have_count(0)
    assert_accessible(page)
