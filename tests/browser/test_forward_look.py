"""The forward look in Chromium, on the demo council: an analyst opens it from the navigation,
reads the month view, switches to the list filtered to one priority, then starts a calendar feed,
reads it back as iCalendar and stops it; a lead's calendar has no stocktake. axe-core and the
Content Security Policy on every page, at 1280 and 390 pixels wide."""

import re

import icalendar
import pytest
from playwright.sync_api import Page, expect

from forward_look.models import CalendarFeed
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
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_analyst_reads_the_forward_look_and_keeps_a_feed(page: Page):
    sign_in(page, "analyst")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Forward look").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forward look")
    # The month view: a table a month, each in a region that scrolls by itself if it must.
    tables = page.locator("table.app-month")
    expect(tables).to_have_count(5)
    expect(page.get_by_role("columnheader", name="Monday").first).to_be_visible()
    expect(page.get_by_text("Stocktake").first).to_be_attached()
    assert_accessible(page)
    assert_fits(page)

    # The list view for one priority: headings by month and day, no table.
    page.get_by_label("Priority").select_option(label="Temporary Accommodation")
    page.get_by_label("List").check()
    page.get_by_role("button", name="Show events").click()
    expect(page.locator("table")).to_have_count(0)
    expect(page.get_by_role("heading", level=2).first).to_have_text(re.compile(r"^\w+ \d{4}$"))
    expect(page.get_by_role("heading", level=3).first).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^\d+ events? match"))
    assert_accessible(page)
    assert_fits(page)

    # The feed: started, read back by a calendar client (no session), then stopped.
    page.get_by_role("link", name="Get these dates in Outlook or another calendar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your calendar feed")
    assert_accessible(page)
    page.get_by_role("button", name="Start your calendar feed").click()
    address = page.get_by_label(re.compile("^Copy this address")).input_value()
    assert re.search(r"/forward-look/feed/\d+/[0-9a-f]{64}\.ics$", address)
    assert_accessible(page)
    assert_fits(page)

    client = page.context.browser.new_context()  # a calendar client: no session
    response = client.request.get(address)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(response.body()).walk("VEVENT")
    assert events and all("UID" in event and "DTSTAMP" in event for event in events)

    page.get_by_role("link", name="Stop your feed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop your calendar feed?")
    assert_accessible(page)
    assert_fits(page)
    page.get_by_role("button", name="Stop my feed").click()
    expect(page.get_by_text("Your calendar feed has stopped")).to_be_visible()
    assert client.request.get(address).status == 404
    assert not CalendarFeed.objects.filter(revoked_at__isnull=True).exists()
    client.close()


def test_a_lead_s_forward_look_has_no_stocktake(page: Page):
    sign_in(page, "lead")
    page.goto("/forward-look/?view=list")
    expect(page.get_by_role("heading", level=1)).to_have_text("Forward look")
    expect(page.locator("main")).not_to_contain_text("(Stocktake")
    assert_accessible(page)
    assert_fits(page)
