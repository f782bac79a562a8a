"""Unit staff set up indicators and their trajectories."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from delivery_unit.access import get_for_user
from delivery_unit.versioning import Stale, answer_stale, save_versioned
from priorities.forms import (
    AdjustTrajectoryForm,
    DrawTrajectoryForm,
    IndicatorForm,
    trajectory_field_name,
)
from priorities.indicators.models import (
    Indicator,
    NoProfile,
    Shape,
    draw_trajectory,
    set_trajectory,
)
from priorities.models import Priority


def _get_indicator_for_user(request: HttpRequest, code: str, change_perm: str | None = None):
    indicator = get_for_user(
        request.user,
        Indicator.objects.select_related("priority__lead"),
        "priorities.view_priority",
        code=code,
    )
    if change_perm:
        get_for_user(
            request.user,
            Priority.objects.all(),
            "priorities.view_priority",
            change_perm,
            pk=indicator.priority_id,
        )
    return indicator


@require_http_methods(["GET", "POST"])
def indicator_create(request: HttpRequest, slug: str) -> HttpResponse:
    priority = get_for_user(
        request.user,
        Priority.objects.all(),
        "priorities.view_priority",
        "priorities.change_indicator",
        slug=slug,
    )
    form = IndicatorForm(request.POST or None)
    context = {"form": form, "priority": priority}
    if request.method == "GET":
        return render(request, "priorities/indicator_edit.html", context)
    if not form.is_valid():
        return render(request, "priorities/indicator_edit.html", context, status=422)
    with transaction.atomic():
        indicator = Indicator.objects.create(
            priority=priority, position=priority.indicators.count() + 1, **form.model_fields()
        )
        set_trajectory(
            indicator,
            draw_trajectory(indicator, Shape.STRAIGHT),
            by=request.user,
            reason="Drawn as a straight line from baseline to target when the indicator was set up",
            check=False,
        )
    messages.success(request, f"{indicator.code} added, with a straight-line trajectory.")
    return redirect("priorities:trajectory", code=indicator.code)


@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _get_indicator_for_user(request, code, "priorities.change_indicator")
    form = IndicatorForm(request.POST or None, instance=Indicator.objects.get(pk=indicator.pk))
    context = {"form": form, "priority": indicator.priority, "indicator": indicator}
    if request.method == "GET":
        return render(request, "priorities/indicator_edit.html", context)
    if not form.is_valid():
        return render(request, "priorities/indicator_edit.html", context, status=422)
    try:
        with transaction.atomic():
            save_versioned(indicator, form.cleaned_data["version"], form.model_fields())
            if form.moves_goalposts:
                set_trajectory(
                    indicator,
                    draw_trajectory(indicator, Shape.STRAIGHT),
                    by=request.user,
                    reason=f"Baseline or target changed: {form.cleaned_data['change_reason']}",
                    check=False,
                )
    except Stale as stale:
        template = "priorities/indicator_edit.html"
        return answer_stale(request, template, context, form, stale, thing="this indicator")
    messages.success(request, f"{indicator.code} saved.")
    return redirect(indicator)


@require_http_methods(["GET", "POST"])
def trajectory(request: HttpRequest, code: str) -> HttpResponse:
    """Draw the trajectory along a curve, or adjust any period; every change says why."""
    indicator = _get_indicator_for_user(request, code, "priorities.change_indicator")
    latest = indicator.trajectory_revisions.order_by("-changed_at", "-pk").first()
    based_on = latest.pk if latest else None
    current = {p.period: p.value for p in indicator.trajectory.all()}
    initial = {trajectory_field_name(p): v for p, v in current.items()}
    draw = DrawTrajectoryForm(initial={"based_on": based_on})
    adjust = AdjustTrajectoryForm(indicator=indicator, initial=initial | {"based_on": based_on})
    status = 200
    if request.method == "POST":
        form: DrawTrajectoryForm | AdjustTrajectoryForm
        if "draw-shape" in request.POST or "draw" in request.POST:
            draw = DrawTrajectoryForm(request.POST)
            form, values = draw, None
            if draw.is_valid():
                profile = draw.cleaned_data["profile"]
                try:
                    values = draw_trajectory(indicator, draw.cleaned_data["shape"], profile=profile)
                except NoProfile as error:
                    draw.add_error("profile", str(error))
                else:
                    if profile:  # kept with the indicator, to draw by again
                        Indicator.objects.filter(pk=indicator.pk).update(profile=profile)
        else:
            adjust = AdjustTrajectoryForm(request.POST, indicator=indicator)
            form, values = adjust, None
            if adjust.is_valid():
                values = adjust.values()
        if values is not None:
            try:
                set_trajectory(
                    indicator,
                    values,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    based_on=form.cleaned_data["based_on"],
                )
            except Stale as stale:
                who = stale.saved_by or "Someone"
                form.add_error(
                    None,
                    f"{who} changed this trajectory while you were editing, so your change has "
                    "not been saved. Their version is shown in the history below; what you "
                    "typed is still in the form.",
                )
                data = request.POST.copy()
                data[f"{form.prefix}-based_on"] = stale.current.pk if stale.current else ""
                form.data = data
                status = 409
            else:
                messages.success(request, f"Trajectory for {indicator.code} saved.")
                return redirect("priorities:trajectory", code=indicator.code)
        else:
            status = 422
    revisions = indicator.trajectory_revisions.select_related("changed_by").order_by(
        "-changed_at", "-pk"
    )
    context = {
        "indicator": indicator,
        "priority": indicator.priority,
        "draw": draw,
        "adjust": adjust,
        "revisions": revisions,
        "error_form": draw if draw.errors else adjust,
    }
    return render(request, "priorities/trajectory.html", context, status=status)
