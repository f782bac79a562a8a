"""An analyst finds who updates late on the demo council, in Chromium: opens Who updates on
time from the menu, groups the table by service, sorts it by data on time (the SEND service,
whose returns come in a few working days late, first), and downloads it; axe-core and the
Content Security Policy checked on each view, with no sideways scroll at 390 and 1280 px."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.screens import overflow

PASSWORD = "delivery-demo"

pytestmark = pytest.mark.browser


def sign_in(page: Page, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name=re.compile("^Sign out"))).to_be_visible()


def first_row(page: Page):
    return page.locator("#on-time tbody tr").first


def test_analyst_finds_the_service_that_returns_data_late(new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, "analyst")
    page.get_by_role("link", name="Who updates on time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who updates on time")
    expect(page.get_by_role("table", name="Returns on time by priority")).to_be_visible()
    expect(page.get_by_role("img", name="Share returned on time, by month due")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("radio", name="Service").check()
    page.get_by_role("button", name="Show").click()
    table = page.get_by_role("table", name="Returns on time by service")
    expect(table).to_be_visible()
    table.get_by_role("link", name="Data on time").click()
    expect(page.get_by_role("columnheader", name="Data on time")).to_have_attribute(
        "aria-sort", "ascending"
    )
    # The SEND priority's two services come first, none of their data on time.
    expect(first_row(page).get_by_role("rowheader")).to_have_text(
        re.compile("^(SEND|Educational Psychology)$")
    )
    expect(first_row(page).get_by_role("cell").first).to_contain_text("0%")
    assert_accessible(page)
    assert overflow(page) == 0

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["Grouping", "Name"]
    assert rows[1][0] == "Service" and rows[1][1] in {"SEND", "Educational Psychology"}
    assert rows[1][4] == "0"

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_role("table", name="Returns on time by service")).to_be_visible()
    assert overflow(page) == 0
    assert_accessible(page)


def test_leads_are_refused_the_page(new_page):
    page = new_page()
    sign_in(page, "lead")
    expect(page.get_by_role("link", name="Who updates on time")).to_have_count(0)
    response = page.goto("/rhythm/on-time/")
    assert response is not None and response.status == 403
