"""The cabinet member's and the service staff's start pages on the demo council, in Chromium,
axe-core and the Content Security Policy checked on each page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.test_people_journey import sign_in

pytestmark = pytest.mark.browser


def test_a_cabinet_member_starts_from_her_portfolio(page):
    sign_in(page, "cabinet")
    expect(page.get_by_role("heading", name="Your portfolio")).to_be_visible()
    portfolio = page.locator("ul.govuk-list").first
    expect(portfolio.get_by_role("link", name="Temporary Accommodation")).to_be_visible()
    expect(page.get_by_role("heading", name="Decisions at stocktakes")).to_be_visible()
    expect(page.get_by_role("link", name="Stocktakes", exact=True)).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Temporary Accommodation").first.click()
    expect(page.locator("#main-content").get_by_text("Cllr Ruth Okonjo")).to_be_visible()
    assert_accessible(page)


def test_service_staff_start_from_the_data_they_enter_and_the_plan_they_write(page):
    sign_in(page, "officer")
    expect(page.get_by_role("heading", name="Priorities you enter data for")).to_be_visible()
    expect(page.get_by_role("heading", name="Delivery plans you write")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Temporary Accommodation: data")).click()
    expect(page).to_have_url(re.compile(r"/priorities/temporary-accommodation/data/"))
    assert_accessible(page)
