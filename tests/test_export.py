"""Exporting actuals as CSV and XLSX in exactly the import's format: export then import changes
nothing, and no cell runs as a formula when the file is opened in a spreadsheet."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from delivery_unit.tables import guard, unguard
from priorities.indicators.imports import COLUMNS, apply_import, read_file
from priorities.indicators.models import Actual, Indicator, record_actual


def export_url(priority=None, file_format: str = "csv") -> str:
    if priority is None:
        return reverse("priorities:export_all_data") + f"?format={file_format}"
    return reverse("priorities:export_data", kwargs={"slug": priority.slug}) + (
        f"?format={file_format}"
    )


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def recorded(indicator, unit_staff) -> Indicator:
    """Three months of TA-01, one of them provisional, with awkward text."""
    for month, value, extra in (
        (1, "2990", {"source": "Housing system", "as_at": date(2025, 2, 5)}),
        (2, "2950.25", {"note": '=HYPERLINK("http://example.org")', "provisional": True}),
        (3, "2900", {"note": "'quoted', with a comma\nand a new line; £ sign", "source": "-"}),
    ):
        record_actual(
            indicator,
            date(2025, month, 1),
            value=Decimal(value),
            by=unit_staff,
            version=None,
            **extra,
        )
    return indicator


@pytest.fixture
def other_recorded(other_priority, unit_staff) -> Indicator:
    indicator = Indicator.objects.create(
        priority=other_priority,
        code="CT-01",
        name="In-year collection rate",
        unit="percentage",
        decimal_places=1,
        direction="higher",
        frequency="quarterly",
        baseline_value=Decimal(94),
        baseline_period=date(2025, 1, 1),
        target_value=Decimal(96),
        target_period=date(2026, 10, 1),
    )
    record_actual(indicator, date(2025, 4, 1), value=Decimal("95.1"), by=unit_staff, version=None)
    return indicator


def test_a_priority_exports_as_csv_in_the_import_format(client_for, leadership, priority, recorded):
    response = client_for(leadership).get(export_url(priority))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="temporary-accommodation-data-{today:%Y-%m-%d}.csv"'
    )
    rows = csv_rows(response)
    assert rows[0] == list(COLUMNS)
    assert rows[1] == ["TA-01", "2025-01", "2990", "Housing system", "2025-02-05", "no", ""]
    assert rows[2][:6] == ["TA-01", "2025-02", "2950.25", "", "", "yes"]


def test_text_that_would_run_as_a_formula_is_quoted(client_for, unit_staff, priority, recorded):
    rows = csv_rows(client_for(unit_staff).get(export_url(priority)))
    assert rows[2][6] == '\'=HYPERLINK("http://example.org")'
    assert rows[3][3] == "'-"
    assert rows[3][6] == "''quoted', with a comma\nand a new line; £ sign"


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-1", "@SUM(A1)", "'=1", "'", "''", "plain", "'plain", "", "\tx"]
)
def test_guard_and_unguard_give_back_the_text(text):
    guarded = guard(text)
    assert not guarded.startswith(("=", "+", "-", "@", "\t"))
    assert unguard(guarded) == text


def test_all_data_exports_every_priority(client_for, priority_lead, recorded, other_recorded):
    response = client_for(priority_lead).get(export_url())
    rows = csv_rows(response)
    assert [row[:3] for row in rows[1:]] == [
        ["CT-01", "2025/26 Q1", "95.1"],
        ["TA-01", "2025-01", "2990"],
        ["TA-01", "2025-02", "2950.25"],
        ["TA-01", "2025-03", "2900"],
    ]
    assert "all-priorities-data-" in response["Content-Disposition"]


def test_xlsx_export_holds_numbers_and_text(client_for, unit_staff, priority, recorded):
    response = client_for(unit_staff).get(export_url(priority, "xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert rows[1][:3] == ("TA-01", "2025-01", 2990)
    assert rows[2][2] == pytest.approx(2950.25)
    assert rows[2][6] == '\'=HYPERLINK("http://example.org")'


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(
    client_for, unit_staff, priority, recorded, other_recorded, file_format
):
    for url, exported_count in (
        (export_url(priority, file_format), 3),
        (export_url(None, file_format), 4),
    ):
        exported = client_for(unit_staff).get(url).content
        history = Actual.history.count()

        plan = apply_import(read_file(exported), unit_staff, filename=f"export.{file_format}")

        assert plan.problems == []
        assert plan.counts == {"new": 0, "revised": 0, "unchanged": exported_count}
        assert Actual.history.count() == history


def test_a_round_trip_after_a_change_revises_only_that_value(
    client_for, unit_staff, priority, recorded
):
    exported = client_for(unit_staff).get(export_url(priority)).content.decode("utf-8-sig")
    changed = exported.replace("TA-01,2025-01,2990,", "TA-01,2025-01,2985,")

    plan = apply_import(read_file(changed.encode()), unit_staff, filename="changed.csv")

    assert plan.counts == {"new": 0, "revised": 1, "unchanged": 2}
    january = recorded.actuals.get(period=date(2025, 1, 1))
    assert january.value == Decimal(2985)
    assert [h.value for h in january.history.order_by("history_date")] == [
        Decimal(2990),
        Decimal(2985),
    ]


def test_a_control_character_in_a_note_does_not_break_the_xlsx_export(
    client_for, unit_staff, priority, indicator
):
    record_actual(
        indicator, date(2025, 1, 1), value=Decimal(1), by=unit_staff, version=None, note="a\x08b"
    )
    response = client_for(unit_staff).get(export_url(priority, "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    assert list(sheet.iter_rows(values_only=True))[1][6] == "ab"


def test_an_unknown_format_is_not_found(client_for, unit_staff, priority):
    assert client_for(unit_staff).get(export_url(priority, "pdf")).status_code == 404
    assert client_for(unit_staff).get(export_url(None, "")).status_code == 404


def test_a_priority_with_no_data_exports_the_header(client_for, unit_staff, priority):
    assert csv_rows(client_for(unit_staff).get(export_url(priority))) == [list(COLUMNS)]


def test_export_query_count_does_not_grow_with_the_data(
    client_for, unit_staff, priority, indicator
):
    counts = []
    for months in (2, 12):
        Actual.objects.bulk_create(
            Actual(indicator=indicator, period=date(2025, m, 1), value=m)
            for m in range(1, months + 1)
            if not Actual.objects.filter(indicator=indicator, period=date(2025, m, 1)).exists()
        )
        with CaptureQueriesContext(connection) as queries:
            response = client_for(unit_staff).get(export_url(priority))
        assert len(csv_rows(response)) == months + 1
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_xlsx_export_writes_quarters_of_the_councils_year(
    client_for, unit_staff, other_priority, other_recorded
):
    response = client_for(unit_staff).get(export_url(other_priority, "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[1][:2] == ["CT-01", "2025/26 Q1"]
