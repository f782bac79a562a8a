from dataclasses import dataclass, field
from typing import cast, overload

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment.forms import ChallengeForm, ScorecardForm
from assessment.models import Framework, Judgement, Scorecard, judgements_in_full
from delivery_unit.access import check_for_user, get_for_user
from delivery_unit.http import HtmxHttpRequest
from delivery_unit.markdown import render_markdown
from delivery_unit.numbers import parse_id
from delivery_unit.pdf import render_pdf
from delivery_unit.versioning import OUT_OF_DATE, Stale, answer_stale
from delivery_unit.workflow import TransitionRefused
from plans import notifications
from plans.compare import compare
from plans.default_criteria import KIND as PLAN_CRITERIA
from plans.forms import PARTS, CommentForm, DecisionForm, SectionForm, WriterForm
from plans.models import (
    GUIDANCE,
    OVERALL,
    STRUCTURED,
    ChainLink,
    Comment,
    DeliveryPlan,
    Intervention,
    Milestone,
    PlanFrozen,
    PlanSection,
    PlanVersion,
    Risk,
    Section,
)
from priorities.models import Priority


@overload
def _get_plan_for_user(
    request: HtmxHttpRequest, slug: str, change_perm: None = None
) -> tuple[Priority, DeliveryPlan | None]: ...


@overload
def _get_plan_for_user(
    request: HtmxHttpRequest, slug: str, change_perm: str
) -> tuple[Priority, DeliveryPlan]: ...  # a plan to change: 404 if there is none


def _get_plan_for_user(
    request: HtmxHttpRequest, slug: str, change_perm: str | None = None
) -> tuple[Priority, DeliveryPlan | None]:
    priority = get_for_user(
        request.user,
        Priority.objects.select_related("lead"),
        "priorities.view_priority",
        slug=slug,
    )
    plan = DeliveryPlan.objects.prefetch_related("writers").filter(priority=priority).first()
    if plan is None:
        if change_perm is not None:
            raise Http404("This priority has no delivery plan yet.")
        return priority, None
    plan.priority = priority
    return priority, check_for_user(request.user, plan, "plans.view_deliveryplan", change_perm)


# What a version's page shows about it and the version it was copied from.
VERSION_RELATED = ("based_on__decided_by", "submitted_by", "decided_by")


def _get_version_for_user(
    request: HtmxHttpRequest, slug: str, number: int, change_perm: str | None = None
) -> PlanVersion:
    _priority, plan = _get_plan_for_user(request, slug)
    if plan is None:
        raise Http404("This priority has no delivery plan yet.")
    version = plan.versions.select_related(*VERSION_RELATED).filter(number=number).first()
    if version is None:
        raise Http404("No such version of the plan.")
    version.plan = plan
    return check_for_user(request.user, version, "plans.view_deliveryplan", change_perm)


@dataclass
class SectionView:
    """One section as the plan page shows it."""

    section: PlanSection
    html: str
    part: str | None
    items: list
    comments: list = field(default_factory=list)
    comment_form: CommentForm | None = None
    # The unit's judgement of this section on the version returned before this draft.
    feedback: object = None

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def name(self) -> str:
        return self.section.get_key_display()

    @property
    def guidance(self) -> str:
        return GUIDANCE[Section(self.section.key)]


def load_version(version: PlanVersion) -> PlanVersion:
    """Everything a version's pages show, in one query per kind of thing."""
    prefetch_related_objects(
        [version],
        "sections",
        "chain",
        Prefetch("interventions", queryset=Intervention.objects.select_related("indicator")),
        Prefetch("milestones", queryset=Milestone.objects.select_related("owner")),
        "risks",
        Prefetch("comments", queryset=Comment.objects.select_related("author")),
    )
    return version


def _parts(version: PlanVersion) -> dict[str, list]:
    return {
        "chain": sorted(version.chain.all(), key=lambda link: (link.position, link.pk)),
        "interventions": sorted(version.interventions.all(), key=lambda item: item.pk),
        "milestones": sorted(version.milestones.all(), key=lambda item: (item.due, item.pk)),
        "risks": sorted(
            version.risks.all(), key=lambda risk: (risk.status != "open", -risk.rating, risk.pk)
        ),
    }


def _assessment_shown(version: PlanVersion, user) -> tuple[PlanVersion | None, dict]:
    """Which version's assessment sits beside the sections, and its judgements by criterion:
    this version's own where this person may see it, else (on a draft) the unit's assessment of
    the version it was returned as."""
    shown = None
    may_see_own = user is None or user.has_perm("plans.view_assessment", version)
    if version.scorecard_id and may_see_own:
        shown = version
    elif version.is_draft and version.based_on and version.based_on.status == "returned":
        shown = version.based_on
    if shown is None or shown.scorecard_id is None:
        return None, {}
    judgements = (
        Judgement.objects.filter(scorecard_id=shown.scorecard_id)
        .select_related("area")
        .prefetch_related("area__levels", "challenges")
    )
    return shown, {judgement.area.key: judgement for judgement in judgements}


def section_views(
    version: PlanVersion, user, comment_form=None, judgements: dict | None = None
) -> list[SectionView]:
    judgements = judgements or {}
    parts = _parts(version)
    may_comment = user is not None and user.has_perm("plans.comment_planversion", version)
    comments = sorted(version.comments.all(), key=lambda comment: comment.created_at)
    views = []
    for section in version.ordered_sections():
        part = STRUCTURED.get(Section(section.key))
        form = None
        if comment_form and comment_form[0] == section.key:
            form = comment_form[1]
        elif may_comment:
            form = CommentForm(section_name=section.get_key_display(), prefix=section.key)
        views.append(
            SectionView(
                section=section,
                html=render_markdown(section.text),
                part=part,
                items=parts[part] if part else [],
                comments=[c for c in comments if c.section == section.key],
                comment_form=form,
                feedback=judgements.get(section.key),
            )
        )
    return views


def _permissions(user, version: PlanVersion) -> dict[str, bool]:
    plan = version.plan
    if user is None:  # printing
        return {}
    return {
        "edit": user.has_perm("plans.change_planversion", version),
        "submit": user.has_perm("plans.submit_planversion", version),
        "assess": user.has_perm("plans.assess_planversion", version),
        "decide": user.has_perm("plans.decide_planversion", version),
        "start_draft": user.has_perm("plans.change_deliveryplan", plan) and not version.is_open,
        "manage_writers": user.has_perm("plans.manage_writers", plan),
        "moderate": user.has_perm("plans.moderate_plans"),
    }


def version_context(version: PlanVersion, user, **overrides) -> dict:
    load_version(version)
    plan = version.plan
    versions = list(plan.versions.order_by("-number"))
    approved = next((v for v in versions if v.status == PlanVersion.Status.APPROVED), None)
    returned = (
        version.based_on
        if version.based_on and version.based_on.status == PlanVersion.Status.RETURNED
        else None
    )
    assessed, judgements = _assessment_shown(version, user)
    context = {
        "priority": plan.priority,
        "plan": plan,
        "version": version,
        "versions": versions,
        "newest": versions[0],
        "approved": approved,
        "returned": returned,
        "assessed": assessed,
        "overall": judgements.get(OVERALL),
        "sections": section_views(version, user, overrides.pop("comment_form", None), judgements),
        "indicators": list(plan.priority.indicators.order_by("position", "code")),
        "today": timezone.localdate(),
        "can": _permissions(user, version),
        "decision_form": DecisionForm(),
    }
    return context | overrides


@require_GET
def detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The plan as it stands: its newest version, whatever its status."""
    priority, plan = _get_plan_for_user(request, slug)
    version = None
    if plan is not None:
        version = plan.versions.select_related(*VERSION_RELATED).order_by("-number").first()
    if version is None or plan is None:  # without a plan there is no version
        may_start = request.user.has_perm(
            "plans.change_deliveryplan", plan or DeliveryPlan(priority=priority)
        )
        return render(request, "plans/none.html", {"priority": priority, "may_start": may_start})
    version.plan = plan
    return render(request, "plans/detail.html", version_context(version, request.user))


@require_GET
def version(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
    found = _get_version_for_user(request, slug, number)
    return render(request, "plans/detail.html", version_context(found, request.user))


@require_POST
def start(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Start the plan, or its next draft once the last version has been decided."""
    priority, plan = _get_plan_for_user(request, slug)
    if not request.user.has_perm(
        "plans.change_deliveryplan", plan or DeliveryPlan(priority=priority)
    ):
        raise PermissionDenied
    draft = DeliveryPlan.start(priority, by=request.user)
    messages.success(request, f"Version {draft.number} started as a draft.")
    return redirect("plans:detail", slug=slug)


def _section_of(version: PlanVersion, key: str) -> PlanSection:
    if key not in Section.values:
        raise Http404("No such section.")
    section = version.sections.get(key=key)
    section.plan_version = version
    return section


def _render_section(request, version: PlanVersion, key: str, status: int = 200, **extra):
    context = version_context(version, request.user, **extra)
    context["s"] = next(s for s in context["sections"] if s.key == key)
    return render(request, "plans/detail.html#section", context, status=status)


@require_http_methods(["GET", "POST"])
def section(request: HtmxHttpRequest, slug: str, number: int, key: str) -> HttpResponse:
    """Edit one section's text in a draft. Two writers on one section: the second save is
    refused with the first one's text shown, and the second writer's text kept in the form."""
    version = _get_version_for_user(request, slug, number, "plans.change_planversion")
    found = _section_of(version, key)
    label = found.get_key_display()
    template = "plans/section_edit.html#form" if request.htmx else "plans/section_edit.html"
    # The unit's feedback on this section stays beside it while the writer revises.
    assessed, judgements = _assessment_shown(version, request.user)
    context = {
        "version": version,
        "priority": version.plan.priority,
        "section": found,
        "assessed": assessed,
        "judgement": judgements.get(key),
    }
    if request.method == "GET":
        form = SectionForm(initial={"text": found.text, "version": found.version}, label=label)
        return render(request, template, context | {"form": form})
    form = SectionForm(request.POST, label=label)
    if not form.is_valid():
        return render(request, template, context | {"form": form}, status=422)
    try:
        found.revise(
            text=form.cleaned_data["text"], by=request.user, version=form.cleaned_data["version"]
        )
    except Stale as stale:
        message = (
            f"{stale.saved_by or 'Someone'} saved this section while you were editing, so your "
            "changes have not been saved. Their text is shown below yours; merge the two and "
            "save again."
        )
        context["theirs_html"] = render_markdown(stale.current.text)
        theirs = stale.current
        return answer_stale(request, template, context, form, stale, theirs=theirs, message=message)
    except PlanFrozen as frozen:
        form.add_error(None, f"{frozen} Your text has not been saved: copy it before you leave.")
        return render(request, template, context | {"form": form}, status=409)
    if request.htmx:
        return _render_section(request, version, key, saved=True)
    messages.success(request, f"{label} saved.")
    return redirect(f"{reverse('plans:detail', kwargs={'slug': slug})}#section-{key}")


@require_POST
def comment(request: HtmxHttpRequest, slug: str, number: int, key: str) -> HttpResponse:
    version = _get_version_for_user(request, slug, number, "plans.comment_planversion")
    found = _section_of(version, key)
    form = CommentForm(request.POST, section_name=found.get_key_display(), prefix=key)
    if not form.is_valid():
        if request.htmx:
            return _render_section(request, version, key, 422, comment_form=(key, form))
        context = version_context(version, request.user, comment_form=(key, form))
        return render(request, "plans/detail.html", context | {"form": form}, status=422)
    version.write(
        request.user,
        lambda: Comment.objects.create(
            plan_version=version,
            section=key,
            author=request.user,
            body=form.cleaned_data["body"],
        ),
    )
    if request.htmx:
        return _render_section(request, version, key, commented=True)
    messages.success(request, "Comment added.")
    return redirect(f"{reverse('plans:detail', kwargs={'slug': slug})}#section-{key}")


def _part(part: str):
    if part not in PARTS:
        raise Http404("No such part of the plan.")
    return PARTS[part]


@require_http_methods(["GET", "POST"])
def item_add(request: HtmxHttpRequest, slug: str, number: int, part: str) -> HttpResponse:
    model, form_class, key, words = _part(part)
    version = _get_version_for_user(request, slug, number, "plans.change_planversion")
    priority = version.plan.priority
    form = form_class(request.POST or None, priority=priority)
    context = {"version": version, "priority": priority, "form": form, "title": f"Add {words}"}
    if request.method == "GET" or not form.is_valid():
        status = 422 if request.method == "POST" else 200
        return render(request, "plans/item_form.html", context, status=status)
    fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
    try:
        model.add(version, fields, by=request.user)
    except PlanFrozen as frozen:
        form.add_error(None, str(frozen))
        return render(request, "plans/item_form.html", context, status=409)
    messages.success(request, f"Added {words}.")
    return redirect(f"{reverse('plans:detail', kwargs={'slug': slug})}#section-{key}")


@require_http_methods(["GET", "POST"])
def item_edit(request: HtmxHttpRequest, slug: str, number: int, part: str, pk: int) -> HttpResponse:
    model, form_class, key, words = _part(part)
    version = _get_version_for_user(request, slug, number, "plans.change_planversion")
    item = model.objects.filter(plan_version=version, pk=pk).first()
    if item is None:
        raise Http404("No such item in this version.")
    item.plan_version = version
    priority = version.plan.priority
    title = f"Change {words}"
    if request.method == "GET":
        form = form_class(instance=item, initial={"version": item.version}, priority=priority)
        context = {"version": version, "priority": priority, "form": form, "title": title}
        return render(request, "plans/item_form.html", context | {"item": item, "part": part})
    form = form_class(request.POST, instance=model.objects.get(pk=item.pk), priority=priority)
    context = {"version": version, "priority": priority, "form": form, "title": title}
    context |= {"item": item, "part": part}
    if not form.is_valid() or not form.cleaned_data.get("version"):
        if form.is_valid():
            form.add_error(None, OUT_OF_DATE)
        return render(request, "plans/item_form.html", context, status=422)
    fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
    try:
        item.edit(fields, by=request.user, version=form.cleaned_data["version"])
    except Stale as stale:
        theirs = [
            (str(form.fields[name].label), str(getattr(stale.current, name) or "Not set"))
            for name in form.Meta.fields
        ]
        return answer_stale(request, "plans/item_form.html", context, form, stale, theirs=theirs)
    except PlanFrozen as frozen:
        form.add_error(None, str(frozen))
        return render(request, "plans/item_form.html", context, status=409)
    messages.success(request, f"Saved {words}.")
    return redirect(f"{reverse('plans:detail', kwargs={'slug': slug})}#section-{key}")


@require_POST
def item_remove(
    request: HtmxHttpRequest, slug: str, number: int, part: str, pk: int
) -> HttpResponse:
    model, _form_class, key, words = _part(part)
    version = _get_version_for_user(request, slug, number, "plans.change_planversion")
    item = model.objects.filter(plan_version=version, pk=pk).first()
    if item is None:
        raise Http404("No such item in this version.")
    item.plan_version = version
    try:
        seen = parse_id(request.POST.get("version", ""))
        if seen is None:
            raise ValueError("no version")
        item.remove(by=request.user, version=seen)
    except (ValueError, Stale):
        messages.error(request, "Someone else changed this meanwhile, so it was not removed.")
    else:
        messages.success(request, f"Removed {words}.")
    return redirect(f"{reverse('plans:detail', kwargs={'slug': slug})}#section-{key}")


@require_http_methods(["GET", "POST"])
def submit(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
    """Submitting freezes the version, so it asks once: the page says what will happen and
    which sections are still empty, and its button submits."""
    version = _get_version_for_user(request, slug, number, "plans.submit_planversion")
    if request.method == "GET":
        sections = section_views(version, None)
        empty = [s for s in sections if not s.section.text.strip() and not s.items]
        context = {"priority": version.plan.priority, "version": version, "empty": empty}
        return render(request, "plans/submit.html", context)
    version.submit(by=request.user)
    notifications.plan_submitted(version)
    messages.success(request, f"Version {version.number} submitted to the unit for assessment.")
    return redirect("plans:detail", slug=slug)


@require_POST
def decide(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
    """Return the plan with feedback (a new draft follows) or approve it."""
    version = _get_version_for_user(request, slug, number, "plans.decide_planversion")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        context = version_context(version, request.user, decision_form=form)
        return render(request, "plans/detail.html", context | {"form": form}, status=422)
    feedback = form.cleaned_data["feedback"].strip()
    if form.cleaned_data["decision"] == "return":
        version.return_for_revision(by=request.user, feedback=feedback)
        message = f"Version {version.number} returned to the lead with feedback."
    else:
        version.approve(by=request.user, feedback=feedback)
        message = f"Version {version.number} approved."
    notifications.plan_decided(version)
    messages.success(request, message)
    return redirect("plans:detail", slug=slug)


@require_http_methods(["GET", "POST"])
def writers(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The lead or the unit add the service staff who write the plan, or take them off it."""
    _priority, plan = _get_plan_for_user(request, slug, "plans.manage_writers")
    form = WriterForm(request.POST if "add" in request.POST else None, plan=plan)
    if request.method == "POST":
        if "remove" in request.POST:
            removing = parse_id(request.POST.get("remove", ""))
            removed = plan.writers.filter(pk=removing).first() if removing else None
            if removed is not None:
                plan.writers.remove(removed)
                messages.success(request, f"{removed} can no longer write this plan.")
            return redirect("plans:writers", slug=slug)
        if form.is_valid():
            plan.writers.add(form.cleaned_data["writer"])
            messages.success(request, f"{form.cleaned_data['writer']} can now write this plan.")
            return redirect("plans:writers", slug=slug)
        context = {"plan": plan, "priority": plan.priority, "form": form}
        return render(request, "plans/writers.html", context, status=422)
    return render(
        request, "plans/writers.html", {"plan": plan, "priority": plan.priority, "form": form}
    )


@require_GET
def compare_versions(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Any two versions side by side; by default the newest and the one before it."""
    _priority, plan = _get_plan_for_user(request, slug)
    if plan is None:
        raise Http404("This priority has no delivery plan yet.")
    versions = list(plan.versions.order_by("-number"))
    numbers = [v.number for v in versions]
    errors = []

    def chosen(name: str, default: int | None) -> int | None:
        text = request.GET.get(name)
        if text is None:
            return default
        number = parse_id(text)
        if number not in numbers:
            errors.append(f"Select a version of this plan to compare ({name})")
            return None
        return number

    old = chosen("from", numbers[1] if len(numbers) > 1 else (numbers[0] if numbers else None))
    new = chosen("to", numbers[0] if numbers else None)
    diffs = []
    if old is not None and new is not None and not errors:
        by_number = {v.number: v for v in versions}
        left, right = load_version(by_number[old]), load_version(by_number[new])
        diffs = compare(left, right)
    context = {
        "plan": plan,
        "priority": plan.priority,
        "versions": versions,
        "old": old,
        "new": new,
        "diffs": diffs,
        "errors": errors,
    }
    return render(request, "plans/compare.html", context, status=422 if errors else 200)


@require_GET
def history(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Every change to the plan: each version's moves, and each edit of its text and parts."""
    _priority, plan = _get_plan_for_user(request, slug)
    if plan is None:
        raise Http404("This priority has no delivery plan yet.")
    entries = []
    for entry in PlanVersion.history.filter(plan=plan).select_related("history_user")[:200]:
        entries.append((entry, f"Version {entry.number}", entry.get_status_display()))
    sections = PlanSection.history.filter(plan_version__plan=plan).select_related(
        "history_user", "plan_version"
    )
    for entry in sections.exclude(history_type="+")[:500]:
        entries.append(
            (entry, f"Version {entry.plan_version.number}", f"{entry.get_key_display()} edited")
        )
    for model, words in (
        (ChainLink, "Delivery chain"),
        (Intervention, "Interventions"),
        (Milestone, "Milestones"),
        (Risk, "Risks"),
    ):
        changes = model.history.filter(plan_version__plan=plan).select_related(
            "history_user", "plan_version"
        )
        for entry in changes[:200]:
            action = {"+": "added", "~": "changed", "-": "removed"}[entry.history_type]
            entries.append(
                (entry, f"Version {entry.plan_version.number}", f"{words}: {entry} {action}")
            )
    entries.sort(key=lambda row: row[0].history_date, reverse=True)
    context = {"plan": plan, "priority": plan.priority, "entries": entries}
    return render(request, "plans/history.html", context)


@require_GET
def pdf(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
    """The version as a tagged PDF, laid out from the same section templates as the page."""
    found = _get_version_for_user(request, slug, number)
    context = version_context(found, None) | {"generated_at": timezone.now()}
    html = render_to_string("plans/print.html", context, request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    filename = f"delivery-plan-{found.plan.priority.slug}-v{found.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _assess_context(version: PlanVersion, form: ScorecardForm, **extra) -> dict:
    return {
        "version": version,
        "priority": version.plan.priority,
        "plan": version.plan,
        "form": form,
    } | extra


def _scorecard_of(version: PlanVersion) -> Scorecard:
    # A version being assessed was submitted, which started its scorecard.
    return Scorecard.objects.prefetch_related(judgements_in_full("judgements")).get(
        pk=cast(int, version.scorecard_id)
    )


@require_http_methods(["GET", "POST"])
def assess(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
    """The unit rates a submitted version against every criterion, with its feedback. "Save"
    keeps a partial assessment; "Complete the assessment" needs every criterion rated."""
    version = _get_version_for_user(request, slug, number, "plans.assess_planversion")
    scorecard = _scorecard_of(version)
    previous = version.previous_judgements()
    if request.method == "GET":
        form = ScorecardForm(scorecard=scorecard, previous=previous)
        return render(request, "plans/assess.html", _assess_context(version, form))
    completing = request.POST.get("action") == "complete"
    form = ScorecardForm(request.POST, scorecard=scorecard, previous=previous, proposing=completing)
    if not form.is_valid():
        return render(request, "plans/assess.html", _assess_context(version, form), status=422)
    try:
        scorecard.save_draft(form.values(), by=request.user, version=form.cleaned_data["version"])
        if completing:
            version.mark_assessed(by=request.user)
    except Stale as stale:
        fresh = _scorecard_of(version)
        message = (
            f"{stale.saved_by or 'Someone'} saved this assessment while you were working, so "
            "your ratings have not been saved. Theirs are shown beside each criterion; check "
            "yours and save again."
        )
        theirs = {j.area.key: j for j in fresh.ordered_judgements() if j.level}
        context = _assess_context(version, form)
        template = "plans/assess.html"
        return answer_stale(request, template, context, form, stale, theirs=theirs, message=message)
    except TransitionRefused as refused:
        form.add_error(None, str(refused))
        return render(request, "plans/assess.html", _assess_context(version, form), status=409)
    if completing:
        messages.success(request, f"Assessment of version {version.number} complete.")
        return redirect("plans:detail", slug=slug)
    messages.success(request, "Assessment saved.")
    return redirect("plans:assess", slug=slug, number=number)


def _moderation_rows(user) -> tuple[list, list]:
    """Every plan awaiting its decision (submitted or assessed), against the current criteria:
    plans down the side, criteria across."""
    framework = Framework.objects.current(PLAN_CRITERIA)
    areas = list(framework.areas.order_by("position"))
    versions = (
        PlanVersion.objects.filter(status__in=["submitted", "assessed"], scorecard__isnull=False)
        .select_related("plan__priority__lead")
        .prefetch_related(judgements_in_full("scorecard__judgements"))
        .order_by("plan__priority__title")
    )
    rows = []
    for version in versions:
        scorecard = cast(Scorecard, version.scorecard)  # the query asks for one
        by_key = {j.area.key: j for j in scorecard.judgements.all()}
        rows.append((version, [(area, by_key.get(area.key)) for area in areas]))
    return areas, rows


@require_GET
def moderation(request: HtmxHttpRequest) -> HttpResponse:
    if not request.user.has_perm("plans.moderate_plans"):
        raise PermissionDenied
    areas, rows = _moderation_rows(request.user)
    return render(request, "plans/moderation.html", {"areas": areas, "rows": rows})


@require_http_methods(["GET", "POST"])
def challenge(request: HtmxHttpRequest, slug: str, number: int, key: str) -> HttpResponse:
    """A panel member changes one criterion's rating in moderation, with the reason."""
    version = _get_version_for_user(request, slug, number, "plans.assess_planversion")
    judgement = (
        Judgement.objects.filter(scorecard=version.scorecard_id, area__key=key)
        .select_related("area")
        .prefetch_related("area__levels")
        .first()
    )
    if judgement is None:
        raise Http404("No criterion matches the given query.")
    form = ChallengeForm(request.POST or None, judgement=judgement)
    context: dict[str, object] = {
        "version": version,
        "priority": version.plan.priority,
        "judgement": judgement,
    }
    context["form"] = form
    if request.method == "GET":
        template = "plans/challenge.html#panel" if request.htmx else "plans/challenge.html"
        return render(request, template, context)
    status = 422
    if form.is_valid():
        try:
            made = version.challenge(
                judgement,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                seen=form.cleaned_data["seen"],
            )
        except TransitionRefused as refused:
            form.add_error(None, str(refused))
            status = 409
        else:
            done = (
                f"{judgement.area.name} for {version.plan.priority} changed from "
                f"{made.original_label} to {made.moderated_label}."
            )
            if request.htmx:
                areas, rows = _moderation_rows(request.user)
                extra = {"areas": areas, "rows": rows, "done": done}
                return render(request, "plans/moderation.html#moderation", extra)
            messages.success(request, done)
            return redirect("plans:moderation")
    if request.htmx:
        response = render(request, "plans/challenge.html#panel", context, status=status)
        response["HX-Retarget"] = "#challenge-panel"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "plans/challenge.html", context, status=status)
