"""The page of who updates on time, and its export as CSV or XLSX."""

import dataclasses
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from delivery_unit import charts
from delivery_unit.access import require_perm
from delivery_unit.tables import table_response
from rhythm import on_time

TABLE_FORMATS = {"csv", "xlsx"}


def _choices(request: HttpRequest) -> tuple[str, str, bool]:
    """The grouping, the column sorted by and whether descending, from the query string; an
    unknown value falls back to the default rather than failing."""
    grouping = request.GET.get("by", "priority")
    if grouping not in on_time.GROUPINGS:
        grouping = "priority"
    sort = request.GET.get("sort", "name")
    if sort not in on_time.SORTS:
        sort = "name"
    return grouping, sort, request.GET.get("order") == "desc"


def _percent(value: Decimal) -> str:
    return f"{value:.0f}%"


def trend_chart(months: list[on_time.Month]) -> charts.Chart:
    """The share of everything owed that came in on time, by the month it fell due."""
    periods = [
        charts.Period(key=m.month, label=f"{m.month:%b %Y}", actual=m.all.share) for m in months
    ]
    shown = [m for m in months if m.all.share is not None]
    description = (
        "The share of data, milestones and actions due in each month that came in by their due "
        "date, from "
        + f"{months[0].month:%B %Y} to {months[-1].month:%B %Y}. "
        + (
            f"Latest: {_percent(shown[-1].all.share)} in {shown[-1].month:%B %Y}. "  # type: ignore[arg-type]
            if shown
            else "Nothing fell due. "
        )
        + "The table below the chart gives every month's figures."
    )
    chart = charts.line_chart(
        periods,
        id="on-time-trend",
        title="Share returned on time, by month due",
        description=description,
        format_value=_percent,
        floor=Decimal(0),
        ceiling=Decimal(100),
        from_zero=True,
    )
    # The chart draws actuals against a plan; here the one line is the share on time.
    legend = [dataclasses.replace(item, label="Share on time") for item in chart.legend]
    message = chart.message and "Nothing fell due"
    return dataclasses.replace(chart, legend=legend, message=message)


def _sort_links(grouping: str, sort: str, descending: bool) -> dict[str, dict[str, str]]:
    """For each column, its heading, the link that sorts by it (the other way round when it is
    the sorted column already) and its aria-sort value."""
    links = {}
    for key, label in on_time.SORTS.items():
        current = key == sort
        # The first click puts those to chase first: the lowest share, the longest median.
        first_desc = key.endswith("_late")
        desc = (not descending) if current else first_desc
        links[key] = {
            "label": label,
            "url": f"?by={grouping}&sort={key}&order={'desc' if desc else 'asc'}",
            "aria": ("descending" if descending else "ascending") if current else "",
        }
    return links


@require_GET
def on_time_page(request: HttpRequest) -> HttpResponse:
    """Who returns data, milestones and actions by their due dates: a table by lead, service or
    priority, sortable by any column, with the trend by month."""
    require_perm(request.user, "rhythm.view_on_time")
    grouping, sort, descending = _choices(request)
    returns = on_time.all_returns()
    months = on_time.trend(returns)
    table = on_time.sort_rows(on_time.rows(returns, grouping), sort, descending)
    links = _sort_links(grouping, sort, descending)
    return render(
        request,
        "rhythm/on_time.html",
        {
            "grouping": grouping,
            "grouping_label": on_time.GROUPINGS[grouping],
            "groupings": on_time.GROUPINGS,
            "sort": sort,
            "descending": descending,
            "name_column": links.pop("name"),
            "columns": links.values(),
            "rows": table,
            "kinds": on_time.KINDS,
            "months": months,
            "chart": trend_chart(months),
            "since": on_time.year_before(timezone.localdate()),
            "export_url": reverse("rhythm:on_time_export"),
        },
    )


HEADER = [
    "Grouping",
    "Name",
    *[
        f"{label} {words}"
        for label in on_time.KINDS.values()
        for words in ("owed", "on time", "on time (%)", "still owed", "median working days late")
    ],
]


def export_rows(table: list[on_time.Row], grouping: str):
    for row in table:
        cells: list = [on_time.GROUPINGS[grouping], row.name]
        for kind in on_time.KINDS:
            measure = row.measures[kind]
            cells += [
                measure.owed,
                measure.on_time,
                measure.share,
                measure.still_owed,
                measure.median_late,
            ]
        yield cells


@require_GET
def on_time_export(request: HttpRequest) -> HttpResponse:
    """The table as it is on the page (grouping and order), as CSV or XLSX."""
    require_perm(request.user, "rhythm.view_on_time")
    file_format = request.GET.get("format", "csv")
    if file_format not in TABLE_FORMATS:
        raise Http404("Choose format=csv or format=xlsx.")
    grouping, sort, descending = _choices(request)
    table = on_time.sort_rows(on_time.rows(on_time.all_returns(), grouping), sort, descending)
    return table_response(
        HEADER,
        export_rows(table, grouping),
        filename=f"on-time-by-{grouping}-{timezone.localdate():%Y-%m-%d}",
        file_format=file_format,
    )
