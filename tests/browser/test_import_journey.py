"""Importing actuals in Chromium: a lead uploads a CSV from their priority's page, checks the
preview (new, revised and unchanged rows, nothing saved yet) and confirms it; a file with bad rows
is refused with every problem listed by line. axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) and the
Content Security Policy are checked on every page visited and in the error state.

The rows are chosen from what the demo council holds for TA-01 when the test runs, so that the
test does not depend on the demo's dates or its random figures."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from priorities.indicators.imports import plain_number
from priorities.indicators.models import Actual, ActualImport, TrajectoryPoint
from priorities.indicators.periods import Periods
from tests.browser.accessibility import assert_accessible
from tests.browser.test_journeys import open_temporary_accommodation, sign_in

MONTHS = Periods.monthly()

pytestmark = pytest.mark.browser


def write_csv(tmp_path: Path, name: str, rows: list[tuple[str, str, str]]) -> Path:
    path = tmp_path / name
    lines = ["indicator,period,value"] + [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def open_import_page(page: Page, live_server) -> None:
    """From the Temporary Accommodation page, the way a lead finds the import."""
    sign_in(page, live_server, "lead")
    open_temporary_accommodation(page)
    page.get_by_role("link", name="Import data from a file").click()
    expect(page).to_have_url(f"{live_server.url}/priorities/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import data")
    assert_accessible(page)


def upload(page: Page, path: Path) -> None:
    page.get_by_label("Upload a file").set_input_files(path)
    page.get_by_role("button", name="Upload and preview").click()


def snapshot() -> tuple[dict, int]:
    """Every TA-01 value (with its version) and the number of history records of actuals."""
    values = {
        actual.period: (actual.value, actual.version)
        for actual in Actual.objects.filter(indicator__code="TA-01")
    }
    return values, Actual.history.count()


def summary_value(page: Page, key: str):
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=re.compile(f"^{key}$"))
    )
    return row.locator(".govuk-summary-list__value")


def test_lead_imports_a_csv_after_checking_its_preview(page, live_server, tmp_path):
    actuals = list(Actual.objects.filter(indicator__code="TA-01").order_by("period"))
    assert len(actuals) >= 2
    revised, unchanged = actuals[-1], actuals[-2]
    planned = TrajectoryPoint.objects.filter(indicator__code="TA-01").values_list(
        "period", flat=True
    )
    missing = sorted(set(planned) - {actual.period for actual in actuals})
    assert missing, "the demo's TA-01 trajectory should have a month with no actual"
    new_period = missing[0]
    new_value = Decimal("2875")
    revised_value = revised.value + 7
    path = write_csv(
        tmp_path,
        "ta-figures.csv",
        [
            ("TA-01", MONTHS.code(revised.period), plain_number(revised_value)),
            ("TA-01", MONTHS.code(new_period), plain_number(new_value)),
            ("TA-01", MONTHS.code(unchanged.period), plain_number(unchanged.value)),
        ],
    )
    before = snapshot()

    open_import_page(page, live_server)
    upload(page, path)

    expect(page).to_have_title(re.compile(r"^Check the import"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(summary_value(page, "New values")).to_have_text("1")
    expect(summary_value(page, "Revised values")).to_have_text("1")
    expect(summary_value(page, "Unchanged")).to_have_text("1")
    expect(page.get_by_text("Nothing has been saved yet.")).to_be_visible()
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#line-2")).to_contain_text(MONTHS.label(revised.period))
    expect(page.locator("#line-2")).to_contain_text(plain_number(revised.value, grouped=True))
    expect(page.locator("#line-2")).to_contain_text("Revised")
    expect(page.locator("#line-3")).to_contain_text(MONTHS.label(new_period))
    expect(page.locator("#line-3")).to_contain_text("New")
    expect(page.locator("#line-4")).to_contain_text("Unchanged")
    assert_accessible(page)
    # The preview writes nothing: the values, their versions and their history are as they were.
    assert snapshot() == before
    assert not Actual.objects.filter(indicator__code="TA-01", period=new_period).exists()
    assert ActualImport.objects.get().status == ActualImport.Status.PENDING

    page.get_by_role("button", name="Confirm and import").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Imported")
    expect(page.get_by_role("alert")).to_contain_text(
        "Imported ta-figures.csv: 1 new, 1 revised, 1 unchanged."
    )
    assert_accessible(page)
    stored = Actual.objects.get(indicator__code="TA-01", period=new_period)
    assert stored.value == new_value
    assert stored.entered_by.username == "lead"
    revised.refresh_from_db()
    assert revised.value == revised_value
    earlier = revised.history.exclude(history_id=revised.history.latest().history_id)
    assert earlier.filter(value=revised_value - 7).exists()
    assert revised.history.latest().history_change_reason == "Imported from ta-figures.csv"
    unchanged_version = unchanged.version
    unchanged.refresh_from_db()
    assert unchanged.version == unchanged_version


def test_lead_sees_every_bad_row_by_line_and_nothing_is_imported(page, live_server, tmp_path):
    latest = Actual.objects.filter(indicator__code="TA-01").latest("period")
    path = write_csv(
        tmp_path,
        "bad-figures.csv",
        [
            ("TA-01", MONTHS.code(latest.period), plain_number(latest.value + 1)),
            ("XX-99", "2025-01", "12"),
            ("TA-01", "2025-Q1", "2950"),
        ],
    )
    before = snapshot()

    open_import_page(page, live_server)
    upload(page, path)

    expect(page).to_have_title(re.compile(r"^Error: Check the import"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Nothing has been imported. Correct 2 problems")
    expect(summary.get_by_role("link")).to_have_count(2)
    expect(summary.get_by_role("link")).to_contain_text(
        [
            "Line 3: Unknown indicator code 'XX-99'",
            "Line 4: Period '2025-Q1' does not fit a monthly indicator: use YYYY-MM",
        ]
    )
    expect(summary).to_be_focused()
    expect(page.get_by_role("button", name="Confirm and import")).to_have_count(0)
    assert_accessible(page)
    assert snapshot() == before

    # The summary's link takes the lead to the upload, to send the corrected file.
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Upload a file")).to_be_focused()
