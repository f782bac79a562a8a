"""What each person owes, in Chromium: a lead sees an overdue figure leading their home page,
follows its link to the data grid and enters it there, and it is no longer owed; the same from
the weekly digest's link, opened from the email; the unit's page of what everyone owes.
axe-core (WCAG 2.2 AA) and the Content Security Policy checked on each page, and no page wider
than a 390 px or a 1280 px window.

The test builds its own council rather than the demo's, so that what is owed is known.
"""

import re
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from delivery_unit.models import Role, User
from priorities.indicators.models import Actual, Indicator
from priorities.indicators.periods import Periods
from priorities.models import Priority
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import RECORD_CSP_VIOLATIONS
from tests.browser.screens import overflow

pytestmark = pytest.mark.browser

MONTHS = Periods.monthly()
PASSWORD = "owed-test-password"
WIDTHS = (390, 1280)


@pytest.fixture
def council(transactional_db, settings) -> dict:
    """A lead whose indicator has its figure for three months ago and none since: the month
    before last is overdue."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    this_month = MONTHS.start(timezone.localdate())
    lead = User.objects.create_user(
        username="lead",
        password=PASSWORD,
        role=Role.PRIORITY_LEAD,
        first_name="Helen",
        last_name="Murray",
    )
    User.objects.create_user(
        username="analyst", password=PASSWORD, role=Role.UNIT_STAFF, first_name="Sam"
    )
    priority = Priority.objects.create(
        title="Temporary Accommodation",
        slug="temporary-accommodation",
        aspiration="Fewer households in temporary accommodation.",
        lead=lead,
        services="Housing Demand",
    )
    baseline = MONTHS.shift(this_month, -3)
    indicator = Indicator.objects.create(
        priority=priority,
        code="TA-01",
        name="Households in temporary accommodation",
        direction="lower",
        baseline_value=Decimal(3000),
        baseline_period=baseline,
        target_value=Decimal(2400),
        target_period=MONTHS.shift(this_month, 12),
        grace_days=5,
    )
    Actual.objects.create(indicator=indicator, period=baseline, value=Decimal(3000))
    return {"lead": lead, "indicator": indicator, "overdue": MONTHS.shift(this_month, -2)}


@pytest.fixture
def page(browser: Browser, live_server, council) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    yield context.new_page()
    context.close()


def sign_in(page: Page, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))


def assert_fits(page: Page) -> None:
    """No sideways scroll at a phone's width or a laptop's."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert overflow(page) == 0, f"{page.url} is wider than {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_lead_follows_an_overdue_figure_from_home_to_the_grid_and_enters_it(page, council):
    label = MONTHS.label(council["overdue"])
    what = f"Data for TA-01 Households in temporary accommodation, {label}"
    sign_in(page, "lead")

    # The home page leads with what they owe, the overdue figure first and marked in words.
    owed = page.locator("ul.app-owed > li")
    expect(page.get_by_role("heading", level=2).first).to_have_text("What you owe")
    expect(owed.first).to_contain_text("Overdue")
    expect(owed.first).to_contain_text(re.compile(r"\d+ working days? late"))
    assert_accessible(page)
    assert_fits(page)

    page.get_by_role("link", name=what).click()
    expect(page).to_have_url(re.compile(r"/priorities/temporary-accommodation/data/\?until="))
    cell = page.get_by_label(f"TA-01 Households in temporary accommodation, {label}", exact=True)
    cell.click()
    page.keyboard.type("2,950")
    page.keyboard.press("Tab")  # leaving the cell saves it
    expect(page.locator("#grid-status")).to_have_text(f"Saved TA-01, {label}: 2,950.")
    assert_accessible(page)
    assert Actual.objects.filter(period=council["overdue"], value=2950).exists()

    # Entered, it is no longer owed.
    page.goto("/")
    expect(page.get_by_role("link", name=what)).to_have_count(0)
    assert_accessible(page)


def test_the_unit_sees_what_everyone_owes_and_filters_it(page, council):
    sign_in(page, "analyst")
    page.get_by_role("link", name="What everyone owes").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What everyone owes")
    table = page.get_by_role("table", name="What everyone owes, soonest due first")
    expect(table.get_by_role("row")).to_have_count(3)  # the header and two months owed
    assert_accessible(page)
    assert_fits(page)

    page.get_by_label("Person", exact=True).select_option(label="Helen Murray")
    page.get_by_label("Service", exact=True).select_option("Housing Demand")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_contain_text("that match these filters")
    expect(table.get_by_role("row")).to_have_count(3)
    assert_accessible(page)
    assert_fits(page)


def test_a_lead_opens_the_digest_s_link_and_enters_the_overdue_figure(
    page, council, settings, live_server
):
    """The weekly digest, sent by send_reminders on its day, carries a link to where the
    overdue figure is entered: opened from the email (signed out, so through sign-in), it leads
    to the grid, and the figure entered there is no longer owed."""
    from django.core import mail

    from delivery_unit import workdays
    from rhythm.reminders import send_reminders

    lead = council["lead"]
    lead.email = "helen.murray@example.org"
    lead.save(update_fields=["email"])
    day = timezone.localdate()
    while not workdays.is_working_day(day):
        day += timedelta(days=1)
    settings.REMINDER_DIGEST_WEEKDAY = day.weekday()  # today is the digest's day
    settings.SITE_URL = live_server.url

    send_reminders(today=day)

    [digest] = [
        m for m in mail.outbox if m.to == [lead.email] and m.subject.startswith("Your week")
    ]
    label = MONTHS.label(council["overdue"])
    what = f"Data for TA-01 Households in temporary accommodation, {label}"
    lines = digest.body.splitlines()
    start = next(i for i, line in enumerate(lines) if what in line)
    link = next(line.strip() for line in lines[start:] if line.strip().startswith("http"))
    assert link.startswith(live_server.url), link

    page.goto(link)  # signed out: the sign-in page first, then where the link pointed
    page.get_by_label("User name").fill("lead")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/priorities/temporary-accommodation/data/"))
    cell = page.get_by_label(f"TA-01 Households in temporary accommodation, {label}", exact=True)
    cell.click()
    page.keyboard.type("2,950")
    page.keyboard.press("Tab")
    expect(page.locator("#grid-status")).to_have_text(f"Saved TA-01, {label}: 2,950.")
    assert_accessible(page)
    assert Actual.objects.filter(period=council["overdue"], value=2950).exists()
