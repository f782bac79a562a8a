"""The data grid: a priority's actuals by period, viewed by everyone signed in and typed into by
whoever enters its data (unit staff, the lead, the service staff named on it).

Two views: the page, which also saves every changed cell when posted as an ordinary form (the
way it works without JavaScript), and one cell, which htmx posts as the cell is left.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from delivery_unit.access import get_for_user
from delivery_unit.http import HtmxHttpRequest
from priorities.indicators.grid import (
    Grid,
    build_grid,
    enter_cell,
    parse_until,
    save_grid,
    this_month,
    until_for,
)
from priorities.indicators.periods import PeriodError, Periods
from priorities.models import Priority

ENTER_DATA = "priorities.enter_data"


def _get_priority_for_user(request: HtmxHttpRequest, slug: str, change_perm: str | None = None):
    return get_for_user(
        request.user, Priority.objects.all(), "priorities.view_priority", change_perm, slug=slug
    )


def _data_url(priority: Priority, grid: Grid) -> str:
    url = reverse("priorities:data", kwargs={"slug": priority.slug})
    return url if grid.is_default else f"{url}?until={grid.until_code}"


def _render_page(request: HtmxHttpRequest, priority: Priority, grid: Grid, status: int = 200):
    can_enter = request.user.has_perm(ENTER_DATA, priority)
    context = {"priority": priority, "grid": grid, "can_enter": can_enter}
    return render(request, "priorities/data.html", context, status=status)


@require_http_methods(["GET", "POST"])
def data(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    posting = request.method == "POST"
    priority = _get_priority_for_user(request, slug, ENTER_DATA if posting else None)
    until = parse_until((request.POST if posting else request.GET).get("until"))
    grid = build_grid(priority, until)
    if not posting:
        return _render_page(request, priority, grid)
    result = save_grid(grid, request.POST, by=request.user)
    if result.refused:
        stale_only = all(cell.stale for cell in grid.errors)
        return _render_page(request, priority, grid, status=409 if stale_only else 422)
    if result.saved == 0:
        messages.success(request, "There were no changes to save.")
    else:
        messages.success(request, f"{result.saved} value{'s' if result.saved > 1 else ''} saved.")
    return redirect(_data_url(priority, grid))


@require_POST
def data_cell(request: HtmxHttpRequest, slug: str, code: str, period: str) -> HttpResponse:
    """One cell, as htmx posts it when the cell is left: answers with that cell alone."""
    priority = _get_priority_for_user(request, slug, ENTER_DATA)
    indicator = priority.indicators.filter(code=code).first()
    if indicator is None:
        raise Http404("No indicator with that code on this priority.")
    # The period is named by its first month (a quarter's label has a slash and a space).
    try:
        start = Periods.monthly().parse(period)
    except PeriodError:
        raise Http404("No such period for this indicator.") from None
    if not indicator.periods.is_start(start):
        raise Http404("No such period for this indicator.")
    if start > this_month():
        raise Http404("That period has not started.")
    grid = build_grid(priority, until_for(start, indicator.periods))
    cell = grid.cell(indicator, start)
    if cell is None:
        raise Http404("That period is not in the grid.")
    status = enter_cell(cell, request.POST, by=request.user)
    if request.htmx:
        context = {"priority": priority, "cell": cell, "can_enter": True, "announce": True}
        return render(request, "priorities/data.html#cell", context, status=status)
    if status != 200:
        return _render_page(request, priority, grid, status=status)
    if cell.saved:
        messages.success(request, f"Saved {cell.short_label}: {cell.value_text}.")
    return redirect(_data_url(priority, grid))
