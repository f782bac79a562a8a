"""Importing actuals from CSV and XLSX: one code path for the browser and the command. Every bad
row is reported with its line number and reason and then nothing is written; a good file is
previewed (new, revised, unchanged) before anything is written and applied all or nothing;
importing the same file twice changes nothing."""

import csv
import io
import time
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from delivery_unit.models import Role, User
from delivery_unit.versioning import Stale
from priorities.indicators import imports
from priorities.indicators.imports import (
    ImportFileError,
    ImportRefused,
    apply_import,
    plan_import,
    read_file,
)
from priorities.indicators.models import Actual, ActualImport, Indicator, record_actual
from priorities.models import Priority

HEADER = "indicator,period,value,source,as_at,provisional,note"


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def xlsx_file(*rows: list, header: list | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or HEADER.split(","))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def problems(data: bytes, user=None) -> list[str]:
    return [str(problem) for problem in plan_import(read_file(data), user).problems]


def file_error(data: bytes) -> str:
    with pytest.raises(ImportFileError) as error:
        read_file(data)
    return str(error.value)


def make_indicator(priority, code: str, frequency: str = "monthly", **extra) -> Indicator:
    return Indicator.objects.create(
        priority=priority,
        code=code,
        name=f"Indicator {code}",
        direction="lower",
        frequency=frequency,
        baseline_value=Decimal(100),
        baseline_period=date(2024, 1, 1),
        target_value=Decimal(50),
        target_period=date(2026, 1, 1),
        **extra,
    )


@pytest.fixture
def quarterly(priority) -> Indicator:
    return make_indicator(priority, "TA-02", "quarterly")


@pytest.fixture
def other_indicator(other_priority) -> Indicator:
    return make_indicator(other_priority, "CT-01")


@pytest.fixture
def service_officer(priority) -> User:
    officer = User.objects.create(username="officer", role=Role.PRIORITY_LEAD)
    priority.service_staff.add(officer)
    return officer


def values() -> dict[tuple[str, str], Decimal]:
    return {
        (a.indicator.code, f"{a.period:%Y-%m}"): a.value
        for a in Actual.objects.select_related("indicator")
    }


# Every reason a row is refused, with its line number


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("XX-99,2025-01,1,,,,", "Line 3: Unknown indicator code 'XX-99'"),
        (",2025-01,1,,,,", "Line 3: Enter the indicator code"),
        ("TA-01,,1,,,,", "Line 3: Enter the period"),
        (
            "TA-01,2025-Q1,1,,,,",
            "Line 3: Period '2025-Q1' does not fit a monthly indicator: use YYYY-MM",
        ),
        ("TA-01,2025-13,1,,,,", "Line 3: Period '2025-13' has no month 13"),
        ("TA-01,01/2025,1,,,,", "Line 3: Period '01/2025' does not fit a monthly indicator"),
        ("TA-01,2025-01,,,,,", "Line 3: Enter a value"),
        ("TA-01,2025-01,abc,,,,", "Line 3: Value 'abc' is not a number"),
        ("TA-01,2025-01,NaN,,,,", "Line 3: Value 'NaN' is not a number"),
        ("TA-01,2025-01,inf,,,,", "Line 3: Value 'inf' is not a number"),
        ("TA-01,2025-01,Infinity,,,,", "Line 3: Value 'Infinity' is not a number"),
        ("TA-01,2025-01,1e5,,,,", "Line 3: Value '1e5' is not a number"),
        ('TA-01,2025-01,"1,2",,,,', "Line 3: Value '1,2' is not a number"),
        ("TA-01,2025-01,12%,,,,", "Line 3: Value '12%' is not a number"),
        ("TA-01,2025-01,1.23456,,,,", "Line 3: Value '1.23456' has more than 4 decimal places"),
        (
            "TA-01,2025-01,1234567890123,,,,",
            "Line 3: Value '1234567890123' is too large: it can have at most 12 digits",
        ),
        ("TA-01,2025-01,1,,31/03/2025,,", "Line 3: As at date '31/03/2025' must be a real date"),
        ("TA-01,2025-01,1,,2025-02-30,,", "Line 3: As at date '2025-02-30' must be a real date"),
        ("TA-01,2025-01,1,,,maybe,", "Line 3: Provisional must be yes or no, not 'maybe'"),
        (f"TA-01,2025-01,1,{'x' * 301},,,", "Line 3: Source must be 300 characters or fewer"),
        ("TA-01,2025-01,1,,,,,surplus", "Line 3: The row has 8 cells but the header row names 7"),
    ],
)
def test_each_bad_row_is_reported_with_its_line_and_reason(indicator, row, reason):
    found = problems(csv_file("TA-01,2024-12,2000,,,,", row))
    assert len(found) == 1
    assert found[0].startswith(reason), found


def test_a_quarterly_or_annual_period_must_fit_the_indicator(indicator, quarterly, priority):
    make_indicator(priority, "TA-03", "annual")
    found = problems(
        csv_file(
            "TA-02,2025/26 Q1,1,,,,",
            "TA-02,2025-04,1,,,,",
            "TA-03,2025/26,1,,,,",
            "TA-03,2025-Q1,1,,,,",
            "TA-01,2025,1,,,,",
            "TA-03,2025,1,,,,",
            "TA-02,2025/27 Q2,1,,,,",
        )
    )
    assert found == [
        "Line 3: Period '2025-04' does not fit a quarterly indicator: use YYYY/YY Qn, for "
        "example 2025/26 Q1 (April to June 2025)",
        "Line 5: Period '2025-Q1' does not fit an annual indicator: use YYYY/YY, for example "
        "2025/26 (April 2025 to March 2026)",
        "Line 6: Period '2025' does not fit a monthly indicator: use YYYY-MM, for example 2025-04",
        "Line 7: Period '2025' does not fit an annual indicator: use YYYY/YY, for example "
        "2025/26 (April 2025 to March 2026)",
        "Line 8: Period '2025/27 Q2' is not a year: write the year it starts and the next, like "
        "2025/26",
    ]


def test_a_row_in_the_file_twice_names_the_earlier_line(indicator):
    found = problems(csv_file("TA-01,2025-01,1,,,,", "TA-01,2025-02,1,,,,", "TA-01,2025-01,2,,,,"))
    assert found == ["Line 4: TA-01 2025-01 is in the file more than once: first on line 2"]


def test_every_bad_row_is_listed_not_only_the_first(indicator):
    found = problems(
        csv_file("XX-1,2025-01,1,,,,", "TA-01,2025-02,1,,,,", "TA-01,2025-03,x,,,maybe,")
    )
    assert found == [
        "Line 2: Unknown indicator code 'XX-1'",
        "Line 4: Value 'x' is not a number: write it like 1234.5 or 1,234.5",
        "Line 4: Provisional must be yes or no, not 'maybe'",
    ]


def test_line_numbers_are_lines_of_the_file(indicator):
    data = (
        f"{HEADER}\n"
        "\n"  # a blank line is skipped but counted
        'TA-01,2025-01,1,,,,"a note\nover two lines"\n'
        "TA-01,2025-02,oops,,,,\n"
    ).encode()
    assert problems(data) == [
        "Line 5: Value 'oops' is not a number: write it like 1234.5 or 1,234.5"
    ]


def test_rows_for_a_priority_the_user_does_not_enter_data_for_are_refused(
    indicator, other_indicator, other_lead
):
    found = problems(csv_file("CT-01,2025-01,1,,,,", "TA-01,2025-01,1,,,,"), other_lead)
    assert found == ["Line 3: You may not enter data for TA-01"]


def test_a_value_refused_for_permission_says_so_and_nothing_else(priority, other_lead):
    make_indicator(priority, "TA-05", unit="percentage", decimal_places=1)

    found = problems(csv_file("TA-05,2025-01,95.5%,,,,"), other_lead)

    assert found == ["Line 2: You may not enter data for TA-05"]


def test_lead_service_staff_and_unit_staff_may_import_for_the_priority(
    indicator, priority_lead, service_officer, unit_staff, leadership
):
    data = csv_file("TA-01,2025-01,1,,,,")
    for user in (priority_lead, service_officer, unit_staff):
        assert problems(data, user) == []
    assert problems(data, leadership) == ["Line 2: You may not enter data for TA-01"]


# Whole-file refusals


def test_file_level_errors_say_what_is_wrong(indicator):
    assert file_error(b"") == "The selected file is empty"
    assert file_error(b"\n\n  \n") == "The selected file is empty"
    assert file_error(b",,,\n") == "The selected file is empty"
    assert file_error(HEADER.encode()) == ("The file has a header row but no rows of data under it")
    assert file_error(b"indicator,period\nTA-01,2025-01\n") == (
        "The header row has no value column: the first row must name the columns, and "
        "indicator, period, value are required"
    )
    assert file_error(b"TA-01,2025-01,1\n").startswith(
        "The header row has 'ta_01', which is not a column the import knows"
    )
    assert file_error(b"indicator,period,value,value\nTA-01,2025-01,1,2\n") == (
        "The header row has the column value more than once"
    )


def test_a_file_that_is_not_csv_or_xlsx_is_refused_by_its_content():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    assert "neither an Excel workbook nor text saved as UTF-8" in file_error(png)
    assert "must be a CSV or an Excel (XLSX) file" in file_error(b"indicator\x00,period\n")
    latin1 = "indicator,period,value,note\nTA-01,2025-01,1,caf\xe9\n".encode("latin-1")
    assert "neither an Excel workbook nor text saved as UTF-8" in file_error(latin1)
    assert file_error(b"PK\x03\x04 not really a zip") == (
        "The selected file is not an Excel (XLSX) file that can be read"
    )
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert file_error(other_zip.getvalue()) == (
        "The selected file is not an Excel (XLSX) file that can be read"
    )


def test_a_csv_with_an_xlsx_name_is_read_as_csv_and_the_other_way_round(indicator):
    # The name plays no part: read_file is given bytes only.
    assert read_file(csv_file("TA-01,2025-01,1,,,,")).rows == [[2, "TA-01", "2025-01", "1"]]
    assert read_file(xlsx_file(["TA-01", "2025-01", 1])).rows == [[2, "TA-01", "2025-01", "1"]]


def test_a_file_too_big_or_too_long_is_refused():
    big = HEADER.encode() + b"\n" + b"x" * imports.MAX_BYTES
    assert file_error(big) == "The selected file must be smaller than 5MB"
    rows = "TA-01,2025-01,1\n" * (imports.MAX_ROWS + 1)
    assert file_error(f"indicator,period,value\n{rows}".encode()) == (
        "The file has more than 50,000 rows of data: split it into smaller files"
    )


def test_unreadable_csv_gives_its_line():
    data = b"indicator,period,value,note\nTA-01,2025-01,1," + b"x" * 200_000 + b"\n"
    assert file_error(data).startswith("Line 2 cannot be read as CSV")


# What is accepted


def test_accepts_what_people_write(indicator, unit_staff):
    data = (
        "\ufeffIndicator, Period ,VALUE,As at,Provisional,Note\r\n"
        'TA-01,2025-01,"1,234.5",2025-02-03,Yes,\r\n'
        "TA-01,2025-02,-3,,true,\r\n"
        "TA-01,2025-03,2950.0000,,1,\r\n"
        "TA-01,2025-04,.5,,no,\r\n"
        "TA-01,2025-05,2000,,FALSE,\r\n"
        "TA-01,2025-06,2000,,0,\r\n"
        "TA-01,2025-07,2000,,,\r\n"
        "TA-01,2025-08,\u22125,,N,\r\n"
    ).encode()
    plan = apply_import(read_file(data), unit_staff, filename="people.csv")
    assert plan.counts == {"new": 8, "revised": 0, "unchanged": 0}
    actuals = {a.period.month: a for a in indicator.actuals.all()}
    assert actuals[1].value == Decimal("1234.5")
    assert actuals[1].as_at == date(2025, 2, 3)
    assert [actuals[m].provisional for m in range(1, 9)] == [True, True, True] + [False] * 5
    assert actuals[2].value == Decimal(-3)
    assert actuals[4].value == Decimal("0.5")
    assert actuals[8].value == Decimal(-5)


def test_percentage_and_money_values_as_a_spreadsheet_saves_them(priority, unit_staff):
    make_indicator(priority, "TA-05", unit="percentage", decimal_places=1)
    make_indicator(priority, "TA-06", unit="money")
    data = csv_file(
        "TA-05,2025-01,95.5%,,,,", 'TA-06,2025-01,"£1,200",,,,', "TA-06,2025-02,-£5,,,,"
    )
    apply_import(read_file(data), unit_staff, filename="money.csv")
    assert values() == {
        ("TA-05", "2025-01"): Decimal("95.5"),
        ("TA-06", "2025-01"): Decimal(1200),
        ("TA-06", "2025-02"): Decimal(-5),
    }


def test_xlsx_is_read_like_csv_with_typed_cells(priority, indicator, unit_staff):
    make_indicator(priority, "TA-05", unit="percentage")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Indicator", "Period", "Value", "As at", "Provisional", "Note"])
    sheet.append(["TA-01", "2025-01", 2950, datetime(2025, 2, 10), True, "From the system"])
    # Excel turns a typed 2025-02 into 1 February 2025, and 0.1 + 0.2 into 0.3.
    sheet.append(["TA-01", datetime(2025, 2, 1), 0.1 + 0.2, None, False, None])
    sheet.append([])
    sheet.append(["TA-05", "2025-01", 0.955])
    sheet["C5"].number_format = "0.0%"
    sheet.append(["TA-01", "2025-03", "not a number"])
    out = io.BytesIO()
    workbook.save(out)

    upload = read_file(out.getvalue())
    assert [str(p) for p in plan_import(upload, unit_staff).problems] == [
        "Line 6: Value 'not a number' is not a number: write it like 1234.5 or 1,234.5"
    ]
    upload.rows.pop()
    apply_import(upload, unit_staff, filename="book.xlsx")
    january = indicator.actuals.get(period=date(2025, 1, 1))
    assert (january.value, january.as_at, january.provisional, january.note) == (
        Decimal(2950),
        date(2025, 2, 10),
        True,
        "From the system",
    )
    assert values()[("TA-01", "2025-02")] == Decimal("0.3")
    assert values()[("TA-05", "2025-01")] == Decimal("95.5")


def test_xlsx_rows_past_a_wrong_stated_dimension_are_read(indicator):
    data = xlsx_file(*[["TA-01", f"2025-{m:02}", m] for m in range(1, 13)])
    assert len(read_file(data).rows) == 12


# Preview and apply


def test_plan_says_new_revised_and_unchanged_and_writes_nothing(indicator, unit_staff):
    record_actual(indicator, date(2025, 1, 1), value=Decimal(2990), by=unit_staff, version=None)
    record_actual(indicator, date(2025, 2, 1), value=Decimal(2950), by=unit_staff, version=None)
    before = Actual.history.count()

    plan = plan_import(
        read_file(
            csv_file(
                "TA-01,2025-01,2990,,,no,", "TA-01,2025-02,2940,,,no,", "TA-01,2025-03,2900,,,no,"
            )
        ),
        unit_staff,
    )

    assert [(row.line, row.change, row.previous, row.value) for row in plan.rows] == [
        (2, "unchanged", "2,990", "2,990"),
        (3, "revised", "2,950", "2,940"),
        (4, "new", "", "2,900"),
    ]
    assert plan.rows[1].changed == ["value"]
    assert plan.counts == {"new": 1, "revised": 1, "unchanged": 1}
    assert indicator.actuals.count() == 2
    assert Actual.history.count() == before


def test_a_revised_value_keeps_the_earlier_one_in_its_history(indicator, unit_staff, priority_lead):
    record_actual(indicator, date(2025, 1, 1), value=Decimal(2990), by=unit_staff, version=None)

    apply_import(
        read_file(csv_file("TA-01,2025-01,2985,Revised return,,no,")),
        priority_lead,
        filename="march.csv",
    )

    actual = indicator.actuals.get()
    assert (actual.value, actual.source, actual.version, actual.entered_by) == (
        Decimal(2985),
        "Revised return",
        2,
        priority_lead,
    )
    history = list(actual.history.order_by("history_date", "history_id"))
    assert [h.value for h in history] == [Decimal(2990), Decimal(2985)]
    assert history[-1].history_user == priority_lead
    assert history[-1].history_change_reason == "Imported from march.csv"
    assert history[-1].history_type == "~"


def test_importing_the_same_file_twice_changes_nothing_the_second_time(indicator, unit_staff):
    data = csv_file(
        "TA-01,2025-01,2990,Housing system,2025-02-05,yes,First figure",
        "TA-01,2025-02,2950,,,no,",
    )
    first = apply_import(read_file(data), unit_staff, filename="a.csv")
    history = Actual.history.count()
    second = apply_import(read_file(data), unit_staff, filename="a.csv")

    assert first.counts == {"new": 2, "revised": 0, "unchanged": 0}
    assert second.counts == {"new": 0, "revised": 0, "unchanged": 2}
    assert Actual.history.count() == history
    assert not second.has_changes


def test_a_bad_row_means_nothing_at_all_is_written(indicator, unit_staff):
    record_actual(indicator, date(2025, 1, 1), value=Decimal(2990), by=unit_staff, version=None)
    data = csv_file("TA-01,2025-01,1,,,,", "TA-01,2025-02,2,,,,", "TA-01,2025-03,three,,,,")

    with pytest.raises(ImportRefused) as refused:
        apply_import(read_file(data), unit_staff, filename="bad.csv")

    assert [str(p) for p in refused.value.plan.problems] == [
        "Line 4: Value 'three' is not a number: write it like 1234.5 or 1,234.5"
    ]
    assert values() == {("TA-01", "2025-01"): Decimal(2990)}


def test_a_lead_importing_another_leads_rows_is_refused_and_nothing_is_written(
    indicator, other_indicator, other_lead
):
    data = csv_file("CT-01,2025-01,95,,,,", "TA-01,2025-01,2000,,,,")
    with pytest.raises(ImportRefused) as refused:
        apply_import(read_file(data), other_lead, filename="both.csv")
    assert [str(p) for p in refused.value.plan.problems] == [
        "Line 3: You may not enter data for TA-01"
    ]
    assert Actual.objects.count() == 0


def test_a_column_left_out_keeps_what_is_recorded_and_a_blank_cell_clears_it(indicator, unit_staff):
    record_actual(
        indicator,
        date(2025, 1, 1),
        value=Decimal(2990),
        by=unit_staff,
        version=None,
        source="Housing system",
        note="Checked",
        provisional=True,
    )
    plan = plan_import(
        read_file(csv_file("TA-01,2025-01,2990", header="indicator,period,value")), unit_staff
    )
    assert plan.counts["unchanged"] == 1

    apply_import(
        read_file(csv_file("TA-01,2025-01,2990,", header="indicator,period,value,note")),
        unit_staff,
        filename="clear.csv",
    )
    actual = indicator.actuals.get()
    assert (actual.source, actual.note, actual.provisional) == ("Housing system", "", True)


def test_a_value_entered_after_the_preview_is_not_overwritten(indicator, unit_staff, priority_lead):
    record_actual(indicator, date(2025, 1, 1), value=Decimal(2990), by=unit_staff, version=None)
    upload = read_file(csv_file("TA-01,2025-01,2980,,,,", "TA-01,2025-02,2950,,,,"))
    seen = plan_import(upload, unit_staff).digest
    record_actual(indicator, date(2025, 1, 1), value=Decimal(2970), by=priority_lead, version=1)

    with pytest.raises(Stale):
        apply_import(upload, unit_staff, filename="late.csv", expected=seen)

    assert values() == {("TA-01", "2025-01"): Decimal(2970)}


def test_a_value_added_after_the_preview_for_a_new_row_is_not_overwritten(
    indicator, unit_staff, priority_lead
):
    upload = read_file(csv_file("TA-01,2025-02,2950,,,,"))
    seen = plan_import(upload, unit_staff).digest
    record_actual(indicator, date(2025, 2, 1), value=Decimal(2940), by=priority_lead, version=None)

    with pytest.raises(Stale):
        apply_import(upload, unit_staff, filename="late.csv", expected=seen)
    assert values() == {("TA-01", "2025-02"): Decimal(2940)}


def test_a_value_entered_while_the_import_writes_refuses_it_whole(
    indicator, unit_staff, priority_lead, monkeypatch
):
    upload = read_file(csv_file("TA-01,2025-01,2990,,,,", "TA-01,2025-02,2950,,,,"))
    planned = imports.plan_import

    def plan_then_someone_types(*args, **kwargs):
        plan = planned(*args, **kwargs)
        # The grid saves February between the plan and the write.
        Actual.objects.create(indicator=indicator, period=date(2025, 2, 1), value=Decimal(1))
        return plan

    monkeypatch.setattr(imports, "plan_import", plan_then_someone_types)
    with pytest.raises(Stale):
        apply_import(upload, unit_staff, filename="race.csv")
    assert Actual.objects.count() == 0  # the whole transaction, the intruder's row too


def test_ten_thousand_rows_import_in_seconds(priority, unit_staff):
    indicators = Indicator.objects.bulk_create(
        Indicator(
            priority=priority,
            code=f"TA-{number:02}",
            name=f"Indicator {number}",
            direction="lower",
            frequency="monthly",
            baseline_value=Decimal(100),
            baseline_period=date(1950, 1, 1),
            target_value=Decimal(50),
            target_period=date(2050, 1, 1),
        )
        for number in range(10)
    )
    months = [f"{1940 + m // 12}-{m % 12 + 1:02}" for m in range(1000)]

    def file(offset: int) -> bytes:
        return csv_file(
            *(
                f"{indicator.code},{month},{index + offset}.5,Return,2025-01-31,no,Row {index}"
                for indicator in indicators
                for index, month in enumerate(months)
            )
        )

    timings = {}
    for label, data in (("new", file(0)), ("revised", file(1)), ("unchanged", file(1))):
        started = time.perf_counter()
        plan = apply_import(read_file(data), unit_staff, filename=f"{label}.csv")
        timings[label] = time.perf_counter() - started
        assert plan.counts[label] == 10_000
    assert Actual.objects.count() == 10_000
    assert Actual.history.count() == 20_000
    assert Actual.objects.filter(version=2).count() == 10_000
    print(
        "\n10,000-row import: "
        + ", ".join(f"all {label} {seconds:.2f}s" for label, seconds in timings.items())
    )


# The command


def test_command_imports_a_file(tmp_path, indicator, priority_lead, capsys):
    path = tmp_path / "march.csv"
    path.write_bytes(csv_file("TA-01,2025-01,2990,,,,", "TA-01,2025-02,2950,,,,"))

    call_command("import_actuals", str(path), "--user", "lead")

    assert f"Imported {path}: 2 new, 0 revised, 0 unchanged." in capsys.readouterr().out
    assert indicator.actuals.count() == 2
    assert {a.entered_by for a in indicator.actuals.all()} == {priority_lead}


def test_command_without_a_user_imports_as_the_system(tmp_path, indicator, capsys):
    path = tmp_path / "book.xlsx"
    path.write_bytes(xlsx_file(["TA-01", "2025-01", 2990]))
    call_command("import_actuals", str(path))
    actual = indicator.actuals.get()
    assert actual.entered_by is None
    assert actual.history.get().history_change_reason == "Imported from book.xlsx"


def test_command_lists_every_bad_row_and_writes_nothing(tmp_path, indicator, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_file("TA-01,2025-01,1,,,,", "XX-99,2025-01,1,,,,", "TA-01,2025-13,1,,,,"))

    with pytest.raises(CommandError, match="2 problems, so nothing was imported"):
        call_command("import_actuals", str(path))

    err = capsys.readouterr().err
    assert f"{path}: Line 3: Unknown indicator code 'XX-99'" in err
    assert f"{path}: Line 4: Period '2025-13' has no month 13" in err
    assert Actual.objects.count() == 0


def test_command_exits_non_zero_on_errors(tmp_path, indicator):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"not,a,csv,we,know\n1,2,3,4,5\n")
    with pytest.raises(CommandError) as error:
        call_command("import_actuals", str(path))
    # manage.py turns a CommandError into this exit status.
    assert error.value.returncode == 1
    assert "which is not a column the import knows" in str(error.value)
    assert Actual.objects.count() == 0


def test_command_dry_run_writes_nothing(tmp_path, indicator, unit_staff, capsys):
    record_actual(indicator, date(2025, 1, 1), value=Decimal(2990), by=unit_staff, version=None)
    path = tmp_path / "march.csv"
    path.write_bytes(csv_file("TA-01,2025-01,2980,,,,", "TA-01,2025-02,2950,,,,"))

    call_command("import_actuals", str(path), "--dry-run")

    out = capsys.readouterr().out
    assert f"Checked (dry run, nothing written) {path}: 1 new, 1 revised, 0 unchanged." in out
    assert values() == {("TA-01", "2025-01"): Decimal(2990)}


def test_command_refuses_rows_the_user_may_not_enter(tmp_path, indicator, other_lead, capsys):
    path = tmp_path / "theirs.csv"
    path.write_bytes(csv_file("TA-01,2025-01,1,,,,"))
    with pytest.raises(CommandError):
        call_command("import_actuals", str(path), "--user", "lead2")
    assert "Line 2: You may not enter data for TA-01" in capsys.readouterr().err
    assert Actual.objects.count() == 0


def test_command_explains_a_missing_file_or_user(tmp_path, indicator):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_actuals", str(tmp_path / "missing.csv"))
    path = tmp_path / "a.csv"
    path.write_bytes(csv_file("TA-01,2025-01,1,,,,"))
    with pytest.raises(CommandError, match="There is no user called 'nobody'"):
        call_command("import_actuals", str(path), "--user", "nobody")
    with pytest.raises(CommandError, match="The selected file is empty"):
        (tmp_path / "empty.csv").write_bytes(b"")
        call_command("import_actuals", str(tmp_path / "empty.csv"))


# In the browser


def upload(client: Client, data: bytes, name: str = "actuals.csv"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("priorities:import"), {"file": file})


def test_lead_uploads_sees_the_preview_then_confirms(client_for, indicator, priority_lead):
    client = client_for(priority_lead)
    page = client.get(reverse("priorities:import"))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()

    response = upload(client, csv_file("TA-01,2025-01,2990,,,,", "TA-01,2025-02,2950,,,,"))

    actual_import = ActualImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == actual_import.get_absolute_url()
    assert Actual.objects.count() == 0
    preview = client.get(response["Location"])
    text = preview.content.decode()
    assert "Check the import" in text
    assert "New values" in text
    assert text.count("govuk-tag--green") == 2
    assert text.count("none recorded") == 2, "A new value replaces nothing, said in words"
    assert ">None<" not in text
    assert "Confirm and import" in text
    assert Actual.objects.count() == 0

    confirmed = client.post(
        actual_import.get_absolute_url(),
        {"digest": preview.context["confirm"]["digest"].value()},
        follow=True,
    )
    assert "Imported actuals.csv: 2 new, 0 revised, 0 unchanged." in confirmed.content.decode()
    assert values() == {("TA-01", "2025-01"): Decimal(2990), ("TA-01", "2025-02"): Decimal(2950)}
    actual_import.refresh_from_db()
    assert actual_import.status == "applied"
    assert actual_import.result == {"new": 2, "revised": 0, "unchanged": 0}


def test_preview_shows_revised_values_with_the_value_they_replace(
    client_for, indicator, unit_staff
):
    record_actual(indicator, date(2025, 1, 1), value=Decimal(2990), by=unit_staff, version=None)
    client = client_for(unit_staff)
    response = upload(client, csv_file("TA-01,2025-01,2985,,,no,", "TA-01,2025-02,2950,,,no,"))
    text = client.get(response["Location"]).content.decode()
    assert "2,985" in text and "2,990" in text
    assert "Revised" in text and "New" in text


def test_new_quarter_labels_and_old_calendar_ones_are_imported_against_the_same_months(
    client_for, quarterly, unit_staff
):
    client = client_for(unit_staff)
    response = upload(
        client,
        csv_file("TA-02,2025/26 Q1,40,,,,", "TA-02,2024-Q4,42,,,,", "TA-02,2025-Q1,41,,,,"),
    )
    preview = client.get(response["Location"])
    text = preview.content.decode()
    assert "Some periods are written as calendar quarters" in text
    assert "2024-Q4 is a calendar quarter: read as 2024/25 Q3 (October to December 2024)" in text
    assert "2025-Q1 is a calendar quarter: read as 2024/25 Q4 (January to March 2025)" in text
    client.post(response["Location"], {"digest": preview.context["confirm"]["digest"].value()})
    assert dict(quarterly.actuals.values_list("period", "value")) == {
        date(2025, 4, 1): 40,
        date(2024, 10, 1): 42,
        date(2025, 1, 1): 41,
    }


def test_an_old_label_and_a_new_one_for_the_same_quarter_are_the_same_period(quarterly):
    found = problems(csv_file("TA-02,2024/25 Q3,1,,,,", "TA-02,2024-Q4,2,,,,"))
    assert found == ["Line 3: TA-02 2024/25 Q3 is in the file more than once: first on line 2"]


def test_an_academic_quarter_refuses_a_calendar_quarter_it_does_not_match(priority):
    make_indicator(
        priority,
        "TA-04",
        "quarterly",
        year="academic",
    )
    assert problems(csv_file("TA-04,2024-Q4,1,,,,", "TA-04,2024/25 Q2,1,,,,")) == [
        "Line 2: Period '2024-Q4' is a calendar quarter (October to December 2024), which is "
        "not one of this indicator's quarters: use YYYY/YY Qn, for example 2025/26 Q1 "
        "(September to November 2025)"
    ]


def test_confirming_twice_imports_once(client_for, indicator, unit_staff):
    client = client_for(unit_staff)
    response = upload(client, csv_file("TA-01,2025-01,2990,,,,"))
    digest = client.get(response["Location"]).context["confirm"]["digest"].value()
    client.post(response["Location"], {"digest": digest})
    history = Actual.history.count()

    again = client.post(response["Location"], {"digest": digest}, follow=True)

    assert "This file has already been imported." in again.content.decode()
    assert Actual.history.count() == history


def test_a_file_with_nothing_new_has_nothing_to_confirm(client_for, indicator, unit_staff):
    record_actual(indicator, date(2025, 1, 1), value=Decimal(2990), by=unit_staff, version=None)
    client = client_for(unit_staff)
    response = upload(client, csv_file("TA-01,2025-01,2990", header="indicator,period,value"))
    preview = client.get(response["Location"])
    assert "Nothing to import" in preview.content.decode()
    assert preview.context["confirm"] is None


def test_bad_rows_are_listed_in_the_error_summary_with_nothing_to_confirm(
    client_for, indicator, unit_staff
):
    client = client_for(unit_staff)
    response = upload(client, csv_file("TA-01,2025-01,2990,,,,", "TA-01,2025-13,x,,,,"))
    preview = client.get(response["Location"])
    text = preview.content.decode()
    assert "There is a problem" in text
    assert "Line 3: Period &#x27;2025-13&#x27; has no month 13" in text
    assert "Line 3: Value &#x27;x&#x27; is not a number" in text
    assert "Confirm and import" not in text
    assert preview.context["confirm"] is None
    # Confirming anyway (an old tab, a crafted post) is refused and writes nothing.
    refused = client.post(response["Location"], {"digest": "0" * 64})
    assert refused.status_code == 422
    assert Actual.objects.count() == 0


def test_a_file_that_cannot_be_read_is_refused_on_the_upload_page(client_for, unit_staff):
    client = client_for(unit_staff)
    response = upload(client, b"\x89PNG\r\n\x1a\n\x00\x01", name="actuals.csv")
    assert response.status_code == 422
    text = response.content.decode()
    assert "There is a problem" in text
    assert "must be a CSV or an Excel (XLSX) file" in text
    assert ActualImport.objects.count() == 0

    missing = client.post(reverse("priorities:import"), {})
    assert missing.status_code == 422
    assert "Select a CSV or Excel file" in missing.content.decode()


def test_a_file_over_the_size_limit_is_refused_without_being_kept(client_for, unit_staff):
    client = client_for(unit_staff)
    response = upload(client, b"indicator,period,value\n" + b"x" * (imports.MAX_BYTES + 10))
    assert response.status_code == 422
    assert "The selected file must be smaller than 5MB" in response.content.decode()
    assert ActualImport.objects.count() == 0


def test_a_file_kept_on_disk_while_uploading_is_read_whole(client_for, indicator, unit_staff):
    # Over FILE_UPLOAD_MAX_MEMORY_SIZE (2.5MB), Django writes the upload to a temporary file.
    note = "n" * 100_000
    rows = [f"TA-01,2025-{m:02},{m},,,,{note}" for m in range(1, 13)]
    rows += [f"TA-01,{y}-01,{y},,,,{note}" for y in range(2000, 2020)]
    data = csv_file(*rows)
    assert 3_000_000 < len(data) < imports.MAX_BYTES

    response = upload(client_for(unit_staff), data)

    assert response.status_code == 302
    assert len(ActualImport.objects.get().rows) == 32


def test_upload_checks_the_csrf_token(unit_staff, indicator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(unit_staff)
    response = upload(client, csv_file("TA-01,2025-01,2990,,,,"))
    assert response.status_code == 403
    assert ActualImport.objects.count() == 0


def test_who_may_open_the_import_page(
    client_for, priority, service_officer, leadership, administrator
):
    assert client_for(service_officer).get(reverse("priorities:import")).status_code == 200
    without_priority = User.objects.create(username="lead9", role=Role.PRIORITY_LEAD)
    for user in (without_priority, leadership, administrator):
        assert client_for(user).get(reverse("priorities:import")).status_code == 403


def test_an_applied_import_says_what_it_did(client_for, indicator, unit_staff):
    client = client_for(unit_staff)
    response = upload(client, csv_file("TA-01,2025-01,2990,,,,"))
    digest = client.get(response["Location"]).context["confirm"]["digest"].value()
    client.post(response["Location"], {"digest": digest})
    page = client.get(response["Location"]).content.decode()
    assert "1 new, 0 revised, 0 unchanged" in page
    assert "Confirm and import" not in page


def test_the_uploaded_name_is_only_a_label(client_for, indicator, unit_staff):
    client = client_for(unit_staff)
    upload(client, csv_file("TA-01,2025-01,2990,,,,"), name="../../etc/passwd")
    assert ActualImport.objects.get().filename == "passwd"
    staged = imports.stage_import(
        read_file(csv_file("TA-01,2025-01,1,,,,")), filename="C:\\Data\\march.csv", by=unit_staff
    )
    assert staged.filename == "march.csv"


def test_only_the_uploader_sees_or_confirms_an_import(
    client_for, indicator, unit_staff, priority_lead
):
    response = upload(client_for(priority_lead), csv_file("TA-01,2025-01,2990,,,,"))
    other = client_for(unit_staff)
    assert other.get(response["Location"]).status_code == 404
    assert other.post(response["Location"], {"digest": "x"}).status_code == 404
    assert Actual.objects.count() == 0


def test_a_stale_preview_shows_the_new_one_and_says_why(
    client_for, indicator, unit_staff, priority_lead
):
    record_actual(indicator, date(2025, 1, 1), value=Decimal(2990), by=unit_staff, version=None)
    client = client_for(unit_staff)
    response = upload(client, csv_file("TA-01,2025-01,2985,,,,", "TA-01,2025-02,2950,,,,"))
    form = client.get(response["Location"]).context["confirm"]
    seen = {"digest": form["digest"].value(), "shown_at": form["shown_at"].value()}
    record_actual(indicator, date(2025, 1, 1), value=Decimal(2970), by=priority_lead, version=1)

    stale = client.post(response["Location"], seen)

    assert stale.status_code == 409
    text = stale.content.decode()
    assert "The data changed after you opened this preview, so nothing has been imported." in text
    assert "TA-01 Jan 2025 is now 2,970, entered by Lead" in text
    assert values() == {("TA-01", "2025-01"): Decimal(2970)}

    fresh = stale.context["confirm"]
    client.post(response["Location"], {"digest": fresh["digest"].value()})
    assert values() == {("TA-01", "2025-01"): Decimal(2985), ("TA-01", "2025-02"): Decimal(2950)}


def test_the_priority_page_links_to_import_and_export(
    client_for, priority, priority_lead, leadership
):
    text = client_for(priority_lead).get(priority.get_absolute_url()).content.decode()
    assert reverse("priorities:import") in text
    assert reverse("priorities:export_data", kwargs={"slug": priority.slug}) + "?format=csv" in text
    text = client_for(leadership).get(priority.get_absolute_url()).content.decode()
    assert reverse("priorities:import") not in text
    assert reverse("priorities:export_data", kwargs={"slug": priority.slug}) in text


def test_preview_page_query_count_does_not_grow_with_the_file(client_for, priority, unit_staff):
    for number in range(1, 11):
        make_indicator(priority, f"TA-{number:02}")
    client = client_for(unit_staff)
    counts = []
    for months in (1, 30):
        rows = [
            f"TA-{number:02},{2020 + m // 12}-{m % 12 + 1:02},{m},,,,"
            for number in range(1, 11)
            for m in range(months)
        ]
        response = upload(client, csv_file(*rows))
        # Half of the larger file's rows already recorded: the preview shows them as revised.
        if months > 1:
            apply_import(read_file(csv_file(*rows[::2])), unit_staff, filename="half.csv")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(response["Location"]).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # The session, user and idle-expiry refresh (5), the import, the indicators, their
    # priorities' service staff, and the recorded values (4).
    assert counts[0] == 9


# Fuzzing: never an exception, never a partial write


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_with_a_message(data):
    try:
        read_file(data)
    except ImportFileError as error:
        assert str(error)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_is_read_or_refused_with_a_message(text):
    try:
        read_file(("indicator,period,value\n" + text).encode())
    except ImportFileError as error:
        assert str(error)


CODES = st.sampled_from(["TA-01", "TA-02", "CT-01", "XX-99", "", "ta-01", "=TA-01", "'TA-01"])
PERIODS = st.one_of(
    st.sampled_from(["2025-01", "2025-02", "2025-Q1", "2025", "2025-13", "", "1899-01"]),
    st.text(max_size=8),
)
VALUES = st.one_of(
    st.decimals(min_value=-(10**12) + 1, max_value=10**12 - 1, places=4).map(str),
    st.sampled_from(["1,234.5", "NaN", "inf", "-0", "", "1e3", "12345678901234", "0.00001"]),
    st.text(max_size=10),
)
ROWS = st.lists(
    st.tuples(
        CODES,
        PERIODS,
        VALUES,
        st.text(max_size=20),
        st.sampled_from(["", "2025-01-31", "2025-02-30", "31/01/2025"]),
        st.sampled_from(["", "yes", "no", "TRUE", "0", "maybe"]),
        st.text(max_size=30),
    ),
    min_size=1,
    max_size=12,
)


class ImportFuzzTests(HypothesisTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.lead = User.objects.create(username="fuzz-lead", role=Role.PRIORITY_LEAD)
        other = User.objects.create(username="fuzz-other", role=Role.PRIORITY_LEAD)
        mine = Priority.objects.create(title="Mine", slug="mine", aspiration="A.", lead=cls.lead)
        theirs = Priority.objects.create(title="Theirs", slug="theirs", aspiration="A.", lead=other)
        make_indicator(mine, "TA-01")
        make_indicator(mine, "TA-02", "quarterly")
        make_indicator(theirs, "CT-01")

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(rows=ROWS, as_xlsx=st.booleans())
    def test_random_rows_are_imported_whole_or_not_at_all(self, rows, as_xlsx):
        if as_xlsx:
            # Characters a workbook cannot hold at all are not a test of the importer.
            data = xlsx_file(*[[ILLEGAL_CHARACTERS_RE.sub("", c) for c in row] for row in rows])
            last_line = len(rows) + 1
        else:
            out = io.StringIO()
            csv.writer(out).writerows([HEADER.split(","), *rows])
            data = out.getvalue().encode()
            last_line = len(out.getvalue().splitlines()) + 1
        before = Actual.objects.count()
        history = Actual.history.count()
        try:
            upload_ = read_file(data)
        except ImportFileError:
            return
        try:
            plan = apply_import(upload_, self.lead, filename="fuzz.csv")
        except ImportRefused as refused:
            assert refused.plan.problems
            assert all(p.line and 2 <= p.line <= last_line for p in refused.plan.problems)
            assert Actual.objects.count() == before
            assert Actual.history.count() == history
            return
        assert Actual.objects.count() == before + plan.counts["new"]
        for row in plan.rows:
            stored = Actual.objects.get(indicator=row.indicator, period=row.period)
            assert stored.value == row.fields["value"]

    @settings(max_examples=40, deadline=None)
    @given(data=st.binary(max_size=300), name=st.text(max_size=30))
    def test_any_upload_gets_a_page_not_an_error(self, data, name):
        self.client.force_login(self.lead)
        before = Actual.objects.count()
        file = io.BytesIO(data)
        file.name = name or "x"
        response = self.client.post(reverse("priorities:import"), {"file": file})
        assert response.status_code in {302, 422}
        if response.status_code == 302:
            assert self.client.get(response["Location"]).status_code == 200
        assert Actual.objects.count() == before


def test_the_readme_example_file_imports_into_the_demo(db, capsys, settings):
    call_command("load_demo", not_production=True)
    example = settings.BASE_DIR / "docs" / "example-actuals.csv"

    call_command("import_actuals", str(example), "--user", "lead", "--dry-run")

    assert "Checked (dry run, nothing written)" in capsys.readouterr().out


def xlsx_with_sheet_rows(rows_xml: bytes) -> bytes:
    """A real workbook whose first sheet's rows are replaced by ``rows_xml`` after a header and
    one row of data: for files no spreadsheet program would write but anyone can upload."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_file(["TA-01", "2025-01", 1])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", rows_xml + b"</sheetData>")
            archive.writestr(info.filename, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "rows_xml",
    [
        # Millions of empty row elements: 30 MB unpacked, a few hundred KB packed.
        b"<row/>" * 5_000_000,
        # One row numbered in the millions: the gap is read as that many blank rows.
        b'<row r="7000000"><c r="A7000000" t="inlineStr"><is><t>x</t></is></c></row>',
    ],
    ids=["empty-rows", "far-row"],
)
def test_a_small_workbook_of_millions_of_blank_rows_is_refused_at_once(
    client_for, unit_staff, rows_xml
):
    data = xlsx_with_sheet_rows(rows_xml)
    assert len(data) < imports.MAX_BYTES
    started = time.perf_counter()
    response = upload(client_for(unit_staff), data, name="blank.xlsx")
    elapsed = time.perf_counter() - started
    assert response.status_code == 422
    assert "The file has more than 50,000 rows, counting blank ones" in response.content.decode()
    assert ActualImport.objects.count() == 0
    assert elapsed < 3, f"took {elapsed:.1f} s"


def test_blank_rows_within_the_limit_are_still_skipped(indicator):
    data = xlsx_with_sheet_rows(b"<row/>" * 1000)
    assert len(read_file(data).rows) == 1
