"""The charts in Chromium: a leader reads a priority's indicators and one indicator's page; axe-core
(WCAG 2.0, 2.1 and 2.2, A and AA) finds nothing, the Content Security Policy is never broken (the
SVG is styled only with presentation attributes), and the data table opens from its details."""

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from delivery_unit.models import Role, User
from priorities.indicators.models import Indicator, TrajectoryPoint, record_actual
from priorities.models import Priority
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import RECORD_CSP_VIOLATIONS

pytestmark = pytest.mark.browser

PASSWORD = "chart-test-password"


@pytest.fixture
def council(transactional_db) -> User:
    """A leader, and a priority with a monthly indicator that has data, some of it provisional."""
    chief = User.objects.create_user(
        username="chief", password=PASSWORD, role=Role.LEADERSHIP, first_name="Chief"
    )
    priority = Priority.objects.create(
        title="Temporary Accommodation",
        slug="temporary-accommodation",
        aspiration="Fewer households in temporary accommodation.",
    )
    indicator = Indicator.objects.create(
        priority=priority,
        code="TA-01",
        name="Households in temporary accommodation",
        direction="lower",
        baseline_value=Decimal(3000),
        baseline_period=date(2025, 1, 1),
        target_value=Decimal(2450),
        target_period=date(2025, 12, 1),
        tolerance=Decimal(20),
    )
    TrajectoryPoint.objects.bulk_create(
        TrajectoryPoint(indicator=indicator, period=date(2025, m, 1), value=3050 - 50 * m)
        for m in range(1, 13)
    )
    for month, value in [(1, 2990), (2, 2980), (3, 2890), (5, 2800)]:
        record_actual(
            indicator, date(2025, month, 1), value=Decimal(value), by=chief, provisional=month == 5
        )
    Indicator.objects.create(
        priority=priority,
        code="TA-02",
        name="Homelessness preventions",
        direction="higher",
        baseline_value=Decimal(100),
        baseline_period=date(2025, 1, 1),
        target_value=Decimal(150),
        target_period=date(2025, 12, 1),
    )
    return chief


@pytest.fixture
def page(browser: Browser, live_server, council) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    yield context.new_page()
    context.close()


def test_leader_reads_the_indicators_charts_and_data(page: Page):
    page.goto("/sign-in/")
    page.get_by_label("User name").fill("chief")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))

    page.goto("/priorities/temporary-accommodation/")
    chart = page.get_by_role("img", name="TA-01 Households in temporary accommodation")
    expect(chart).to_be_visible()
    cards = page.locator(".govuk-summary-card")
    expect(cards.filter(has_text="TA-01").locator(".govuk-tag")).to_have_text(
        ["On trajectory", re.compile(r"^Data for Jun 2025 overdue: due \d+ \w+")]
    )
    expect(cards.filter(has_text="TA-02").locator(".govuk-tag")).to_have_text(
        ["No data", re.compile(r"^Data for Jan 2025 overdue: due \d+ \w+")]
    )
    assert_accessible(page)

    page.get_by_text("Show the data for TA-01 Households in temporary accommodation").click()
    table = page.get_by_role("table", name=re.compile("TA-01 .*planned and actual values"))
    expect(table.get_by_role("row", name=re.compile("May 2025"))).to_contain_text("Yes")
    assert_accessible(page)

    page.get_by_role("link", name="Data and history for TA-01").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Households in temporary accommodation"
    )
    expect(page.get_by_role("img", name=re.compile("TA-01"))).to_be_visible()
    expect(page.get_by_role("heading", name="Changes to the data")).to_be_visible()
    assert_accessible(page)
