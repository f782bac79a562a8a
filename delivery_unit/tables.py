"""Tables out as CSV or XLSX downloads, safe to open in a spreadsheet."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is run as a formula by spreadsheets (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard(text: str) -> str:
    """Text a spreadsheet would run as a formula, quoted so that it stays text. Text that
    already starts with a quote is quoted too, so that ``unguard`` gives back exactly what was
    written (an export read back by an import is a round trip)."""
    return "'" + text if text.startswith((*_FORMULA_STARTS, "'")) else text


def unguard(text: str) -> str:
    """The text ``guard`` quoted, as it was."""
    if text.startswith("'") and text[1:].startswith((*_FORMULA_STARTS, "'")):
        return text[1:]
    return text


def _cell(value):
    """Text guarded against formulas; numbers and dates pass as they are."""
    return guard(value) if isinstance(value, str) else value


def table_response(
    header: Sequence[str], rows: Iterable[Sequence], *, filename: str, file_format: str
) -> HttpResponse:
    """``file_format`` is "csv" or "xlsx"; ``filename`` has no extension."""
    if file_format == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(list(header))
        for row in rows:
            sheet.append([_cell(value) for value in row])
        binary = io.BytesIO()
        workbook.save(binary)
        response = HttpResponse(binary.getvalue(), content_type=XLSX)
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(header)
        writer.writerows([_cell(value) for value in row] for row in rows)
        response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
