from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from delivery_unit.access import get_for_user, require_perm
from delivery_unit.history import edits
from delivery_unit.http import HtmxHttpRequest
from delivery_unit.tables import table_response
from delivery_unit.versioning import Stale, answer_stale, save_versioned
from priorities.forms import PriorityDescriptionForm, PriorityForm, register_filter_helper
from priorities.indicators.charts import charted, indicator_chart
from priorities.indicators.kept import shown_indicators
from priorities.indicators.models import Indicator
from priorities.indicators.revisions import actual_changes, trajectory_changes
from priorities.models import Priority, unique_slug
from priorities.register import (
    EXPORT_COLUMNS,
    RegisterFilter,
    export_row,
    page_of_rows,
    register_queryset,
    rows,
)
from priorities.rounds.models import RoundEntry


def _get_priority_for_user(request: HtmxHttpRequest, slug: str, change_perm: str | None = None):
    return get_for_user(
        request.user,
        Priority.objects.select_related("lead", "analyst", "portfolio_holder"),
        "priorities.view_priority",
        change_perm,
        slug=slug,
    )


@require_GET
def register(request: HtmxHttpRequest) -> HttpResponse:
    filterset = RegisterFilter(request.GET, queryset=register_queryset())
    filterset.form.helper = register_filter_helper()
    page = page_of_rows(filterset, request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(
            page.number, on_each_side=1, on_ends=1
        ),
        # Which page is shown is not a filter.
        "filtered": bool(request.GET.keys() - {"page"}),
    }
    template = "priorities/register.html#results" if request.htmx else "priorities/register.html"
    return render(request, template, context)


@require_GET
def register_export(request: HtmxHttpRequest, file_format: str) -> HttpResponse:
    """The register as filtered on screen, as CSV or XLSX: every matching priority, whichever
    page was on screen."""
    filterset = RegisterFilter(request.GET, queryset=register_queryset())
    if file_format not in {"csv", "xlsx"} or not filterset.is_valid():
        raise Http404("Choose CSV or XLSX.")
    return table_response(
        EXPORT_COLUMNS,
        (export_row(priority, standing) for priority, standing in rows(filterset)),
        filename=f"priority-register-{timezone.localdate():%Y-%m-%d}",
        file_format=file_format,
    )


def _detail_context(priority: Priority, user) -> dict:
    # The indicators' cards from the shared cache while the figures are unchanged (two
    # queries), or charted from three: indicators, trajectories, actuals.
    shown = shown_indicators(priority)
    agreed = RoundEntry.objects.latest_agreed(priority)
    in_progress = RoundEntry.objects.in_progress(priority)
    return {
        "priority": priority,
        "agreed": agreed,
        # What the page opens with: how many indicators are on trajectory, and the worst state.
        "on_trajectory": shown.on_trajectory,
        "state": shown.state,
        # The unit sees its round in progress; the lead is asked for their self-assessment.
        "in_progress": in_progress
        if in_progress and user.has_perm("priorities.view_roundentry", in_progress)
        else None,
        "self_assessment_entry": in_progress
        if in_progress and user.has_perm("priorities.add_selfassessment", in_progress)
        else None,
        "shown": shown,
        "edits": edits(priority),
    }


@require_GET
def detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    priority = _get_priority_for_user(request, slug)
    return render(request, "priorities/detail.html", _detail_context(priority, request.user))


@require_http_methods(["GET", "POST"])
def create(request: HtmxHttpRequest) -> HttpResponse:
    require_perm(request.user, "priorities.add_priority")
    form = PriorityForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            priority = form.save(commit=False)
            priority.slug = unique_slug(priority.title)
            priority.save()
            form.save_m2m()
            messages.success(request, f"{priority.title} added to the register.")
            return redirect(priority)
        return render(request, "priorities/edit.html", {"form": form}, status=422)
    return render(request, "priorities/edit.html", {"form": form})


@require_http_methods(["GET", "POST"])
def edit(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Unit staff edit everything; the priority's own lead edits its description."""
    priority = _get_priority_for_user(request, slug, "priorities.describe_priority")
    form_class = (
        PriorityForm
        if request.user.has_perm("priorities.change_priority", priority)
        else PriorityDescriptionForm
    )
    if request.method == "GET":
        form = form_class(instance=priority, initial={"version": priority.version})
        return render(request, "priorities/edit.html", {"form": form, "priority": priority})
    form = form_class(request.POST, instance=Priority.objects.get(pk=priority.pk))
    if not form.is_valid():
        context = {"form": form, "priority": priority}
        return render(request, "priorities/edit.html", context, status=422)
    edited = form.save(commit=False)
    fields = {name: getattr(edited, name) for name in form.Meta.fields if name != "service_staff"}
    try:
        with transaction.atomic():
            save_versioned(priority, form.cleaned_data["version"], fields)
            if "service_staff" in form.cleaned_data:
                priority.service_staff.set(form.cleaned_data["service_staff"])
    except Stale as stale:
        context = {"priority": priority}
        return answer_stale(
            request, "priorities/edit.html", context, form, stale, thing="this priority"
        )
    messages.success(request, "Priority saved.")
    return redirect(priority)


@require_GET
def indicator(request: HtmxHttpRequest, code: str) -> HttpResponse:
    """One indicator in full: its chart, every period's data, and who changed what."""
    found = get_for_user(
        request.user,
        charted(Indicator.objects.select_related("priority")),
        "priorities.view_priority",
        code=code,
    )
    context = {
        "indicator": found,
        "charted": indicator_chart(found, large=True),
        "actual_changes": actual_changes(found),
        "trajectory_changes": trajectory_changes(found),
        "edits": edits(found),
    }
    return render(request, "priorities/indicator.html", context)
