"""Priority reviews in the browser. Every view reaches a review through ``_get_review``, which
answers 404 to whoever may not see what is asked (fieldwork is confidential to the team and unit
staff) and 403 to whoever may see it but not change it."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from delivery_unit.access import check_for_user, get_for_user, require_perm
from delivery_unit.http import HtmxHttpRequest
from delivery_unit.numbers import parse_id
from delivery_unit.uploads import accepts_uploads
from delivery_unit.versioning import Stale, answer_stale, versioned_edit
from delivery_unit.workflow import TransitionRefused
from reviews.forms import (
    CloseForm,
    EvidenceForm,
    FieldworkForm,
    FindingForm,
    FollowUpForm,
    IssueForm,
    ProgressForm,
    RecommendationForm,
    ResponseForm,
    ReviewForm,
    TeamMemberForm,
    TermsForm,
)
from reviews.models import (
    Evidence,
    Finding,
    HypothesisTest,
    Recommendation,
    Review,
    TeamMember,
)
from reviews.report import gather, issue_report, render_report_pdf
from reviews.uploads import max_bytes

# What the button that moves a review on says, by the phase it is in. Reporting ends when the
# report is issued; follow-up when it is recorded.
NEXT_LABELS: dict[str, str] = {
    Review.Status.SCOPING: "Start fieldwork",
    Review.Status.FIELDWORK: "Start analysis",
    Review.Status.ANALYSIS: "Start reporting",
}


def _reviews():
    return Review.objects.select_related(
        "priority", "priority__lead", "lead", "commissioned_by", "terms_signed_off_by"
    ).prefetch_related("team", "phases")


def _get_review(
    request: HtmxHttpRequest, pk: int, view_perm: str = "reviews.view_review", change_perm=None
) -> Review:
    return get_for_user(request.user, _reviews(), view_perm, change_perm, pk=pk)


@require_GET
def review_list(request: HtmxHttpRequest) -> HttpResponse:
    """The unit's list: every review with its phase, lateness and open recommendations. Others
    see the reviews whose report has been issued to them, and those they are on the team of."""
    require_perm(request.user, "reviews.view_review_list")
    user = request.user
    reviews = _reviews().visible_to(user).with_counts().order_by("status", "-created_at")
    today = timezone.localdate()
    rows = [
        {
            "review": review,
            "late": review.late_phases(today),
            "follow_up_due": review.follow_up_is_due(today),
            "can_read_report": user.has_perm("reviews.view_issued_report", review),
            # The follow-up is the unit's page: linked only for those who may open it.
            "can_open_follow_up": user.has_perm("reviews.view_fieldwork", review)
            and user.has_perm("reviews.follow_up_review", review),
        }
        for review in reviews
    ]
    due = [row for row in rows if row["follow_up_due"] and row["can_open_follow_up"]]
    context = {"rows": rows, "due": due}
    return render(request, "reviews/list.html", context)


@require_http_methods(["GET", "POST"])
def create(request: HtmxHttpRequest) -> HttpResponse:
    require_perm(request.user, "reviews.add_review")
    initial = {}
    if request.method == "GET" and request.GET.get("priority"):
        initial["priority"] = parse_id(request.GET["priority"])
    form = ReviewForm(request.POST or None, initial=initial | {"lead": request.user.pk})
    if request.method == "POST":
        if form.is_valid():
            review = Review.commission(
                by=request.user, planned=form.planned(), **form.review_fields()
            )
            messages.success(request, "Review commissioned. Draft its terms of reference next.")
            return redirect(review)
        return render(request, "reviews/edit.html", _create_context(form), status=422)
    return render(request, "reviews/edit.html", _create_context(form))


def _create_context(form) -> dict:
    return {
        "form": form,
        "heading": "Commission a priority review",
        "action": reverse("reviews:create"),
    }


def _edit_context(review: Review, form, **extra) -> dict:
    return {
        "form": form,
        "review": review,
        "heading": "Edit the review",
        "action": reverse("reviews:edit", kwargs={"pk": review.pk}),
    } | extra


@require_GET
def detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    review = _get_review(request, pk)
    user = request.user
    can_read_report = user.has_perm("reviews.view_issued_report", review)
    context = {
        "review": review,
        "phases": review.ordered_phases(),
        "team": review.team.select_related("user").order_by("pk"),
        "hypotheses": review.hypotheses.order_by("pk"),
        "reports": review.reports.select_related("issued_by")
        .order_by("number")
        .defer("pdf", "html")
        if can_read_report
        else [],
        "recommendations": review.recommendations.select_related("owner").order_by("pk")
        if can_read_report or user.has_perm("reviews.view_fieldwork", review)
        else [],
        "can_read_report": can_read_report,
        # The stocktake decisions that commissioned it: the stocktakes app holds that link.
        "prompted_by_items": review.prompted_by_items.select_related("stocktake").order_by(
            "stocktake__date"
        ),
        "late_phases": review.late_phases(),
        "next_label": NEXT_LABELS.get(review.status),
        "fieldwork_count": review.fieldwork.count(),
        "evidence_count": review.evidence.count(),
    }
    return render(request, "reviews/detail.html", context)


@require_http_methods(["GET", "POST"])
def edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    review = _get_review(request, pk, change_perm="reviews.change_review")
    if request.method == "GET":
        form = ReviewForm(initial=ReviewForm.initial_for(review))
        return render(request, "reviews/edit.html", _edit_context(review, form))
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return render(request, "reviews/edit.html", _edit_context(review, form), status=422)
    try:
        review.edit(
            form.review_fields(),
            planned=form.planned(),
            by=request.user,
            version=form.cleaned_data["version"] or 0,
        )
    except Stale as stale:
        theirs = [
            ("Title", stale.current.title),
            ("Why the review was commissioned", stale.current.reason),
            ("Review lead", str(stale.current.lead)),
        ]
        context = _edit_context(review, form)
        return answer_stale(request, "reviews/edit.html", context, form, stale, theirs=theirs)
    messages.success(request, "Review saved.")
    return redirect(review)


@require_POST
def advance(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    review = _get_review(request, pk, change_perm="reviews.change_review")
    review.advance(by=request.user)
    messages.success(request, f"The review is now in {review.get_status_display().lower()}.")
    return redirect(review)


@require_http_methods(["GET", "POST"])
def team(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    review = _get_review(request, pk, change_perm="reviews.change_review")
    form = TeamMemberForm(request.POST or None, review=review)
    members = review.team.select_related("user").order_by("pk")
    context = {"review": review, "form": form, "members": members}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "reviews/team.html", context, status=422)
        TeamMember.objects.create(review=review, **form.cleaned_data)
        messages.success(request, f"{form.cleaned_data['user']} added to the team.")
        return redirect("reviews:team", pk=review.pk)
    return render(request, "reviews/team.html", context)


@require_POST
def team_remove(request: HtmxHttpRequest, pk: int, member: int) -> HttpResponse:
    review = _get_review(request, pk, change_perm="reviews.change_review")
    found = review.team.filter(pk=member).select_related("user").first()
    if found is None:
        raise Http404("No such team member.")
    if found.user_id == review.lead_id:
        messages.error(request, "The review lead stays on the team. Change the lead first.")
    elif found.fieldwork.exists():
        messages.error(request, f"{found.user} was present at fieldwork and stays on the team.")
    else:
        found.delete()
        messages.success(request, f"{found.user} taken off the team.")
    return redirect("reviews:team", pk=review.pk)


def _terms_context(review: Review, form, **extra) -> dict:
    action = reverse("reviews:terms", kwargs={"pk": review.pk})
    return {
        "form": form,
        "review": review,
        "heading": "Terms of reference",
        "action": action,
    } | extra


@require_http_methods(["GET", "POST"])
def terms(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    review = _get_review(request, pk, change_perm="reviews.change_review")
    if review.terms_signed_off:
        raise TransitionRefused("The terms of reference are signed off and stay as signed.")
    hypotheses = "\n".join(h.text for h in review.hypotheses.order_by("pk"))
    if request.method == "GET":
        form = TermsForm(
            initial={
                "version": review.version,
                "scope": review.scope,
                "questions": review.questions,
                "hypotheses": hypotheses,
                "out_of_scope": review.out_of_scope,
            }
        )
        return render(request, "reviews/terms.html", _terms_context(review, form))
    form = TermsForm(request.POST)
    if not form.is_valid():
        return render(request, "reviews/terms.html", _terms_context(review, form), status=422)
    try:
        review.edit_terms(
            scope=form.cleaned_data["scope"],
            questions=form.cleaned_data["questions"],
            out_of_scope=form.cleaned_data["out_of_scope"],
            hypotheses=form.hypothesis_list(),
            by=request.user,
            version=form.cleaned_data["version"],
        )
    except Stale as stale:
        theirs = [
            ("Scope", stale.current.scope),
            ("Questions", stale.current.questions),
            ("Out of scope", stale.current.out_of_scope),
        ]
        context = _terms_context(review, form)
        return answer_stale(request, "reviews/terms.html", context, form, stale, theirs=theirs)
    messages.success(request, "Terms of reference saved.")
    return redirect(review)


@require_POST
def sign_off(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    review = _get_review(request, pk, change_perm="reviews.sign_off_terms")
    review.sign_off_terms(by=request.user)
    messages.success(request, "Terms of reference signed off.")
    return redirect(review)


def _fieldwork_context(review: Review, form) -> dict:
    entries = (
        review.fieldwork.select_related("recorded_by", "link")
        .prefetch_related(
            Prefetch("present", queryset=TeamMember.objects.select_related("user").order_by("pk"))
        )
        .order_by("-date", "-pk")
    )
    return {"review": review, "form": form, "entries": entries}


@require_http_methods(["GET", "POST"])
def fieldwork(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The fieldwork log: interviews and visits down the delivery chain. Confidential."""
    review = _get_review(request, pk, "reviews.view_fieldwork")
    template = "reviews/fieldwork.html#log" if request.htmx else "reviews/fieldwork.html"
    if request.method == "GET":
        form = FieldworkForm(review=review, initial={"date": timezone.localdate()})
        return render(request, "reviews/fieldwork.html", _fieldwork_context(review, form))
    check_for_user(request.user, review, "reviews.view_fieldwork", "reviews.record_fieldwork")
    form = FieldworkForm(request.POST, review=review)
    if not form.is_valid():
        return render(request, template, _fieldwork_context(review, form), status=422)
    entry = form.save(commit=False)
    entry.review = review
    entry.recorded_by = request.user
    if entry.link_id and not entry.chain_link:
        # The words stay with the record when the plan's chain is revised later.
        entry.chain_link = str(entry.link)[:200]
    entry._history_user = request.user
    with transaction.atomic():
        entry.save()
        form.save_m2m()
    message = f"{entry.get_kind_display()} with {entry.who_or_where} added to the log."
    if request.htmx:
        form = FieldworkForm(review=review, initial={"date": timezone.localdate()})
        context = _fieldwork_context(review, form) | {"added": message}
        return render(request, template, context)
    messages.success(request, message)
    return redirect("reviews:fieldwork", pk=review.pk)


# The size limit (delivery_unit/uploads.py) is in place before anything reads the request body;
# this view finds the review (404 to anyone outside it, before a byte of the body is read), then
# checks CSRF (csrf_protect on _evidence below).
@accepts_uploads(max_bytes)
@csrf_exempt
@require_http_methods(["GET", "POST"])
def evidence(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Evidence items with their files. Confidential."""
    review = _get_review(request, pk, "reviews.view_fieldwork")
    return _evidence(request, review)


@csrf_protect
def _evidence(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    items = review.evidence.select_related("uploaded_by").order_by("-uploaded_at", "-pk")
    if request.method == "GET":
        context = {"review": review, "form": EvidenceForm(), "items": items}
        return render(request, "reviews/evidence.html", context)
    check_for_user(request.user, review, "reviews.view_fieldwork", "reviews.record_fieldwork")
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        context = {"review": review, "form": form, "items": items}
        return render(request, "reviews/evidence.html", context, status=422)
    upload = form.cleaned_data["file"]
    item = Evidence(
        review=review,
        title=form.cleaned_data["title"],
        description=form.cleaned_data["description"],
        content_type=form.checked.content_type,
        extension=form.checked.extension,
        size=upload.size,
        uploaded_by=request.user,
    )
    # The storage names the file (``evidence_name``); the uploaded name is never used.
    item.file.save("upload", upload, save=False)
    try:
        item.save()
    except Exception:
        item.file.delete(save=False)
        raise
    messages.success(request, f"{item.title} uploaded.")
    return redirect("reviews:evidence", pk=review.pk)


@require_GET
def evidence_file(request: HtmxHttpRequest, pk: int, evidence: int) -> FileResponse:
    """The only way to an evidence file: access checked, always a download (never shown in the
    browser), named from its title and checked type, never from what was uploaded."""
    review = _get_review(request, pk, "reviews.view_fieldwork")
    item = review.evidence.filter(pk=evidence).first()
    if item is None:
        raise Http404("No such evidence.")
    filename = f"{slugify(item.title)[:60] or 'evidence'}.{item.extension}"
    response = FileResponse(
        item.file.open("rb"), as_attachment=True, filename=filename, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _findings(review: Review):
    return review.findings.prefetch_related(
        "evidence", Prefetch("tests", queryset=HypothesisTest.objects.select_related("hypothesis"))
    ).order_by("pk")


@require_GET
def findings(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Findings and recommendations as they are drafted. Confidential until the report."""
    review = _get_review(request, pk, "reviews.view_fieldwork")
    context = {
        "review": review,
        "findings": _findings(review),
        "recommendations": review.recommendations.select_related("owner")
        .prefetch_related("findings")
        .order_by("pk"),
    }
    return render(request, "reviews/findings.html", context)


def _save_bearings(finding: Finding, bearings: dict[int, str]) -> None:
    finding.tests.exclude(hypothesis_id__in=bearings).delete()
    for hypothesis_id, bearing in bearings.items():
        HypothesisTest.objects.update_or_create(
            finding=finding, hypothesis_id=hypothesis_id, defaults={"bearing": bearing}
        )


@require_http_methods(["GET", "POST"])
def finding_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    review = _get_review(request, pk, "reviews.view_fieldwork", "reviews.record_fieldwork")
    form = FindingForm(request.POST or None, review=review)
    context = {
        "review": review,
        "form": form,
        "heading": "Add a finding",
        "action": reverse("reviews:finding_create", kwargs={"pk": review.pk}),
    }
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "reviews/finding_form.html", context, status=422)
        with transaction.atomic():
            finding = form.save(commit=False)
            finding.review = review
            finding._history_user = request.user
            finding.save()
            form.save_m2m()
            _save_bearings(finding, form.bearings())
        messages.success(request, "Finding added.")
        return redirect("reviews:findings", pk=review.pk)
    return render(request, "reviews/finding_form.html", context)


@require_http_methods(["GET", "POST"])
def finding(request: HtmxHttpRequest, pk: int, finding: int) -> HttpResponse:
    """Edit a finding; every version is kept."""
    review = _get_review(request, pk, "reviews.view_fieldwork")
    found = review.findings.filter(pk=finding).first()
    if found is None:
        raise Http404("No such finding.")
    history = found.history.select_related("history_user").order_by("-history_date")
    context = {
        "review": review,
        "finding": found,
        "history": history,
        "heading": "Edit the finding",
        "action": found.get_absolute_url(),
    }
    if request.method == "GET":
        form = FindingForm(instance=found, review=review, initial={"version": found.version})
        return render(request, "reviews/finding_form.html", context | {"form": form})
    check_for_user(request.user, review, "reviews.view_fieldwork", "reviews.record_fieldwork")
    form = FindingForm(request.POST, instance=Finding.objects.get(pk=found.pk), review=review)
    context["form"] = form
    if not form.is_valid():
        return render(request, "reviews/finding_form.html", context, status=422)
    edited = form.save(commit=False)
    fields = {name: getattr(edited, name) for name in ["title", "kind", "text", "severity"]}
    try:
        with versioned_edit(found, form.cleaned_data["version"]):
            for name, value in fields.items():
                setattr(found, name, value)
            found._history_user = request.user
            found.save(update_fields=[*fields, "version"])
            found.evidence.set(form.cleaned_data["evidence"])
            _save_bearings(found, form.bearings())
    except Stale as stale:
        theirs = [
            ("Title", stale.current.title),
            ("What the review found", stale.current.text),
            ("Severity", stale.current.get_severity_display()),
        ]
        template = "reviews/finding_form.html"
        return answer_stale(request, template, context, form, stale, theirs=theirs)
    messages.success(request, "Finding saved.")
    return redirect("reviews:findings", pk=review.pk)


@require_http_methods(["GET", "POST"])
def recommendation_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    review = _get_review(request, pk, "reviews.view_fieldwork", "reviews.record_fieldwork")
    form = RecommendationForm(request.POST or None, review=review)
    context = {
        "review": review,
        "form": form,
        "heading": "Add a recommendation",
        "action": reverse("reviews:recommendation_create", kwargs={"pk": review.pk}),
    }
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "reviews/recommendation_form.html", context, status=422)
        with transaction.atomic():
            recommendation = form.save(commit=False)
            recommendation.review = review
            recommendation._history_user = request.user
            recommendation._change_reason = "Written"
            recommendation.save()
            form.save_m2m()
        messages.success(request, "Recommendation added.")
        return redirect(recommendation)
    return render(request, "reviews/recommendation_form.html", context)


def _get_recommendation(request: HtmxHttpRequest, pk: int, recommendation: int, change_perm=None):
    return get_for_user(
        request.user,
        Recommendation.objects.select_related(
            "review",
            "review__priority",
            "owner",
            "responded_by",
            "action",
            "action__owner",
            "action__stocktake",
        ).prefetch_related("review__team", "findings"),
        "reviews.view_recommendation",
        change_perm,
        pk=recommendation,
        review_id=pk,
    )


def _recommendation_context(request: HtmxHttpRequest, recommendation: Recommendation, **forms):
    user = request.user
    context = {
        "review": recommendation.review,
        "recommendation": recommendation,
        "notes": recommendation.progress_notes.select_related("by").order_by("-at", "-pk"),
        "history": recommendation.history.select_related("history_user").order_by("-history_date"),
        "can_edit": user.has_perm("reviews.record_fieldwork", recommendation.review),
        "can_respond": user.has_perm("reviews.respond_recommendation", recommendation)
        and recommendation.response == Recommendation.Response.AWAITING
        and recommendation.review.has_reported,
        "can_progress": user.has_perm("reviews.progress_recommendation", recommendation)
        and recommendation.is_accepted,
        "today": timezone.localdate(),
    }
    if context["can_progress"]:
        context["progress_form"] = forms.get("progress_form") or ProgressForm(
            initial={
                "version": recommendation.version,
                "implementation": recommendation.implementation,
            }
        )
    return context


@require_GET
def recommendation(request: HtmxHttpRequest, pk: int, recommendation: int) -> HttpResponse:
    found = _get_recommendation(request, pk, recommendation)
    return render(request, "reviews/recommendation.html", _recommendation_context(request, found))


@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HtmxHttpRequest, pk: int, recommendation: int) -> HttpResponse:
    found = _get_recommendation(request, pk, recommendation)
    review = found.review
    # Whoever may read the recommendation but is not on the review: 403.
    require_perm(request.user, "reviews.record_fieldwork", review)
    context = {
        "review": review,
        "recommendation": found,
        "heading": "Edit the recommendation",
        "action": reverse(
            "reviews:recommendation_edit", kwargs={"pk": review.pk, "recommendation": found.pk}
        ),
    }
    if request.method == "GET":
        form = RecommendationForm(instance=found, review=review, initial={"version": found.version})
        return render(request, "reviews/recommendation_form.html", context | {"form": form})
    form = RecommendationForm(
        request.POST, instance=Recommendation.objects.get(pk=found.pk), review=review
    )
    context["form"] = form
    if not form.is_valid():
        return render(request, "reviews/recommendation_form.html", context, status=422)
    edited = form.save(commit=False)
    fields = {name: getattr(edited, name) for name in ["text", "owner", "due_date", "importance"]}
    try:
        found.edit(
            fields,
            findings=form.cleaned_data["findings"],
            by=request.user,
            version=form.cleaned_data["version"] or 0,
        )
    except Stale as stale:
        theirs = [
            ("Recommendation", stale.current.text),
            ("Owner", str(stale.current.owner)),
            ("Due date", f"{stale.current.due_date:%-d %B %Y}"),
            ("Priority", stale.current.get_importance_display()),
        ]
        template = "reviews/recommendation_form.html"
        return answer_stale(request, template, context, form, stale, theirs=theirs)
    messages.success(request, "Recommendation saved.")
    return redirect(found)


@require_http_methods(["GET", "POST"])
def respond(request: HtmxHttpRequest, pk: int, recommendation: int) -> HttpResponse:
    found = _get_recommendation(request, pk, recommendation, "reviews.respond_recommendation")
    form = ResponseForm(request.POST or None, initial={"version": found.version})
    context = {
        "review": found.review,
        "recommendation": found,
        "form": form,
        "heading": "Record the response to the recommendation",
        "action": reverse("reviews:respond", kwargs={"pk": pk, "recommendation": found.pk}),
    }
    if request.method == "GET":
        return render(request, "reviews/respond.html", context)
    if not form.is_valid():
        return render(request, "reviews/respond.html", context, status=422)
    try:
        found.respond(
            response=form.cleaned_data["response"],
            reason=form.cleaned_data["reason"],
            by=request.user,
            version=form.cleaned_data["version"],
        )
    except Stale as stale:
        context["recommendation"] = _get_recommendation(request, pk, recommendation)
        message = "Someone recorded a response meanwhile: read it below."
        return answer_stale(request, "reviews/respond.html", context, form, stale, message=message)
    except TransitionRefused as error:
        form.add_error(None, str(error))
        return render(request, "reviews/respond.html", context, status=409)
    messages.success(request, "Response recorded.")
    return redirect(found)


@require_POST
def progress(request: HtmxHttpRequest, pk: int, recommendation: int) -> HttpResponse:
    found = _get_recommendation(request, pk, recommendation, "reviews.progress_recommendation")
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            found.note_progress(
                implementation=form.cleaned_data["implementation"],
                note=form.cleaned_data["note"],
                by=request.user,
                version=form.cleaned_data["version"],
            )
        except Stale as stale:
            form.rebase(
                stale.current.version,
                f"Someone updated this recommendation meanwhile (now "
                f"{stale.current.get_implementation_display().lower()}): your note is kept "
                "below; save it again.",
            )
            found.refresh_from_db()
        except TransitionRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Progress saved.")
            return redirect(found)
    context = _recommendation_context(request, found, progress_form=form)
    context["form"] = form
    status = 409 if form.non_field_errors() else 422
    return render(request, "reviews/recommendation.html", context, status=status)


@require_GET
def report(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The report as it stands, previewed in the browser before it is issued."""
    review = _get_review(request, pk, "reviews.view_fieldwork")
    reissue = review.reports.exists()
    context = gather(review) | {
        "issue_form": IssueForm(reissue=reissue),
        "reissue": reissue,
        "can_issue": request.user.has_perm("reviews.issue_report", review)
        and review.status in {Review.Status.REPORTING, Review.Status.FOLLOW_UP},
    }
    return render(request, "reviews/report.html", context)


@require_GET
def report_pdf(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A draft of the report as a PDF, laid out now (not a record)."""
    review = _get_review(request, pk, "reviews.view_fieldwork")
    response = HttpResponse(render_report_pdf(review), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="review-{review.pk}-draft.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def issue(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Issuing makes the report a record for the Chief Executive and the Leader, so it asks
    once: what will happen, and what the report holds (no findings or recommendations yet is
    said plainly)."""
    review = _get_review(request, pk, "reviews.view_fieldwork", "reviews.issue_report")
    reissue = review.reports.exists()
    if request.method == "GET":
        context = {
            "review": review,
            "reissue": reissue,
            "issue_form": IssueForm(reissue=reissue),
            "findings": review.findings.count(),
            "recommendations": review.recommendations.count(),
        }
        return render(request, "reviews/issue.html", context)
    form = IssueForm(request.POST, reissue=reissue)
    if not form.is_valid():
        context = gather(review) | {
            "issue_form": form,
            "reissue": reissue,
            "can_issue": True,
        }
        return render(request, "reviews/report.html", context, status=422)
    issued = issue_report(review, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, f"Report issued as version {issued.number}.")
    return redirect(review)


@require_GET
def issued_report(request: HtmxHttpRequest, pk: int, number: int) -> HttpResponse:
    """An issued report exactly as it went out."""
    review = _get_review(request, pk, "reviews.view_issued_report")
    found = review.reports.filter(number=number).first()
    if found is None:
        raise Http404("No such version of the report.")
    response = HttpResponse(bytes(found.pdf), content_type="application/pdf")
    filename = f"review-{review.pk}-report-v{found.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _follow_up_context(review: Review, failed=None, close_form=None) -> dict:
    rows = []
    for recommendation in review.recommendations.select_related("owner").order_by("pk"):
        if failed and failed[0] == recommendation.pk:
            form = failed[1]
        else:
            form = FollowUpForm(
                prefix=f"r{recommendation.pk}",
                initial={
                    "version": recommendation.version,
                    "done": recommendation.follow_up_done,
                    "effect": recommendation.follow_up_effect,
                },
            )
        rows.append((recommendation, form))
    return {
        "review": review,
        "rows": rows,
        "close_form": close_form or CloseForm(),
        "open_for_follow_up": review.status == Review.Status.FOLLOW_UP,
        # The form with errors, for the error summary.
        "form": failed[1] if failed else close_form,
    }


@require_http_methods(["GET", "POST"])
def follow_up(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """For each recommendation, what was done and its effect; then the review is closed."""
    review = _get_review(request, pk, "reviews.view_fieldwork", "reviews.follow_up_review")
    if request.method == "GET":
        return render(request, "reviews/follow_up.html", _follow_up_context(review))
    chosen_pk = parse_id(request.POST.get("recommendation", ""))
    chosen = review.recommendations.filter(pk=chosen_pk).first() if chosen_pk else None
    if chosen is None:
        raise Http404("No such recommendation.")
    form = FollowUpForm(request.POST, prefix=f"r{chosen.pk}")
    if form.is_valid():
        try:
            chosen.record_follow_up(
                done=form.cleaned_data["done"],
                effect=form.cleaned_data["effect"],
                by=request.user,
                version=form.cleaned_data["version"],
            )
        except Stale as stale:
            message = "Someone saved this recommendation meanwhile: save it again."
            form.rebase(stale.current.version, message)
        except TransitionRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Follow-up saved.")
            return redirect("reviews:follow_up", pk=review.pk)
    status = 409 if form.non_field_errors() else 422
    context = _follow_up_context(review, failed=(chosen.pk, form))
    return render(request, "reviews/follow_up.html", context, status=status)


@require_POST
def close(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    review = _get_review(request, pk, "reviews.view_fieldwork", "reviews.follow_up_review")
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            review.close(summary=form.cleaned_data["summary"], by=request.user)
        except TransitionRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Follow-up recorded and the review closed.")
            return redirect(review)
    status = 409 if form.non_field_errors() else 422
    context = _follow_up_context(review, close_form=form)
    return render(request, "reviews/follow_up.html", context, status=status)
