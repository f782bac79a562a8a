"""Assessment rounds: rating each priority, the lead's self-assessment, moderation, the delivery
report and each priority's rating history."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from assessment.forms import ChallengeForm, ScorecardForm
from assessment.models import Judgement, judgements_in_full
from delivery_unit.access import get_for_user, require_perm
from delivery_unit.http import HtmxHttpRequest
from delivery_unit.tables import table_response
from delivery_unit.versioning import Stale, answer_stale
from delivery_unit.workflow import TransitionRefused
from priorities.indicators.kept import shown_indicators
from priorities.models import Priority
from priorities.rounds.forms import ExcludeForm, RoundForm, SelfAssessmentForm
from priorities.rounds.models import Round, RoundEntry, SelfAssessment
from priorities.rounds.moderation import moderation_rows
from priorities.rounds.report import (
    NOTABLE_GAP,
    SORTS,
    delivery_report,
    rating_history,
    render_report_pdf,
    report_for_page,
    voice_gap,
)


def _get_round_for_user(request: HtmxHttpRequest, pk: int, change_perm: str | None = None) -> Round:
    return get_for_user(
        request.user,
        Round.objects.select_related("framework", "opened_by", "agreed_by"),
        "priorities.view_round",
        change_perm,
        pk=pk,
    )


def _get_entry_for_user(
    request: HtmxHttpRequest,
    pk: int,
    slug: str,
    change_perm: str | None = None,
    view_perm: str = "priorities.view_roundentry",
) -> RoundEntry:
    return get_for_user(
        request.user,
        RoundEntry.objects.select_related(
            "round__framework", "priority__lead", "priority__analyst", "scorecard"
        ).prefetch_related(judgements_in_full()),
        view_perm,
        change_perm,
        round_id=pk,
        priority__slug=slug,
    )


def _previous(entry: RoundEntry) -> tuple[RoundEntry | None, dict[str, Judgement]]:
    previous = entry.previous_agreed()
    if previous is None:
        return None, {}
    return previous, {j.area.key: j for j in previous.scorecard.judgements.all()}


# Rounds


@require_GET
def rounds(request: HtmxHttpRequest) -> HttpResponse:
    visible = Round.objects.visible_to(request.user).newest_first().select_related("framework")
    return render(request, "priorities/rounds.html", {"rounds": visible})


@require_http_methods(["GET", "POST"])
def open_round(request: HtmxHttpRequest) -> HttpResponse:
    require_perm(request.user, "priorities.add_round")
    form = RoundForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            round_ = Round.open_round(
                name=form.cleaned_data["name"], date=form.cleaned_data["date"], by=request.user
            )
            messages.success(request, f"{round_.name} is open for rating.")
            return redirect(round_)
        return render(request, "priorities/round_form.html", {"form": form}, status=422)
    return render(request, "priorities/round_form.html", {"form": form})


def _round_context(round_: Round) -> dict:
    entries = list(round_.entries_in_full())
    waiting = sum(entry.status == RoundEntry.Status.DRAFT for entry in entries)
    return {"round": round_, "entries": entries, "waiting": waiting}


@require_GET
def round_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    round_ = _get_round_for_user(request, pk)
    return render(request, "priorities/round.html", _round_context(round_))


def _move_round(request: HtmxHttpRequest, pk: int, move: str, done: str) -> HttpResponse:
    round_ = _get_round_for_user(request, pk, "priorities.moderate_round")
    try:
        getattr(round_, move)(by=request.user)
    except TransitionRefused as refused:
        context = _round_context(round_) | {"refused": str(refused)}
        return render(request, "priorities/round.html", context, status=409)
    messages.success(request, done.format(round=round_))
    return redirect(round_)


@require_POST
def start_moderation(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _move_round(request, pk, "start_moderation", "{round} is in moderation.")


@require_http_methods(["GET", "POST"])
def agree(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Agreeing cannot be undone, so it asks once: the page says what will happen and what is
    missing (the leads who gave no self-assessment), and its button makes the move."""
    if request.method == "GET":
        round_ = _get_round_for_user(request, pk, "priorities.moderate_round")
        context = _round_context(round_)
        if not round_.in_moderation:
            refused = "Only a round in moderation can be agreed."
            return render(
                request, "priorities/round.html", context | {"refused": refused}, status=409
            )
        rated = [e for e in context["entries"] if e.status != RoundEntry.Status.EXCLUDED]
        context["no_self_assessment"] = [
            e for e in rated if e.priority.lead_id and not hasattr(e, "self_assessment")
        ]
        context["rated"] = rated
        return render(request, "priorities/agree.html", context)
    return _move_round(
        request, pk, "agree", "{round} is agreed: its ratings are in the delivery report."
    )


# Rating one priority


def _entry_context(entry: RoundEntry, form: ScorecardForm | None, user, **extra) -> dict:
    previous, previous_judgements = _previous(entry)
    can_rate = entry.is_editable and user.has_perm("priorities.rate_roundentry", entry)
    if form is None and can_rate:
        form = ScorecardForm(scorecard=entry.scorecard, previous=previous_judgements)
    self_assessment = SelfAssessment.objects.filter(entry=entry).first()
    return {
        "entry": entry,
        "round": entry.round,
        "priority": entry.priority,
        "form": form,
        "previous": previous,
        "previous_judgements": previous_judgements,
        "self_assessment": self_assessment,
        "gap": voice_gap(entry.scorecard.overall(), self_assessment),
        "notable_gap": NOTABLE_GAP,
        "shown": shown_indicators(entry.priority),
        "exclude_form": ExcludeForm() if can_rate else None,
    } | extra


@require_http_methods(["GET", "POST"])
def entry(request: HtmxHttpRequest, pk: int, slug: str) -> HttpResponse:
    """The analyst's rating of one priority. Drafts save as the analyst works (htmx posts the
    form on every change, without a submit button); "Propose" submits the whole form."""
    if request.method == "GET":
        found = _get_entry_for_user(request, pk, slug)
        return render(request, "priorities/entry.html", _entry_context(found, None, request.user))
    found = _get_entry_for_user(request, pk, slug, "priorities.rate_roundentry")
    proposing = request.POST.get("action") == "propose"
    _previous_entry, previous = _previous(found)
    form = ScorecardForm(
        request.POST, scorecard=found.scorecard, previous=previous, proposing=proposing
    )
    autosave = bool(request.htmx) and not proposing
    if not form.is_valid():
        if autosave:
            context = {"form": form, "entry": found, "problem": True}
            return render(request, "priorities/entry.html#draft-status", context, status=422)
        return _render_entry(request, found, form, status=422)
    try:
        if proposing:
            found.propose(
                form.values(),
                by=request.user,
                version=form.cleaned_data["version"],
                previous=previous,
            )
        else:
            found.save_draft(form.values(), by=request.user, version=form.cleaned_data["version"])
    except Stale as stale:
        return _render_stale(request, found, previous, stale, proposing)
    except TransitionRefused as refused:
        if found.proposed_as(form.values(), by=request.user):
            return _already_proposed(request, found, autosave)
        form.add_error(None, str(refused))
        return _render_entry(request, found, form, status=409)
    if proposing:
        messages.success(request, f"Ratings of {found.priority} proposed for moderation.")
        return redirect(found.round)
    if autosave:
        found.scorecard.refresh_from_db(fields=["version"])
        context = {
            "form": form,
            "entry": found,
            "saved_at": timezone.localtime(),
            "new_version": found.scorecard.version,
        }
        return render(request, "priorities/entry.html#draft-status", context)
    messages.success(request, "Draft saved.")
    return redirect(found)


def _already_proposed(request, entry: RoundEntry, autosave: bool) -> HttpResponse:
    """The person's own autosave or second "Propose" arriving after their proposal went in,
    with nothing different in it: no conflict, nothing to save."""
    if autosave:
        context = {"entry": entry, "already_proposed": True}
        return render(request, "priorities/entry.html#draft-status", context)
    messages.success(request, f"Ratings of {entry.priority} proposed for moderation.")
    return redirect(entry.round)


def _render_entry(request, entry: RoundEntry, form, *, status: int, **extra) -> HttpResponse:
    context = _entry_context(entry, form, request.user, **extra)
    if request.htmx:
        # An autosave that went wrong: replace the whole rating form, so that the analyst sees
        # the problem and everything they wrote.
        response = render(request, "priorities/entry.html#scorecard", context, status=status)
        return reswap(retarget(response, "#scorecard"), "outerHTML")
    return render(request, "priorities/entry.html", context, status=status)


def _render_stale(request, entry, previous, stale: Stale, proposing) -> HttpResponse:
    """Someone saved these ratings meanwhile: keep what this analyst wrote, now based on the
    saved version, and show the other person's ratings beside each area."""
    current = (
        type(stale.current)
        .objects.select_related("updated_by")
        .prefetch_related(judgements_in_full("judgements"))
        .get(pk=stale.current.pk)
    )
    form = ScorecardForm(
        request.POST, scorecard=entry.scorecard, previous=previous, proposing=proposing
    )
    who = current.updated_by or "Someone else"
    form.rebase(
        current.version,
        f"{who} saved these ratings while you were working, so yours have not been saved. "
        "The form keeps what you wrote; their ratings are shown beside each area. Check "
        "yours against them and save again.",
    )
    theirs = {judgement.area.key: judgement for judgement in current.judgements.all()}
    return _render_entry(request, entry, form, status=409, theirs=theirs)


@require_POST
def withdraw(request: HtmxHttpRequest, pk: int, slug: str) -> HttpResponse:
    found = _get_entry_for_user(request, pk, slug, "priorities.rate_roundentry")
    found.withdraw()
    messages.success(request, f"Ratings of {found.priority} are a draft again.")
    return redirect(found)


@require_POST
def exclude(request: HtmxHttpRequest, pk: int, slug: str) -> HttpResponse:
    found = _get_entry_for_user(request, pk, slug, "priorities.rate_roundentry")
    exclude_form = ExcludeForm(request.POST)
    if not exclude_form.is_valid():
        context = _entry_context(found, None, request.user, exclude_form=exclude_form)
        return render(request, "priorities/entry.html", context, status=422)
    found.exclude(reason=exclude_form.cleaned_data["reason"], by=request.user)
    messages.success(request, f"{found.priority} is left out of {found.round}.")
    return redirect(found.round)


# The lead's self-assessment


@require_http_methods(["GET", "POST"])
def self_assessment(request: HtmxHttpRequest, pk: int, slug: str) -> HttpResponse:
    found = _get_entry_for_user(
        request,
        pk,
        slug,
        "priorities.add_selfassessment",
        view_perm="priorities.view_selfassessment",
    )
    current = SelfAssessment.objects.filter(entry=found).first()
    context: dict[str, object] = {"entry": found, "round": found.round, "priority": found.priority}
    if request.method == "GET":
        initial: dict[str, object] = {"version": current.version if current else 0}
        if current:
            initial |= {"level": current.level, "rationale": current.rationale}
        form = SelfAssessmentForm(initial=initial)
        return render(request, "priorities/self_assessment.html", context | {"form": form})
    form = SelfAssessmentForm(request.POST)
    if not form.is_valid():
        context["form"] = form
        return render(request, "priorities/self_assessment.html", context, status=422)
    try:
        SelfAssessment.record(
            found,
            level=form.cleaned_data["level"],
            rationale=form.cleaned_data["rationale"],
            by=request.user,
            version=form.cleaned_data["version"],
        )
    except Stale as stale:
        message = (
            "Your self-assessment was saved from another window while you were writing, so "
            "this one has not been saved. The saved one is shown below; check and save again."
        )
        template = "priorities/self_assessment.html"
        return answer_stale(
            request, template, context, form, stale, theirs=stale.current, message=message
        )
    except TransitionRefused as refused:
        form.add_error(None, str(refused))
        context["form"] = form
        return render(request, "priorities/self_assessment.html", context, status=409)
    messages.success(request, "Your self-assessment is saved. The unit sees it beside its rating.")
    return redirect("priorities:detail", slug=found.priority.slug)


# Moderation


def _moderation_context(round_: Round, user, **extra) -> dict:
    areas, previous_round, rows = moderation_rows(round_, user)
    return {
        "round": round_,
        "areas": areas,
        "rows": rows,
        "previous_round": previous_round,
    } | extra


@require_GET
def moderation(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    round_ = _get_round_for_user(request, pk)
    return render(request, "priorities/moderation.html", _moderation_context(round_, request.user))


def _judgement(found: RoundEntry, key: str) -> Judgement:
    judgement = found.scorecard.judgement_for(key)
    if judgement is None:
        raise Http404("No judgement area matches the given query.")
    return judgement


@require_GET
def moderation_cell(request: HtmxHttpRequest, pk: int, slug: str, key: str) -> HttpResponse:
    """One cell of the moderation grid in full: the rationale, why it changed, the last agreed
    rating and the challenge log. The grid fetches it when the cell is opened (htmx), so that
    the grid itself carries only the ratings; without JavaScript the cell links here."""
    found = _get_entry_for_user(request, pk, slug)
    if found.status == RoundEntry.Status.EXCLUDED:
        raise Http404("This priority was left out of the round.")
    judgement = _judgement(found, key)
    _previous_entry, previous_judgements = _previous(found)
    context = {
        "entry": found,
        "round": found.round,
        "judgement": judgement,
        "previous": previous_judgements.get(key),
    }
    template = "priorities/moderation_cell.html"
    response = render(request, f"{template}#details" if request.htmx else template, context)
    # The page and its partial share one URL: a cache must not answer one with the other.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET", "POST"])
def challenge(request: HtmxHttpRequest, pk: int, slug: str, key: str) -> HttpResponse:
    """A panel member changes one proposed rating, with the reason, in moderation."""
    found = _get_entry_for_user(request, pk, slug, "priorities.challenge_roundentry")
    judgement = _judgement(found, key)
    if found.status not in {RoundEntry.Status.PROPOSED, RoundEntry.Status.MODERATED}:
        raise Http404("This priority was left out of the round.")
    form = ChallengeForm(request.POST or None, judgement=judgement)
    context = {"entry": found, "round": found.round, "judgement": judgement, "form": form}
    if request.method == "GET":
        template = (
            "priorities/challenge.html#panel" if request.htmx else "priorities/challenge.html"
        )
        return render(request, template, context)
    if form.is_valid():
        try:
            made = found.challenge(
                judgement,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                seen=form.cleaned_data["seen"],
            )
        except TransitionRefused as refused:
            form.add_error(None, str(refused))
            return _render_challenge(request, context, status=409)
        done = (
            f"{judgement.area.name} for {found.priority} changed from {made.original_label} "
            f"to {made.moderated_label}."
        )
        if request.htmx:
            round_ = _get_round_for_user(request, pk)
            extra = {"done": done}
            return render(
                request,
                "priorities/moderation.html#moderation",
                _moderation_context(round_, request.user, **extra),
            )
        messages.success(request, done)
        return redirect("assessment:moderation", pk=pk)
    return _render_challenge(request, context, status=422)


def _render_challenge(request, context, *, status: int) -> HttpResponse:
    if request.htmx:
        response = render(request, "priorities/challenge.html#panel", context, status=status)
        return reswap(retarget(response, "#challenge-panel"), "innerHTML")
    return render(request, "priorities/challenge.html", context, status=status)


@require_http_methods(["GET", "POST"])
def amend(request: HtmxHttpRequest, pk: int, slug: str, key: str) -> HttpResponse:
    """The Unit Leader's recorded amendment of an agreed rating."""
    found = _get_entry_for_user(request, pk, slug, "priorities.amend_roundentry")
    judgement = _judgement(found, key)
    form = ChallengeForm(request.POST or None, judgement=judgement, amendment=True)
    context = {
        "entry": found,
        "round": found.round,
        "judgement": judgement,
        "form": form,
        "amendment": True,
    }
    if request.method == "GET":
        return render(request, "priorities/challenge.html", context)
    if not form.is_valid():
        return render(request, "priorities/challenge.html", context, status=422)
    try:
        found.amend(
            judgement,
            level=form.cleaned_data["level"],
            reason=form.cleaned_data["reason"],
            by=request.user,
            seen=form.cleaned_data["seen"],
        )
    except TransitionRefused as refused:
        form.add_error(None, str(refused))
        return render(request, "priorities/challenge.html", context, status=409)
    messages.success(request, f"{judgement.area.name} for {found.priority} amended.")
    return redirect("priorities:rating_history", slug=found.priority.slug)


# The delivery report and each priority's history


def _sort(request: HtmxHttpRequest) -> str:
    sort = request.GET.get("sort", "likelihood")
    return sort if sort in SORTS else "likelihood"


@require_GET
def report(request: HtmxHttpRequest) -> HttpResponse:
    sort = _sort(request)
    context = {
        "report": report_for_page(sort=sort),
        "sort": sort,
        "sorts": SORTS,
        "notable_gap": NOTABLE_GAP,
    }
    return render(request, "priorities/report.html", context)


@require_GET
def report_csv(request: HtmxHttpRequest) -> HttpResponse:
    found = delivery_report(sort=_sort(request))
    if found.round is None:
        raise Http404("No round has been agreed yet.")
    columns = ["Priority", "Priority lead"]
    for area in found.areas:
        columns += [area.name, f"{area.name}: change"]
    columns += ["Self-assessment", "Gap between the two voices", "Against trajectory"]

    def row_values(row):
        values = [row.priority.title, str(row.priority.lead or "")]
        for cell in row.cells:
            values += [
                cell.judgement.label if cell.judgement else "",
                cell.change.words if cell.change else "",
            ]
        view = row.self_assessment
        values += [
            row.overall.area.level(view.level).label if view else "",
            "" if row.gap is None else row.gap,
            row.standing.summary,
        ]
        return values

    return table_response(
        columns,
        (row_values(row) for row in found.rows),
        filename=f"delivery-report-{found.round.date:%Y-%m-%d}",
        file_format="csv",
    )


@require_GET
def report_pdf(request: HtmxHttpRequest) -> HttpResponse:
    """The delivery report as a tagged PDF: one landscape A4 page for up to twelve priorities."""
    found = delivery_report(sort=_sort(request))
    if found.round is None:
        raise Http404("No round has been agreed yet.")
    response = HttpResponse(render_report_pdf(found), content_type="application/pdf")
    filename = f"delivery-report-{found.round.date:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def rating_history_view(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    priority = get_for_user(
        request.user,
        Priority.objects.select_related("lead"),
        "priorities.view_priority",
        slug=slug,
    )
    history = rating_history(priority, request.user)
    can_amend = request.user.has_perm("priorities.moderate_round")
    context = {"priority": priority, "history": history, "can_amend": can_amend}
    return render(request, "priorities/rating_history.html", context)
