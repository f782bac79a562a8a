"""The monthly notes in the browser. Every view reaches a note through ``_get_note``, which
answers 404 to whoever may not see it (a draft is the unit's; leadership and administrators see a
note once issued) and 403 to whoever may see it but not change it."""

from datetime import date

from django.contrib import messages
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from delivery_unit.access import get_for_user, require_perm
from delivery_unit.http import HtmxHttpRequest
from delivery_unit.markdown import render_markdown
from delivery_unit.versioning import Stale, answer_stale
from delivery_unit.workflow import TransitionRefused
from notes.forms import IssueForm, NoteForm
from notes.issuing import issue_note, leadership_recipients, render_draft_pdf
from notes.models import IssuedNote, MonthlyNote, first_of_month
from notes.proposal import propose
from notes.rules import visible_notes


def _month(year: int, month: int) -> date:
    try:
        return date(year, month, 1)
    except ValueError:
        raise Http404("No such month.") from None


def _get_note(
    request: HtmxHttpRequest,
    year: int,
    month: int,
    view_perm: str = "notes.view_note",
    change_perm: str | None = None,
) -> MonthlyNote:
    return get_for_user(
        request.user,
        MonthlyNote.objects.select_related("created_by", "updated_by"),
        view_perm,
        change_perm,
        month=_month(year, month),
    )


@require_GET
def note_list(request: HtmxHttpRequest) -> HttpResponse:
    """Every note to the unit; the issued ones to leadership and administrators."""
    require_perm(request.user, "notes.view_note_list")
    notes = visible_notes(
        MonthlyNote.objects.annotate(issued_count=Count("issued"), latest=Max("issued__number")),
        request.user,
    ).order_by("-month")
    this_month = first_of_month(timezone.localdate())
    can_start = request.user.has_perm("notes.add_note")
    context = {
        "notes": notes,
        "can_start": can_start,
        "this_month": this_month,
        "started": can_start and MonthlyNote.objects.filter(month=this_month).exists(),
    }
    return render(request, "notes/list.html", context)


@require_POST
def start(request: HtmxHttpRequest) -> HttpResponse:
    """Start this month's note from the application's proposal; if it is started, open it."""
    require_perm(request.user, "notes.add_note")
    today = timezone.localdate()
    month = first_of_month(today)
    note = MonthlyNote.objects.filter(month=month).first()
    if note is None:
        note, created = MonthlyNote.objects.get_or_create(
            month=month,
            defaults={"body": propose(month, today=today), "created_by": request.user},
        )
        if created:
            messages.success(
                request, "Note started from the month's changes. Edit it, then issue it."
            )
    return redirect(note)


def _detail_context(request: HtmxHttpRequest, note: MonthlyNote, form=None) -> dict:
    user = request.user
    can_change = user.has_perm("notes.change_note", note) and user.has_perm(
        "notes.view_draft", note
    )
    if form is None and can_change and note.is_draft:
        form = NoteForm(initial={"body": note.body, "version": note.version})
    issued = list(note.issued.select_related("issued_by").order_by("-number"))
    return {
        "note": note,
        "form": form,
        "can_change": can_change,
        "issued": issued,
        "latest": issued[0] if issued else None,
        "preview": render_markdown(note.body) if can_change else None,
    }


@require_http_methods(["GET", "POST"])
def detail(request: HtmxHttpRequest, year: int, month: int) -> HttpResponse:
    """The unit edits the draft here (with a preview); readers find the issued versions."""
    if request.method == "GET":
        note = _get_note(request, year, month)
        return render(request, "notes/detail.html", _detail_context(request, note))
    note = _get_note(request, year, month, "notes.view_note", "notes.change_note")
    form = NoteForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, note, form)
        return render(request, "notes/detail.html", context, status=422)
    try:
        note.edit(
            body=form.cleaned_data["body"], by=request.user, version=form.cleaned_data["version"]
        )
    except Stale as stale:
        context = _detail_context(request, stale.current, form)
        theirs = [("The note", stale.current.body)]
        return answer_stale(
            request, "notes/detail.html", context, form, stale, theirs=theirs, thing="the note"
        )
    messages.success(request, "Note saved. Read it through, then issue it.")
    return redirect(note)


@require_GET
def draft_pdf(request: HtmxHttpRequest, year: int, month: int) -> HttpResponse:
    """The draft laid out now as a PDF (not a record)."""
    note = _get_note(request, year, month, "notes.view_draft")
    response = HttpResponse(render_draft_pdf(note), content_type="application/pdf")
    filename = f"monthly-note-{note.month:%Y-%m}-draft.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _issue_context(note: MonthlyNote, form: IssueForm) -> dict:
    recipients = leadership_recipients()
    return {
        "note": note,
        "form": form,
        "reissue": form.reissue,
        "recipients": recipients,
        # What is missing, said on the confirmation page: nobody to send it to, or the summary
        # the proposal asks the unit to write still as proposed.
        "no_summary": "Write the unit's summary of the month here" in note.body,
    }


@require_http_methods(["GET", "POST"])
def issue(request: HtmxHttpRequest, year: int, month: int) -> HttpResponse:
    """Issuing makes the note a record that goes to the Chief Executive and the Leader, so it asks
    once, saying what will happen and what is missing."""
    note = _get_note(request, year, month, "notes.view_note", "notes.change_note")
    if not note.is_draft:
        raise TransitionRefused("The note has been issued. Reopen it to correct it.")
    reissue = note.issued.exists()
    if request.method == "GET":
        form = IssueForm(initial={"version": note.version}, reissue=reissue)
        return render(request, "notes/issue.html", _issue_context(note, form))
    form = IssueForm(request.POST, reissue=reissue)
    if not form.is_valid():
        return render(request, "notes/issue.html", _issue_context(note, form), status=422)
    try:
        issued = issue_note(
            note,
            by=request.user,
            version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except Stale:
        note.refresh_from_db()
        data = {"version": str(note.version), "reason": form.cleaned_data["reason"]}
        form = IssueForm(data, reissue=reissue)
        form.full_clean()
        form.add_error(
            None, "The note was saved since you opened this page. Read it again, then issue it."
        )
        return render(request, "notes/issue.html", _issue_context(note, form), status=409)
    sent = f" and sent to {issued.sent_to}" if issued.sent_to else ""
    messages.success(request, f"Note issued as version {issued.number}{sent}.")
    return redirect(note)


@require_POST
def reopen(request: HtmxHttpRequest, year: int, month: int) -> HttpResponse:
    """Back to a draft, to correct it and issue it again; the issued versions stay."""
    note = _get_note(request, year, month, "notes.view_note", "notes.change_note")
    note.reopen(by=request.user)
    messages.success(request, "Note reopened. Correct it, then issue it again with the reason.")
    return redirect(note)


def _get_issued(request: HtmxHttpRequest, year: int, month: int, number: int) -> IssuedNote:
    note = _get_note(request, year, month, "notes.view_issued_note")
    found = note.issued.filter(number=number).select_related("note").first()
    if found is None:
        raise Http404("No such version of the note.")
    return found


@require_GET
def issued_pdf(request: HtmxHttpRequest, year: int, month: int, number: int) -> HttpResponse:
    """An issued version's PDF, exactly as it went out."""
    found = _get_issued(request, year, month, number)
    response = HttpResponse(bytes(found.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    return response


@require_GET
def issued_html(request: HtmxHttpRequest, year: int, month: int, number: int) -> HttpResponse:
    """An issued version's web page, its HTML twin, exactly as it went out."""
    found = _get_issued(request, year, month, number)
    return HttpResponse(bytes(found.html), content_type="text/html; charset=utf-8")
