"""The data grid in Chromium: a lead types a month of figures by keyboard, each cell saved by htmx
as it is left, with axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) and the Content Security Policy
checked on the page, after every swap and in the error state.

The test builds its own council (a lead, a priority, three monthly indicators with trajectories
around this month) rather than the demo's, so that it does not depend on what the demo holds.
"""

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from delivery_unit.models import Role, User
from priorities.indicators.models import Actual, Indicator, TrajectoryPoint, record_actual
from priorities.indicators.periods import Periods
from priorities.models import Priority
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import RECORD_CSP_VIOLATIONS

MONTHS = Periods.monthly()

pytestmark = pytest.mark.browser

PASSWORD = "grid-test-password"
INDICATORS = [
    ("TA-01", "Households in temporary accommodation", 3000),
    ("TA-02", "Families in bed and breakfast over six weeks", 60),
    ("TA-03", "Homelessness preventions", 120),
]


@pytest.fixture
def council(transactional_db) -> dict:
    """A lead and their priority, with three monthly indicators planned around this month."""
    this_month = MONTHS.start(timezone.localdate())
    lead = User.objects.create_user(
        username="lead",
        password=PASSWORD,
        role=Role.PRIORITY_LEAD,
        first_name="Helen",
        last_name="Murray",
        job_title="Director of Housing Demand",
    )
    priority = Priority.objects.create(
        title="Temporary Accommodation",
        slug="temporary-accommodation",
        aspiration="Fewer households in temporary accommodation.",
        lead=lead,
    )
    periods = [MONTHS.shift(this_month, n) for n in range(-24, 13)]
    for position, (code, name, start) in enumerate(INDICATORS):
        indicator = Indicator.objects.create(
            priority=priority,
            code=code,
            name=name,
            direction="lower" if code != "TA-03" else "higher",
            baseline_value=Decimal(start),
            baseline_period=periods[0],
            target_value=Decimal(start * 0.8),
            target_period=periods[-1],
            tolerance=Decimal(start // 100),
            position=position,
        )
        step = Decimal(start) / 5 / (len(periods) - 1) * (1 if code == "TA-03" else -1)
        TrajectoryPoint.objects.bulk_create(
            TrajectoryPoint(indicator=indicator, period=period, value=round(start + step * n))
            for n, period in enumerate(periods)
        )
    return {"lead": lead, "priority": priority, "this_month": this_month}


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


def cell(page: Page, code: str, month: date):
    name = dict((c, n) for c, n, _ in INDICATORS)[code]
    return page.get_by_label(f"{code} {name}, {MONTHS.label(month)}", exact=True)


def test_lead_types_a_month_of_figures_by_keyboard_each_saved_as_it_is_left(page, council):
    month = MONTHS.shift(council["this_month"], -1)
    label = MONTHS.label(month)
    status = page.locator("#grid-status")
    sign_in(page, "lead")
    page.goto(council["priority"].get_absolute_url())
    page.get_by_role("link", name="Enter or view data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter or view data")
    assert_accessible(page)
    # A full page load would wipe this marker; htmx swaps keep it.
    page.evaluate("() => { window.__samePage = true; }")

    # Enter moves down the column, as in a spreadsheet; leaving a cell saves it.
    cell(page, "TA-01", month).click()
    page.keyboard.type("2,880")
    page.keyboard.press("Enter")
    expect(cell(page, "TA-02", month)).to_be_focused()
    expect(status).to_have_text(f"Saved TA-01, {label}: 2,880.")
    assert_accessible(page)

    page.keyboard.type("55")
    page.keyboard.press("ArrowDown")
    expect(cell(page, "TA-03", month)).to_be_focused()
    expect(status).to_have_text(f"Saved TA-02, {label}: 55.")
    assert_accessible(page)

    # Right at the end of the text moves along the row; Left at its start moves back.
    page.keyboard.type("131")
    page.keyboard.press("ArrowRight")
    expect(cell(page, "TA-03", council["this_month"])).to_be_focused()
    expect(status).to_have_text(f"Saved TA-03, {label}: 131.")
    page.keyboard.press("ArrowLeft")
    expect(cell(page, "TA-03", month)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(cell(page, "TA-02", month)).to_be_focused()
    assert_accessible(page)

    # A figure that is not a number: the message beside the cell, announced, nothing saved.
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowLeft")  # the whole figure is selected on arrival: Left moves on
    earlier = MONTHS.shift(month, -1)
    expect(cell(page, "TA-01", earlier)).to_be_focused()
    page.keyboard.type("about 2,900")
    page.keyboard.press("Enter")
    expect(status).to_have_text(
        f"TA-01, {MONTHS.label(earlier)} not saved. Enter a number, like 312 or 95.5"
    )
    bad = cell(page, "TA-01", earlier)
    expect(bad).to_have_value("about 2,900")
    expect(bad).to_have_attribute("aria-invalid", "true")
    expect(bad).to_have_accessible_description(re.compile("Enter a number, like 312 or 95.5"))
    assert_accessible(page)

    # Corrected, it saves, and the message goes.
    bad.fill("2905")
    page.keyboard.press("Enter")
    expect(status).to_have_text(f"Saved TA-01, {MONTHS.label(earlier)}: 2,905.")
    expect(cell(page, "TA-01", earlier)).not_to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    assert page.evaluate("() => window.__samePage") is True

    page.reload()
    # Saved figures read as the plan beside them does: thousands separated.
    expect(cell(page, "TA-01", month)).to_have_value("2,880")
    expect(cell(page, "TA-02", month)).to_have_value("55")
    expect(cell(page, "TA-03", month)).to_have_value("131")
    expect(cell(page, "TA-01", earlier)).to_have_value("2,905")
    assert_accessible(page)
    assert sorted(Actual.objects.values_list("indicator__code", "value")) == [
        ("TA-01", 2880),
        ("TA-01", 2905),
        ("TA-02", 55),
        ("TA-03", 131),
    ]


def test_without_javascript_the_grid_is_one_form_saved_all_or_nothing(
    browser, live_server, council
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    month = MONTHS.shift(council["this_month"], -1)
    sign_in(page, "lead")
    page.goto("/priorities/temporary-accommodation/data/")

    cell(page, "TA-01", month).fill("2880")
    cell(page, "TA-02", month).fill("fifty")
    page.get_by_role("button", name="Save all changes").click()

    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    link = summary.get_by_role(
        "link", name=f"TA-02, {MONTHS.label(month)}: Enter a number, like 312 or 95.5"
    )
    expect(link).to_be_visible()
    expect(cell(page, "TA-01", month)).to_have_value("2880")
    expect(cell(page, "TA-02", month)).to_have_value("fifty")
    assert not Actual.objects.exists()
    assert_accessible(page)

    link.click()
    expect(cell(page, "TA-02", month)).to_be_focused()
    cell(page, "TA-02", month).fill("55")
    page.get_by_role("button", name="Save all changes").click()

    expect(page.get_by_role("alert")).to_contain_text("2 values saved.")
    expect(cell(page, "TA-01", month)).to_have_value("2,880")
    expect(cell(page, "TA-02", month)).to_have_value("55")
    assert_accessible(page)
    context.close()


def test_a_lead_told_someone_saved_first_keeps_their_figure_and_saves_it_with_enter(page, council):
    month = MONTHS.shift(council["this_month"], -1)
    label = MONTHS.label(month)
    status = page.locator("#grid-status")
    sign_in(page, "lead")
    page.goto("/priorities/temporary-accommodation/data/")
    # Kim, in the unit, saves the same cell after the lead's page was drawn.
    kim = User.objects.create(username="kim", first_name="Kim", role=Role.UNIT_STAFF)
    indicator = Indicator.objects.get(code="TA-01")
    record_actual(indicator, month, value=Decimal(2870), by=kim)

    cell(page, "TA-01", month).click()
    page.keyboard.type("2880")
    page.keyboard.press("Enter")

    expect(status).to_contain_text(
        re.compile(r"Kim saved 2,870 here at \d\d:\d\d while you were typing; your 2,880")
    )
    expect(cell(page, "TA-01", month)).to_have_value("2880")
    expect(cell(page, "TA-01", month)).to_have_attribute("aria-invalid", "true")
    assert Actual.objects.get().value == 2870
    assert_accessible(page)

    # Having seen Kim's figure, the lead goes back and presses Enter: theirs is saved.
    page.keyboard.press("ArrowUp")
    expect(cell(page, "TA-01", month)).to_be_focused()
    page.keyboard.press("Enter")

    expect(status).to_have_text(f"Saved TA-01, {label}: 2,880.")
    assert [a.value for a in Actual.history.order_by("history_date")] == [2870, 2880]
    assert_accessible(page)


IN_VIEW = """(input) => {
  const cell = input.closest("td").getBoundingClientRect();
  const region = input.closest(".app-grid").getBoundingClientRect();
  return cell.left >= region.left && cell.right <= region.right + 1;
}"""


def test_a_refused_figure_is_kept_in_view_with_its_message(page, council):
    """On a narrow window the grid scrolls sideways: sent back with a bad figure in its oldest
    month, the page opens that table at the refused cell, not at the latest months."""
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(page, "lead")
    page.goto("/priorities/temporary-accommodation/data/")
    oldest = MONTHS.shift(council["this_month"], -11)
    bad = cell(page, "TA-02", oldest)
    assert not bad.evaluate(IN_VIEW), "the grid opens at its latest months"
    # Typed without leaving the cell (no htmx save), then the whole grid sent, as by a script.
    bad.evaluate("(input) => { input.value = 'fifty'; input.form.submit(); }")

    expect(page).to_have_title(re.compile(r"^Error: "))
    bad = cell(page, "TA-02", oldest)
    expect(bad).to_have_attribute("aria-invalid", "true")
    assert bad.evaluate(IN_VIEW), "the refused cell is scrolled into view"
    message = page.locator(".app-grid__cell--error .govuk-error-message")
    expect(message).to_be_in_viewport()
    assert_accessible(page)
