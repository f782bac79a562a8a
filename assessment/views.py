"""The assessment framework (and the plan criteria) as an administrator edits them: every edit,
added area and retired area makes a new version; earlier versions stay readable as they were."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from assessment.framework_forms import AreaForm, FrameworkForm, RetireForm, clean_text
from assessment.kinds import get_kind
from assessment.models import SCALE_LEVELS, AreaSpec, Framework
from delivery_unit.access import check_for_user
from delivery_unit.numbers import parse_id
from delivery_unit.versioning import Stale, answer_stale

VIEW, CHANGE = "assessment.view_framework", "assessment.change_framework"


def _get_framework_for_user(
    request: HttpRequest, kind: str, number: int | None = None, change_perm: str | None = None
) -> Framework:
    """The current version of this kind (or the one numbered): 404 for a kind with none."""
    if get_kind(kind) is None:
        raise Http404("No such framework.")
    versions = Framework.objects.select_related("created_by")
    framework: Framework | None
    if number is None:
        framework = versions.current(kind)
    else:
        framework = versions.filter(kind=kind, number=number).first()
    if framework is None:
        raise Http404("No such framework version.")
    return check_for_user(request.user, framework, VIEW, change_perm)


def _opened(current: Framework, posted: str | None) -> Framework:
    """The version a form was opened on, as its hidden field says, so that ``revise`` can tell a
    stale save; the current one if the field names no version (the form then says so)."""
    number = parse_id(posted or "")
    if number is None or not 1 <= number < current.number:
        return current
    return Framework.objects.filter(kind=current.kind, number=number).first() or current


def _url(name: str, shown: Framework, **kwargs) -> str:
    return reverse(f"framework:{name}", kwargs={"kind": shown.kind, **kwargs})


def differences(before: list[AreaSpec], after: list[AreaSpec]) -> list[tuple[str, str]]:
    """What ``after`` says that ``before`` did not, as (what, now) pairs to read."""
    changes: list[tuple[str, str]] = []
    earlier = {spec.key: spec for spec in before}
    later = {spec.key: spec for spec in after}
    for spec in after:
        old = earlier.get(spec.key)
        if old is None:
            changes.append(("Area added", spec.name))
            continue
        if old.name != spec.name:
            changes.append((f"Name of {old.name}", spec.name))
        for attribute, what in (("description", "Description"), ("questions", "Sub-questions")):
            if getattr(old, attribute) != getattr(spec, attribute):
                changes.append((f"{spec.name}: {what}", getattr(spec, attribute) or "None"))
        for value, default in SCALE_LEVELS[spec.scale]:
            label = spec.labels.get(value, default)
            if old.labels.get(value) != spec.labels.get(value):
                changes.append((f"{spec.name}: words for {old.labels.get(value)}", label))
            if old.guidance.get(value) != spec.guidance.get(value):
                changes.append(
                    (f"{spec.name}: guidance for {label}", spec.guidance.get(value) or "None")
                )
    for spec in before:
        if spec.key not in later:
            changes.append(("Area retired", spec.name))
    return changes


def _merged(posted, opened: Framework, current: Framework) -> dict[str, str]:
    """A stale edit carried onto the current version field by field: what the administrator
    changed from the version they opened is kept as they typed it; everything else takes the
    current version's words, so that saving again does not undo the other person's change."""
    before = FrameworkForm(framework=opened).initial
    after = FrameworkForm(framework=current).initial
    data = {}
    for name, now in after.items():
        typed = posted.get(name)
        if typed is None or clean_text(typed) == clean_text(str(before.get(name, ""))):
            data[name] = str(now)
        else:
            data[name] = typed
    data["note"] = posted.get("note", "")
    data["version"] = str(current.number)
    return data


def _rebased(posted, current: Framework):
    """What the administrator typed, now based on the version saved meanwhile."""
    data = posted.copy()
    data["version"] = str(current.number)
    return data


def _answer_stale(request, template: str, context: dict, form, opened: Framework, stale: Stale):
    """A framework form that was based on ``opened`` when someone saved a newer version: the
    page again at 409 (``answer_stale``), built on the newer version, with what changed."""
    form.is_valid()
    context = context | {"framework": stale.current}
    theirs = differences(opened.specs(), stale.current.specs())
    message = _stale_message(stale.current)
    return answer_stale(request, template, context, form, stale, theirs=theirs, message=message)


def _stale_message(current: Framework) -> str:
    who = current.created_by or "Someone"
    return (
        f"{who} saved version {current.number} of the framework while you were working, so your "
        "change has not been saved. The form shows what you typed on the current version; what "
        "changed meanwhile is below it. Check both and save again."
    )


@require_GET
def framework(request: HttpRequest, kind: str) -> HttpResponse:
    current = _get_framework_for_user(request, kind)
    versions = Framework.objects.filter(kind=kind).select_related("created_by").order_by("-number")
    context = {
        "framework": current,
        "areas": current.ordered_areas(),
        "versions": versions,
    }
    return render(request, "assessment/framework.html", context)


@require_GET
def version(request: HttpRequest, kind: str, number: int) -> HttpResponse:
    shown = _get_framework_for_user(request, kind, number)
    current = Framework.objects.current(kind)
    previous = Framework.objects.filter(kind=kind, number=number - 1).first()
    areas = shown.ordered_areas()
    changes = (
        differences(previous.specs(), [AreaSpec.of(area) for area in areas]) if previous else []
    )
    context = {
        "framework": shown,
        "current": current,
        "previous": previous,
        "areas": areas,
        "changes": changes,
    }
    return render(request, "assessment/framework_version.html", context)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, kind: str) -> HttpResponse:
    current = _get_framework_for_user(request, kind, change_perm=CHANGE)
    if request.method == "GET":
        form = FrameworkForm(framework=current)
        return render(
            request, "assessment/framework_edit.html", {"framework": current, "form": form}
        )

    opened = _opened(current, request.POST.get("version"))
    form = FrameworkForm(request.POST, framework=opened)
    if not form.is_valid():
        context = {"framework": opened, "form": form}
        return render(request, "assessment/framework_edit.html", context, status=422)
    try:
        revised = opened.revise(
            areas=form.area_specs(), note=form.cleaned_data["note"], by=request.user
        )
    except Stale as stale:
        form = FrameworkForm(_merged(request.POST, opened, stale.current), framework=stale.current)
        return _answer_stale(request, "assessment/framework_edit.html", {}, form, opened, stale)
    if revised.pk == opened.pk:
        messages.info(request, "Nothing changed, so no new version was made.")
        return redirect(_url("framework", opened))
    messages.success(request, f"Version {revised.number} saved.")
    return redirect(_url("framework", revised))


@require_http_methods(["GET", "POST"])
def add_area(request: HttpRequest, kind: str) -> HttpResponse:
    current = _get_framework_for_user(request, kind, change_perm=CHANGE)
    if request.method == "GET":
        form = AreaForm(framework=current)
        return render(
            request, "assessment/framework_area.html", {"framework": current, "form": form}
        )

    opened = _opened(current, request.POST.get("version"))
    form = AreaForm(request.POST, framework=opened)
    if not form.is_valid():
        context = {"framework": opened, "form": form}
        return render(request, "assessment/framework_area.html", context, status=422)
    spec = form.area_spec()
    areas = opened.specs()
    # A new area goes before the overall judgement, which reads last.
    at = next((i for i, area in enumerate(areas) if area.is_overall), len(areas))
    if spec.is_overall:
        at = len(areas)
    areas.insert(at, spec)
    try:
        revised = opened.revise(areas=areas, note=f"Added {spec.name}.", by=request.user)
    except Stale as stale:
        form = AreaForm(_rebased(request.POST, stale.current), framework=stale.current)
        return _answer_stale(request, "assessment/framework_area.html", {}, form, opened, stale)
    messages.success(request, f"{spec.name} added: version {revised.number} saved.")
    return redirect(_url("framework", revised))


@require_http_methods(["GET", "POST"])
def retire_area(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    current = _get_framework_for_user(request, kind, change_perm=CHANGE)
    opened = current if request.method == "GET" else _opened(current, request.POST.get("version"))
    area = next((area for area in opened.ordered_areas() if area.key == key), None)
    if area is None:
        raise Http404("No such area in this version.")
    context: dict[str, object] = {"framework": opened, "area": area}
    if area.is_overall:
        # The overall judgement is what rounds and the delivery report are about: the page
        # says so, and a POST changes nothing.
        status = 200 if request.method == "GET" else 409
        return render(request, "assessment/framework_retire.html", context, status=status)
    if request.method == "GET":
        context["form"] = RetireForm(framework=current, area=area)
        return render(request, "assessment/framework_retire.html", context)

    form = RetireForm(request.POST, framework=opened, area=area)
    context["form"] = form
    if not form.is_valid():
        return render(request, "assessment/framework_retire.html", context, status=422)
    areas = [spec for spec in opened.specs() if spec.key != key]
    note = f"Retired {area.name}: {form.cleaned_data['reason']}"
    try:
        revised = opened.revise(areas=areas, note=note, by=request.user)
    except Stale as stale:
        form = RetireForm(_rebased(request.POST, stale.current), framework=stale.current, area=area)
        template = "assessment/framework_retire.html"
        return _answer_stale(request, template, context, form, opened, stale)
    messages.success(request, f"{area.name} retired: version {revised.number} saved.")
    return redirect(_url("framework", revised))
