"""The monthly note in Chromium, on the demo council: the analyst opens this month's draft (the
demo's, proposed from the month's changes), saves it with an error first, writes the unit's
summary, issues it through the confirmation page, and the Chief Executive finds it on her home
page and reads it. axe-core on every page, and no page wider than its window at 390 and 1280 px."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from notes.models import MonthlyNote
from tests.browser.accessibility import assert_accessible
from tests.browser.screens import WIDTHS, overflow
from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser

SUMMARY = "Housing is the month's worry: the unit asks the chairs to back the leasing deal."


def check(page: Page) -> None:
    """Accessible, and fits the window at every width people use."""
    assert_accessible(page)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert overflow(page) == 0, f"{page.url} is {overflow(page)} px too wide at {width} px"
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def test_the_unit_drafts_and_issues_the_note_and_the_chief_executive_reads_it(
    new_page, live_server
):
    month = f"{timezone.localdate():%B %Y}"
    page = new_page()
    sign_in(page, live_server, "analyst")
    page.get_by_role("link", name="Monthly notes", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monthly notes")
    check(page)

    page.get_by_role("link", name=f"Open the note for {month}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Monthly note: {month}")
    # The demo's draft, proposed from the month's changes, as it will read.
    preview = page.locator(".app-note-preview")
    expect(preview.get_by_role("heading", name="Ratings that changed")).to_be_visible()
    expect(preview.get_by_role("heading", name="The next stocktake")).to_be_visible()
    check(page)

    body = page.get_by_label("The note")
    proposed = body.input_value()
    body.fill("")
    page.get_by_role("button", name="Save the note").click()
    expect(page).to_have_title(re.compile("^Error: Monthly note"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Enter the note")).to_be_visible()
    check(page)

    placeholder = re.search(r"Write the unit's summary[^\n]*", proposed)
    assert placeholder is not None
    page.get_by_label("The note").fill(proposed.replace(placeholder.group(0), SUMMARY))
    page.get_by_role("button", name="Save the note").click()
    expect(page.get_by_text("Note saved.")).to_be_visible()
    expect(page.locator(".app-note-preview").get_by_text(SUMMARY)).to_be_visible()
    check(page)

    page.get_by_role("link", name="Issue the note").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Issue the note")
    expect(page.get_by_text("chief@example.org")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Issue the note").click()
    expect(page.get_by_text(re.compile("Note issued as version 1 and sent to"))).to_be_visible()
    expect(page.get_by_role("heading", name="Issued versions")).to_be_visible()
    check(page)
    assert MonthlyNote.objects.get(month=timezone.localdate().replace(day=1)).status == "issued"

    chief = new_page()
    sign_in(chief, live_server, "chief")
    notes = chief.get_by_role("heading", name="Monthly notes from the unit")
    expect(notes).to_be_visible()
    check(chief)
    chief.get_by_role("link", name=month, exact=True).click()
    expect(chief).to_have_title(f"Monthly note: {month}")
    expect(chief.get_by_role("heading", level=1)).to_have_text(f"Monthly note: {month}")
    expect(chief.get_by_text(SUMMARY)).to_be_visible()
    expect(chief.get_by_text("Version 1, issued")).to_be_visible()
    check(chief)

    # Her list of notes has this month's and last month's, both issued; she may not edit.
    chief.goto("/monthly-notes/")
    expect(chief.get_by_role("link", name=month)).to_be_visible()
    check(chief)
    chief.get_by_role("link", name=month).click()
    expect(chief.get_by_role("heading", name="Issued versions")).to_be_visible()
    expect(chief.get_by_label("The note")).to_have_count(0)
    check(chief)
