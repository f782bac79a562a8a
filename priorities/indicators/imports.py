"""Importing and exporting actuals: one code path for CSV and XLSX files, used by the browser
import and by ``manage.py import_actuals``.

1. ``read_file`` reads the bytes (CSV or XLSX, told apart by content, never by name) into rows of
   text with their line numbers, or refuses the whole file with an ImportFileError.
2. ``plan_import`` checks every row against the data as it is now: each bad row gives its line
   number and a specific reason; each good row is new, revised (with the value it replaces) or
   unchanged.
3. ``apply_import`` writes the plan all or nothing, keeping every earlier value in the actuals'
   history, and refuses if any row is bad.

Exports write exactly the import's columns, so that exporting and importing again changes nothing.
Text that a spreadsheet would run as a formula (starting =, +, -, @) is written with a leading
quote, and the importer takes that quote off again.
"""

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import cast

from django.db import IntegrityError, connection, models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from simple_history.utils import bulk_create_with_history

from delivery_unit.numbers import is_number
from delivery_unit.tables import unguard
from delivery_unit.versioning import Stale
from priorities.indicators.models import Actual, ActualImport, Indicator, Unit
from priorities.indicators.periods import PeriodError
from priorities.models import Priority

MAX_BYTES = 5 * 1024 * 1024
MAX_SIZE_LABEL = "5MB"
MAX_ROWS = 50_000
# An XLSX file is a zip archive: refuse one that would unpack to more than this.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024

COLUMNS = ("indicator", "period", "value", "source", "as_at", "provisional", "note")
REQUIRED = ("indicator", "period", "value")
# The columns a file may leave out; when it does, the field keeps the value it has.
OPTIONAL_FIELDS = {
    "source": "source",
    "as_at": "as at date",
    "provisional": "provisional",
    "note": "note",
}

_value_field = Actual._meta.get_field("value")
MAX_DECIMAL_PLACES = _value_field.decimal_places
MAX_INTEGER_DIGITS = _value_field.max_digits - _value_field.decimal_places
# Both are CharFields, whose max_length is always set.
MAX_SOURCE = cast(int, Actual._meta.get_field("source").max_length)
MAX_CODE = cast(int, Indicator._meta.get_field("code").max_length)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (not CSV or XLSX, empty, too big, a column
    missing): the message says why, in words for the person who chose the file."""


class ImportRefused(Exception):
    """At least one row is bad, so nothing was written."""

    def __init__(self, plan: "Plan") -> None:
        super().__init__(f"{len(plan.problems)} problems: nothing imported")
        self.plan = plan


class AlreadyApplied(Exception):
    """The import was confirmed before (a second click, another tab)."""


# Reading


@dataclass
class Upload:
    """A file's rows as text. ``columns`` are the header's names ("" for a column with no
    heading, which is ignored); each row is ``[line, cell, cell, ...]``."""

    columns: list[str]
    rows: list[list]


def read_file(data: bytes) -> Upload:
    """The rows of a CSV or XLSX file, or ImportFileError saying why the file cannot be used."""
    if not data.strip():
        raise ImportFileError("The selected file is empty")
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"The selected file must be smaller than {MAX_SIZE_LABEL}")
    # Told apart by content, not by name: an XLSX workbook is a zip archive.
    lines = _xlsx_lines(data) if data.startswith(b"PK\x03\x04") else _csv_lines(data)
    with closing(lines):
        return _upload(lines)


def _csv_lines(data: bytes) -> Generator[tuple[int, list]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            "The selected file must be a CSV or an Excel (XLSX) file: it is neither an Excel "
            "workbook nor text saved as UTF-8"
        ) from None
    if "\x00" in text:
        raise ImportFileError("The selected file must be a CSV or an Excel (XLSX) file")
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as error:
        raise ImportFileError(f"Line {line} cannot be read as CSV ({error})") from None


def _xlsx_lines(data: bytes) -> Generator[tuple[int, list]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ImportFileError(
            "The selected file is not an Excel (XLSX) file that can be read"
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError("The selected file is too large once unpacked to be imported")
    workbook = None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # A file's stated dimensions can be wrong; without this, rows past them are not read.
        sheet.reset_dimensions()
        for line, cells in enumerate(sheet.iter_rows(), start=1):
            yield line, [_xlsx_value(cell) for cell in cells]
    except Exception:
        # A damaged or foreign zip (a Word file, an OpenDocument sheet) fails inside openpyxl in
        # many ways; each means the same thing to the person who chose it.
        raise ImportFileError(
            "The selected file is not an Excel (XLSX) file that can be read"
        ) from None
    finally:
        if workbook is not None:
            workbook.close()


def _xlsx_value(cell):
    """A cell's value as the person sees it: Excel keeps 95.5% as 0.955 in a percentage format,
    and the application keeps percentages as 95.5."""
    value = cell.value
    percentage = "%" in (getattr(cell, "number_format", None) or "")
    if percentage and isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(format(value, ".15g")) * 100
    return value


def _heading(cell) -> str:
    return re.sub(r"[\s\-]+", "_", _text(cell).strip().lower())


def _upload(lines: Iterable[tuple[int, list]]) -> Upload:
    columns: list[str] | None = None
    rows: list[list] = []
    for read, (line, cells) in enumerate(lines, start=1):
        # Every row read counts, blank or not: a small workbook can hold millions of empty rows
        # (or a single row numbered in the millions, the gap read as blank rows), and reading
        # them all would hold a worker for a minute.
        if read > MAX_ROWS + 1 and len(rows) < MAX_ROWS:
            raise ImportFileError(
                f"The file has more than {MAX_ROWS:,} rows, counting blank ones: delete the "
                "blank rows or split it into smaller files"
            )
        if columns is None:
            if not any(_text(cell).strip() for cell in cells):
                continue
            columns = _columns([_heading(cell) for cell in cells])
            continue
        texts = [
            _text(cell, columns[i] if i < len(columns) else "") for i, cell in enumerate(cells)
        ]
        while texts and not texts[-1].strip():
            texts.pop()
        if not texts:
            continue
        if len(rows) == MAX_ROWS:
            raise ImportFileError(
                f"The file has more than {MAX_ROWS:,} rows of data: split it into smaller files"
            )
        rows.append([line, *texts])
    if columns is None:
        raise ImportFileError("The selected file is empty")
    if not rows:
        raise ImportFileError("The file has a header row but no rows of data under it")
    return Upload(columns=columns, rows=rows)


def _columns(headings: list[str]) -> list[str]:
    while headings and not headings[-1]:
        headings.pop()
    unknown = [h for h in headings if h and h not in COLUMNS]
    if unknown:
        raise ImportFileError(
            f"The header row has {_quote(unknown[0])}, which is not a column the import knows: "
            f"use {', '.join(COLUMNS)}"
        )
    repeated = sorted({h for h in headings if h and headings.count(h) > 1})
    if repeated:
        raise ImportFileError(f"The header row has the column {repeated[0]} more than once")
    missing = [c for c in REQUIRED if c not in headings]
    if missing:
        raise ImportFileError(
            f"The header row has no {' or '.join(missing)} column: the first row must name the "
            f"columns, and {', '.join(REQUIRED)} are required"
        )
    return headings


def _text(cell, column: str = "") -> str:
    """A cell as text. XLSX cells come typed: dates and numbers are written the way the CSV
    format would have them."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, Decimal):
        return format(cell, "f")
    if isinstance(cell, float):
        # Excel holds 15 significant digits: 0.1 + 0.2 is 0.3 to it, and so to the import.
        number = Decimal(format(cell, ".15g"))
        return format(number, "f") if number.is_finite() else str(cell)
    if isinstance(cell, datetime):
        if column == "period":
            # Excel turns a typed 2025-04 into the date 1 April 2025.
            return f"{cell:%Y-%m}"
        return cell.date().isoformat() if cell.time() == time() else cell.isoformat()
    if isinstance(cell, date):
        return f"{cell:%Y-%m}" if column == "period" else cell.isoformat()
    return str(cell)


# Planning


class Change(models.TextChoices):
    NEW = "new", "New"
    REVISED = "revised", "Revised"
    UNCHANGED = "unchanged", "Unchanged"


@dataclass(frozen=True)
class Problem:
    """Why a row (or, with no line, the file) cannot be imported."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}" if self.line else self.message


@dataclass
class PlannedRow:
    line: int
    indicator: Indicator
    period: date
    fields: dict  # "value", and each optional field the file has a column for
    current: Actual | None
    change: str
    changed: list[str] = field(default_factory=list)  # the fields a revision changes
    period_note: str = ""  # how an old calendar-quarter label was read, with its months

    @property
    def period_label(self) -> str:
        return self.indicator.period_label(self.period)

    @property
    def value(self) -> str:
        return plain_number(self.fields["value"], grouped=True)

    @property
    def previous(self) -> str:
        return plain_number(self.current.value, grouped=True) if self.current else ""


@dataclass
class Plan:
    rows: list[PlannedRow]
    problems: list[Problem]

    @property
    def period_notes(self) -> list[str]:
        """How each old calendar-quarter label in the file was read, once each."""
        return list(dict.fromkeys(row.period_note for row in self.rows if row.period_note))

    def count(self, change: str) -> int:
        return sum(1 for row in self.rows if row.change == change)

    @property
    def counts(self) -> dict[str, int]:
        return {change.value: self.count(change) for change in Change}

    @property
    def has_changes(self) -> bool:
        return any(row.change != Change.UNCHANGED for row in self.rows)

    @property
    def digest(self) -> str:
        """A fingerprint of what the plan would do, given to the preview and checked on
        confirming, so that a preview that has gone stale cannot be applied."""
        text = "\n".join(
            [str(problem) for problem in self.problems]
            + [
                f"{r.line}|{r.indicator.pk}|{r.period}|{r.change}|"
                f"{r.current.pk if r.current else ''}|{r.current.version if r.current else ''}"
                for r in self.rows
            ]
        )
        return hashlib.sha256(text.encode()).hexdigest()


def plan_import(upload: Upload, user, *, lock: bool = False) -> Plan:
    """Check every row and say what importing it would do. ``user`` None is the system (the
    command run without --user), which may enter data for every indicator. With ``lock``, the
    current values are locked until the transaction ends, so that the plan stays true while
    it is applied."""
    position = {column: index + 1 for index, column in enumerate(upload.columns) if column}
    width = len(upload.columns) + 1

    def cell(row: list, column: str) -> str | None:
        index = position.get(column)
        if index is None:
            return None
        text = row[index].strip() if index < len(row) else ""
        return unguard(text) if column in ("indicator", "source", "note") else text

    codes = {code for row in upload.rows if (code := cell(row, "indicator"))}
    indicators = {
        indicator.code: indicator
        for indicator in Indicator.objects.filter(code__in=[c for c in codes if len(c) <= MAX_CODE])
        .select_related("priority")
        .prefetch_related("priority__service_staff")
    }
    allowed: dict[int, bool] = {}
    problems: list[Problem] = []
    valid: list[tuple[int, Indicator, date, dict]] = []
    period_notes: dict[int, str] = {}
    first_line: dict[tuple[int, date], int] = {}

    for row in upload.rows:
        line = row[0]
        reasons: list[str] = []
        if len(row) > width:
            reasons.append(
                f"the row has {len(row) - 1} cells but the header row names {width - 1} columns: "
                "put any text that contains a comma in double quotes"
            )
        code = cell(row, "indicator")
        indicator = indicators.get(code) if code is not None else None
        if not code:
            reasons.append("Enter the indicator code")
        elif indicator is None:
            reasons.append(f"Unknown indicator code {_quote(code)}")
        else:
            if indicator.priority_id not in allowed:
                allowed[indicator.priority_id] = user is None or user.has_perm(
                    "priorities.enter_data", indicator.priority
                )
            if not allowed[indicator.priority_id]:
                # That is the whole story of the row: its value is not read, so that a "95%"
                # for someone else's percentage indicator is not also called "not a number".
                problems.append(Problem(line, _sentence(f"You may not enter data for {code}")))
                continue

        period_text = cell(row, "period")
        period = None
        if not period_text:
            reasons.append("Enter the period")
        elif indicator is not None:
            try:
                period, note = indicator.periods.read(period_text)
            except PeriodError as error:
                reasons.append(str(error))
            else:
                if unclosed := indicator.periods.not_ended(period, timezone.localdate()):
                    reasons.append(unclosed)
                    period = None
                elif note:
                    period_notes[line] = note

        fields, field_reasons = _fields(row, cell, indicator)
        reasons += field_reasons

        if indicator is not None and period is not None:
            key = (indicator.pk, period)
            if key in first_line:
                reasons.append(
                    f"{indicator.code} {indicator.period_code(period)} is in the "
                    f"file more than once: first on line {first_line[key]}"
                )
            else:
                first_line[key] = line
        if reasons:
            problems += [Problem(line, _sentence(reason)) for reason in reasons]
        else:
            # Without reasons, the row has an indicator and a period.
            valid.append((line, cast(Indicator, indicator), cast(date, period), fields))

    if problems:
        return Plan(rows=[], problems=problems)
    rows = _classify(valid, lock=lock)
    for planned in rows:
        planned.period_note = period_notes.get(planned.line, "")
    return Plan(rows=rows, problems=[])


def _fields(row: list, cell, indicator: Indicator | None) -> tuple[dict, list[str]]:
    """The values a row sets, converted, and the reasons any cannot be."""
    fields: dict = {}
    reasons: list[str] = []
    try:
        fields["value"] = parse_value(cell(row, "value") or "", indicator)
    except ValueError as error:
        reasons.append(str(error))
    source = cell(row, "source")
    if source is not None:
        if len(source) > MAX_SOURCE:
            reasons.append(f"Source must be {MAX_SOURCE} characters or fewer")
        fields["source"] = source
    as_at = cell(row, "as_at")
    if as_at is not None:
        try:
            fields["as_at"] = _parse_date(as_at)
        except ValueError as error:
            reasons.append(str(error))
    provisional = cell(row, "provisional")
    if provisional is not None:
        if provisional.lower() in _YES:
            fields["provisional"] = True
        elif provisional.lower() in _NO:
            fields["provisional"] = False
        else:
            reasons.append(f"Provisional must be yes or no, not {_quote(provisional)}")
    note = cell(row, "note")
    if note is not None:
        fields["note"] = note
    return fields, reasons


def _classify(valid: list[tuple[int, Indicator, date, dict]], *, lock: bool) -> list[PlannedRow]:
    current: dict[tuple[int, date], Actual] = {}
    if valid:
        keys = {(indicator.pk, period) for _, indicator, period, _ in valid}
        actuals = Actual.objects.filter(
            indicator_id__in={k[0] for k in keys}, period__in={k[1] for k in keys}
        )
        if lock:
            actuals = actuals.select_for_update().order_by("pk")
        else:
            actuals = actuals.select_related("entered_by")
        current = {
            (a.indicator_id, a.period): a for a in actuals if (a.indicator_id, a.period) in keys
        }
    rows = []
    for line, indicator, period, fields in valid:
        actual = current.get((indicator.pk, period))
        if actual is None:
            rows.append(PlannedRow(line, indicator, period, fields, None, Change.NEW))
            continue
        changed = [name for name, new in fields.items() if getattr(actual, name) != new]
        change = Change.REVISED if changed else Change.UNCHANGED
        labels = [OPTIONAL_FIELDS.get(name, name) for name in changed]
        rows.append(PlannedRow(line, indicator, period, fields, actual, change, labels))
    return rows


def parse_value(text: str, indicator: Indicator | None = None) -> Decimal:
    """A number as people write it ("1234.5", "1,234.5", "-3", and "95.5%" or "£1,200" for a
    percentage or money indicator, as a spreadsheet saved as CSV writes them), within what an
    actual holds: 12 digits before the point and 4 after. Not the indicator's own decimal
    places, which only say how values are shown: data exported must import again unchanged."""
    original = text = text.strip()
    if not text:
        raise ValueError("Enter a value")
    text = text.replace("\u2212", "-")
    if indicator is not None and indicator.unit == Unit.PERCENTAGE:
        text = text.removesuffix("%").rstrip()
    if indicator is not None and indicator.unit == Unit.MONEY:
        sign = text[:1] if text[:1] in "+-" else ""
        text = sign + text[len(sign) :].removeprefix("£")
    if not is_number(text):
        raise ValueError(
            f"Value {_quote(original)} is not a number: write it like 1234.5 or 1,234.5"
        )
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"Value {_quote(original)} is not a number") from None
    whole, _, fraction = text.replace(",", "").lstrip("+-").partition(".")
    if len(fraction.rstrip("0")) > MAX_DECIMAL_PLACES:
        raise ValueError(
            f"Value {_quote(original)} has more than {MAX_DECIMAL_PLACES} decimal places"
        )
    if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS:
        raise ValueError(
            f"Value {_quote(original)} is too large: it can have at most {MAX_INTEGER_DIGITS} "
            "digits before the decimal point"
        )
    return value


def _parse_date(text: str) -> date | None:
    if not text:
        return None
    try:
        if not _ISO_DATE.match(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"As at date {_quote(text)} must be a real date written YYYY-MM-DD, "
            "for example 2025-04-30"
        ) from None


def _quote(text: str) -> str:
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def _sentence(reason: str) -> str:
    return reason[:1].upper() + reason[1:]


# Applying


def apply_import(upload: Upload, user, *, filename: str, expected: str | None = None) -> Plan:
    """Write every new and revised row, or nothing: ImportRefused if any row is bad,
    Stale if the plan is no longer the ``expected`` one the person confirmed (or a value
    arrived while writing). Every earlier value stays in the actuals' history, with the reason
    "Imported from <filename>"."""
    with transaction.atomic():
        plan = plan_import(upload, user, lock=True)
        if plan.problems:
            raise ImportRefused(plan)
        if expected is not None and plan.digest != expected:
            raise Stale
        try:
            _write(plan, user, reason=f"Imported from {filename}"[:100])
        except IntegrityError:
            # A value for one of the new rows was entered after the plan was made.
            raise Stale from None
    return plan


def _write(plan: Plan, user, *, reason: str) -> None:
    now = timezone.now()
    new = [
        Actual(
            indicator=row.indicator,
            period=row.period,
            version=1,
            entered_by=user,
            entered_at=now,
            **row.fields,
        )
        for row in plan.rows
        if row.change == Change.NEW
    ]
    revised = []
    for row in plan.rows:
        if row.change != Change.REVISED:
            continue
        actual = cast(Actual, row.current)  # a revised row has a current value
        for name, value in row.fields.items():
            setattr(actual, name, value)
        actual.version += 1
        actual.entered_by = user
        actual.entered_at = now
        revised.append(actual)
    history = {"default_user": user, "default_change_reason": reason, "default_date": now}
    if new:
        bulk_create_with_history(new, Actual, batch_size=2000, **history)
    if revised:
        _update(revised, ["value", *OPTIONAL_FIELDS, "version", "entered_by", "entered_at"])
        Actual.history.bulk_history_create(revised, update=True, batch_size=2000, **history)


def _update(actuals: list[Actual], names: list[str]) -> None:
    """Save ``names`` of each actual with one UPDATE statement run for every row.

    Django's bulk_update builds a CASE expression per field per row: for 10,000 rows it took
    about 40 seconds. One parameterised statement given every row's values (psycopg sends them
    in a pipeline) takes under a second, on PostgreSQL and SQLite alike."""
    # The model's own columns: Fields with a column each, never the far end of a relation.
    fields = [cast(models.Field, Actual._meta.get_field(name)) for name in names]
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(Actual._meta.db_table)} SET "  # noqa: S608 (names from the model, quoted)
        + ", ".join(f"{quote(cast(str, f.column))} = %s" for f in fields)
        + f" WHERE {quote(cast(str, Actual._meta.pk.column))} = %s"
    )
    params = [
        [f.get_db_prep_save(getattr(actual, f.attname), connection) for f in fields] + [actual.pk]
        for actual in actuals
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


# Imports kept between the preview and the confirmation


def stage_import(upload: Upload, *, filename: str, by) -> ActualImport:
    """Keep an uploaded file's rows until its preview is confirmed. The file's name is kept
    only to be shown: its last part, shortened."""
    name = PurePath(filename.replace("\\", "/")).name or "upload"
    name = "".join(c for c in name if c.isprintable())[:200] or "upload"
    return ActualImport.objects.create(
        created_by=by, filename=name, columns=upload.columns, rows=upload.rows
    )


def preview_import(actual_import: ActualImport, user) -> Plan:
    return plan_import(Upload(actual_import.columns, actual_import.rows), user)


def confirm_import(actual_import: ActualImport, *, by, expected: str) -> Plan:
    """Apply a staged import whose preview showed ``expected``; mark it applied."""
    with transaction.atomic():
        locked = ActualImport.objects.select_for_update().get(pk=actual_import.pk)
        if locked.status == ActualImport.Status.APPLIED:
            raise AlreadyApplied
        plan = apply_import(
            Upload(locked.columns, locked.rows), by, filename=locked.filename, expected=expected
        )
        locked.status = ActualImport.Status.APPLIED
        locked.applied_at = timezone.now()
        locked.result = plan.counts
        locked.save(update_fields=["status", "applied_at", "result"])
    actual_import.refresh_from_db()
    return plan


# Exporting


def plain_number(value: Decimal, *, grouped: bool = False) -> str:
    """3000.0000 as "3000" (or "3,000"), 2.5000 as "2.5": exact, without trailing zeros."""
    number = value.normalize()
    if number == 0:
        number = Decimal(0)
    return format(number, ",f" if grouped else "f")


def actuals_for_export(priority: Priority | None = None) -> QuerySet[Actual]:
    actuals = Actual.objects.select_related("indicator")
    if priority is not None:
        actuals = actuals.filter(indicator__priority=priority)
    return actuals.order_by("indicator__code", "period")


def export_rows(actuals: Iterable[Actual], *, xlsx: bool = False) -> Iterator[list]:
    """One row per actual in the import's format (header: COLUMNS). Values are exact numbers
    without trailing zeros; ``table_response`` guards every text against formulas, and the
    import unguards it, so the round trip holds. For XLSX, control characters a workbook cannot
    hold are left out of the text."""

    def text(value: str) -> str:
        return ILLEGAL_CHARACTERS_RE.sub("", value) if xlsx else value

    for actual in actuals:
        indicator = actual.indicator
        yield [
            text(indicator.code),
            indicator.period_code(actual.period),
            Decimal(plain_number(actual.value)),
            text(actual.source),
            actual.as_at.isoformat() if actual.as_at else "",
            "yes" if actual.provisional else "no",
            text(actual.note),
        ]


def export_filename(priority: Priority | None, today: date | None = None) -> str:
    """For example temporary-accommodation-data-2026-11-29 (the extension is added after)."""
    today = today or timezone.localdate()
    stem = priority.slug if priority is not None else "all-priorities"
    return f"{stem}-data-{today:%Y-%m-%d}"
