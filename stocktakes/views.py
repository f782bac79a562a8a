from typing import cast

from django.contrib import messages
from django.db.models import Count, Max, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from delivery_unit.access import check_for_user, get_for_user, require_perm
from delivery_unit.http import HtmxHttpRequest
from delivery_unit.models import User
from delivery_unit.versioning import Stale, answer_stale
from delivery_unit.workflow import TransitionRefused
from reviews.models import Recommendation, Review
from stocktakes.follow_up import draft_body, recipients, save_note, send_note
from stocktakes.forms import (
    ActionFilter,
    ActionForm,
    ActionFromRecommendationForm,
    ActionUpdateForm,
    AgendaAddForm,
    AgendaItemForm,
    FollowUpForm,
    IssueForm,
    MoveForm,
    OrderForm,
    PromptedByForm,
    RecordForm,
    StocktakeDetailsForm,
    StocktakeForm,
    VersionForm,
    action_filter_helper,
)
from stocktakes.models import (
    Action,
    AgendaItem,
    FollowUpNote,
    IssuedPack,
    PackGeneration,
    Stocktake,
)
from stocktakes.packs import gather, render_pack_html
from stocktakes.suggestions import suggest
from stocktakes.tasks import request_pack

STALE_AGENDA = (
    "Someone else changed the agenda while you had this page open, so your change has not "
    "been made. The agenda below is as it is now: make your change again."
)


def _get_stocktake_for_user(
    request: HtmxHttpRequest, pk: int, change_perm: str | None = None
) -> Stocktake:
    return get_for_user(
        request.user, Stocktake.objects.all(), "stocktakes.view_stocktake", change_perm, pk=pk
    )


def _get_item_for_user(request: HtmxHttpRequest, pk: int, item_pk: int, change_perm: str):
    stocktake = _get_stocktake_for_user(request, pk, change_perm)
    try:
        item = stocktake.agenda.select_related("priority").get(pk=item_pk)
    except AgendaItem.DoesNotExist:
        raise Http404("No such agenda item.") from None
    return stocktake, item


def _get_action_for_user(request: HtmxHttpRequest, pk: int, change_perm: str | None = None):
    return get_for_user(
        request.user,
        Action.objects.select_related(
            "owner",
            "priority",
            "stocktake",
            "updated_by",
            "recommendation__review__priority",
        ).prefetch_related("recommendation__review__team"),
        "stocktakes.view_action",
        change_perm,
        pk=pk,
    )


# The list, planning and details


@require_GET
def stocktake_list(request: HtmxHttpRequest) -> HttpResponse:
    require_perm(request.user, "stocktakes.view_stocktake_list")
    stocktakes = list(
        Stocktake.objects.visible_to(request.user)
        .annotate(item_count=Count("agenda"))
        .order_by("-date", "-pk")
    )
    today = timezone.localdate()
    rows = [(stocktake, stocktake.follow_up_overdue(today)) for stocktake in stocktakes]
    return render(request, "stocktakes/list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def create(request: HtmxHttpRequest) -> HttpResponse:
    require_perm(request.user, "stocktakes.add_stocktake")
    form = StocktakeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            stocktake = Stocktake.plan(
                title=form.cleaned_data["title"],
                date=form.cleaned_data["date"],
                priorities=form.cleaned_data["priorities"],
                by=request.user,
            )
            messages.success(request, "Stocktake created. Now plan its agenda.")
            return redirect(stocktake)
        return render(request, "stocktakes/create.html", {"form": form}, status=422)
    return render(request, "stocktakes/create.html", {"form": form})


def _detail_context(request: HtmxHttpRequest, stocktake: Stocktake, **extra) -> dict:
    can_change = request.user.has_perm("stocktakes.change_stocktake", stocktake)
    context = {
        "stocktake": stocktake,
        "agenda": list(stocktake.ordered_agenda()),
        "chairs": list(stocktake.chairs.order_by("first_name")),
        "attendees": list(stocktake.attendees.order_by("first_name")),
        "packs": list(
            stocktake.packs.defer("pdf", "html").select_related("issued_by").order_by("-number")
        ),
        "generation": stocktake.pack_generations.defer("draft_pdf").order_by("-pk").first(),
        "can_change": can_change,
        "can_issue": request.user.has_perm("stocktakes.issue_pack", stocktake),
    }
    if can_change and stocktake.agenda_editable:
        context.setdefault("add_form", AgendaAddForm(stocktake=stocktake))
        context["suggestions"] = suggest(stocktake)
    if context["can_issue"] and stocktake.agenda_editable:
        context.setdefault("issue_form", IssueForm(reissue=bool(context["packs"])))
    return context | extra


def _record(stocktake: Stocktake, agenda: list[AgendaItem]) -> dict:
    """After the meeting: each agenda item's decisions and the actions agreed under it, and the
    follow-up note as sent. Three queries, whatever the agenda's length."""
    if stocktake.status not in Stocktake.RECORDED_STATUSES:
        return {}
    actions: dict[int | None, list[Action]] = {}
    for action in stocktake.actions.select_related("owner").order_by("due_date", "pk").all():
        actions.setdefault(action.agenda_item_id, []).append(action)
    return {
        "record": [(item, actions.get(item.pk, [])) for item in agenda],
        "sent_note": FollowUpNote.objects.filter(
            stocktake=stocktake, sent_at__isnull=False
        ).first(),
        "today": timezone.localdate(),
    }


@require_GET
def detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    stocktake = _get_stocktake_for_user(request, pk)
    context = _detail_context(request, stocktake)
    context |= _record(stocktake, context["agenda"])
    return render(request, "stocktakes/detail.html", context)


@require_http_methods(["GET", "POST"])
def edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    stocktake = _get_stocktake_for_user(request, pk, "stocktakes.change_stocktake")
    if request.method == "GET":
        form = StocktakeDetailsForm(
            initial={
                "title": stocktake.title,
                "date": stocktake.date,
                "start_time": stocktake.start_time,
                "place": stocktake.place,
                "marking": stocktake.marking,
                "chairs": list(stocktake.chairs.all()),
                "attendees": list(stocktake.attendees.all()),
                "version": stocktake.version,
            }
        )
        return render(request, "stocktakes/edit.html", {"stocktake": stocktake, "form": form})
    form = StocktakeDetailsForm(request.POST)
    if not form.is_valid():
        context = {"stocktake": stocktake, "form": form}
        return render(request, "stocktakes/edit.html", context, status=422)
    data = form.cleaned_data
    try:
        stocktake.update_details(
            {name: data[name] for name in ("title", "date", "start_time", "place", "marking")},
            chairs=data["chairs"],
            attendees=data["attendees"],
            version=data["version"],
        )
    except Stale as stale:
        current = stale.current
        theirs = [
            ("Title", current.title),
            ("Date", f"{current.date:%-d %B %Y}"),
            ("Start time", f"{current.start_time:%H:%M}" if current.start_time else "Not set"),
            ("Place", current.place or "Not set"),
        ]
        context, thing = {"stocktake": stocktake}, "this stocktake"
        template = "stocktakes/edit.html"
        return answer_stale(request, template, context, form, stale, theirs=theirs, thing=thing)
    messages.success(request, "Stocktake details saved.")
    return redirect(stocktake)


# The agenda


def _agenda_response(request: HtmxHttpRequest, stocktake: Stocktake, status: int = 200, **extra):
    """The agenda region for htmx, or back to the page for a plain form."""
    if request.htmx:
        context = _detail_context(request, stocktake, **extra)
        return render(request, "stocktakes/detail.html#agenda", context, status=status)
    if status >= 400:
        context = _detail_context(request, stocktake, **extra)
        return render(request, "stocktakes/detail.html", context, status=status)
    return redirect(reverse("stocktakes:detail", kwargs={"pk": stocktake.pk}) + "#agenda")


def _refuse_unless_editable(stocktake: Stocktake) -> None:
    if not stocktake.agenda_editable:
        raise TransitionRefused("The agenda is fixed once the meeting has been held.")


@require_POST
def agenda_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    stocktake = _get_stocktake_for_user(request, pk, "stocktakes.change_stocktake")
    _refuse_unless_editable(stocktake)
    form = AgendaAddForm(request.POST, stocktake=stocktake)
    if not form.is_valid():
        return _agenda_response(request, stocktake, status=422, add_form=form)
    stocktake.add_item(priority=form.cleaned_data["priority"], topic=form.cleaned_data["topic"])
    stocktake.refresh_from_db()
    return _agenda_response(request, stocktake, agenda_message="Item added to the agenda.")


@require_http_methods(["GET", "POST"])
def agenda_item(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    stocktake, item = _get_item_for_user(request, pk, item_pk, "stocktakes.change_stocktake")
    context = {"stocktake": stocktake, "item": item}
    if request.method == "GET":
        form = AgendaItemForm(
            initial={
                "purpose": item.purpose,
                "minutes": item.minutes,
                "lead_attending": item.lead_attending_id,
                "questions": item.questions,
                "decisions_needed": item.decisions_needed,
                "version": item.version,
            }
        )
        return render(request, "stocktakes/agenda_item.html", context | {"form": form})
    _refuse_unless_editable(stocktake)
    form = AgendaItemForm(request.POST)
    if not form.is_valid():
        return render(request, "stocktakes/agenda_item.html", context | {"form": form}, status=422)
    data = form.cleaned_data
    version = data.pop("version")
    try:
        item.update(data, by=request.user, version=version)
    except Stale as stale:
        theirs = [
            ("Why now", stale.current.purpose),
            ("Time allowed", f"{stale.current.minutes} minutes"),
            ("Questions", stale.current.questions),
            ("Decisions needed", stale.current.decisions_needed),
        ]
        template = "stocktakes/agenda_item.html"
        return answer_stale(
            request, template, context, form, stale, theirs=theirs, thing="this item"
        )
    messages.success(request, f"Item {item.position} saved.")
    return redirect(reverse("stocktakes:detail", kwargs={"pk": stocktake.pk}) + "#agenda")


@require_POST
def agenda_move(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    stocktake, item = _get_item_for_user(request, pk, item_pk, "stocktakes.change_stocktake")
    _refuse_unless_editable(stocktake)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _agenda_response(request, stocktake, status=422, agenda_error=STALE_AGENDA)
    step = -1 if form.cleaned_data["direction"] == "up" else 1
    try:
        stocktake.move_item(item, step, form.cleaned_data["version"])
    except Stale as stale:
        return _agenda_response(request, stale.current, status=409, agenda_error=STALE_AGENDA)
    word = "up" if step < 0 else "down"
    return _agenda_response(
        request, stocktake, agenda_message=f"{item.title} moved {word}.", moved=item.pk
    )


@require_POST
def agenda_order(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The order from dragging: the whole agenda at once."""
    stocktake = _get_stocktake_for_user(request, pk, "stocktakes.change_stocktake")
    _refuse_unless_editable(stocktake)
    form = OrderForm(request.POST)
    if not form.is_valid():
        return _agenda_response(request, stocktake, status=422, agenda_error=STALE_AGENDA)
    try:
        stocktake.reorder(form.cleaned_data["order"], form.cleaned_data["version"])
    except Stale as stale:
        return _agenda_response(request, stale.current, status=409, agenda_error=STALE_AGENDA)
    except ValueError:
        return _agenda_response(request, stocktake, status=422, agenda_error=STALE_AGENDA)
    return _agenda_response(request, stocktake, agenda_message="Agenda reordered.")


@require_POST
def agenda_remove(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    stocktake, item = _get_item_for_user(request, pk, item_pk, "stocktakes.change_stocktake")
    _refuse_unless_editable(stocktake)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _agenda_response(request, stocktake, status=422, agenda_error=STALE_AGENDA)
    try:
        stocktake.remove_item(item, form.cleaned_data["version"])
    except Stale as stale:
        return _agenda_response(request, stale.current, status=409, agenda_error=STALE_AGENDA)
    except ValueError as error:
        return _agenda_response(request, stocktake, status=422, agenda_error=str(error))
    return _agenda_response(
        request, stocktake, agenda_message=f"{item.title} taken off the agenda."
    )


# The pack


@require_GET
def pack_preview(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The pack as it would be issued now, as a web page (fast: no PDF layout)."""
    stocktake = _get_stocktake_for_user(request, pk)
    return HttpResponse(render_pack_html(stocktake, context=gather(stocktake)))


def _issue_context(stocktake: Stocktake, form: IssueForm | None = None) -> dict:
    items = list(stocktake.agenda.select_related("priority").order_by("position"))
    reissue = stocktake.packs.exists()
    return {
        "stocktake": stocktake,
        "items": items,
        "without_questions": [item for item in items if not item.questions.strip()],
        "reissue": reissue,
        "issue_form": form or IssueForm(reissue=reissue),
    }


@require_GET
def pack_issue(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Issuing sends the pack to the chairs as a record that never changes, so it asks once:
    what will happen, and the agenda items with no questions for the chairs. With htmx the
    question takes the place of the pack's section; without, it is a page."""
    stocktake = _get_stocktake_for_user(request, pk, "stocktakes.issue_pack")
    if not stocktake.agenda_editable:
        raise TransitionRefused("The pack is fixed once the meeting has been held.")
    template = (
        "stocktakes/pack_issue.html#confirm" if request.htmx else "stocktakes/pack_issue.html"
    )
    return render(request, template, _issue_context(stocktake))


@require_POST
def pack_generate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Start a draft PDF or the issue of the pack in the background; the page polls."""
    stocktake = _get_stocktake_for_user(request, pk, "stocktakes.issue_pack")
    if not stocktake.agenda_editable:
        raise TransitionRefused("The pack is fixed once the meeting has been held.")
    issue = request.POST.get("issue") == "yes"
    form = IssueForm(request.POST, reissue=issue and stocktake.packs.exists())
    if not form.is_valid():
        # Only issuing again asks for a reason: the question is asked again, with the message.
        template = "stocktakes/pack_issue.html"
        template += "#confirm" if request.htmx else ""
        return render(request, template, _issue_context(stocktake, form), status=422)
    if not stocktake.agenda.exists():
        raise TransitionRefused("An empty agenda has no pack: add an item first.")
    request_pack(stocktake, by=request.user, issue=issue, reason=form.cleaned_data["reason"])
    if request.htmx:
        stocktake.refresh_from_db()
        return render(request, "stocktakes/detail.html#pack", _detail_context(request, stocktake))
    return redirect(reverse("stocktakes:detail", kwargs={"pk": stocktake.pk}) + "#pack")


def _get_generation(request: HtmxHttpRequest, pk: int, generation_pk: int):
    stocktake = _get_stocktake_for_user(request, pk)
    try:
        generation = stocktake.pack_generations.get(pk=generation_pk)
    except PackGeneration.DoesNotExist:
        raise Http404("No such pack.") from None
    return stocktake, generation


@require_GET
def pack_progress(request: HtmxHttpRequest, pk: int, generation_pk: int) -> HttpResponse:
    """How far the background task has got: the pack region, polled by htmx until done."""
    stocktake, _ = _get_generation(request, pk, generation_pk)
    context = _detail_context(request, stocktake)
    template = "stocktakes/detail.html#pack" if request.htmx else "stocktakes/detail.html"
    return render(request, template, context)


@require_GET
def pack_draft(request: HtmxHttpRequest, pk: int, generation_pk: int) -> HttpResponse:
    stocktake, generation = _get_generation(request, pk, generation_pk)
    if generation.issue or not generation.draft_pdf:
        raise Http404("No draft PDF here.")
    return _file_response(
        bytes(generation.draft_pdf),
        "application/pdf",
        f"stocktake-pack-{stocktake.date:%Y-%m-%d}-draft.pdf",
    )


def _get_issued(request: HtmxHttpRequest, pk: int, number: int) -> IssuedPack:
    stocktake = _get_stocktake_for_user(request, pk)
    try:
        return stocktake.packs.select_related("stocktake").get(number=number)
    except IssuedPack.DoesNotExist:
        raise Http404("No pack with that version.") from None


def _file_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def pack(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The latest issued pack, exactly as issued."""
    stocktake = _get_stocktake_for_user(request, pk)
    number = stocktake.packs.aggregate(last=Max("number"))["last"]
    if number is None:
        raise Http404("The pack has not been issued yet.")
    return issued_pack(request, pk, number)


@require_GET
def issued_pack(request: HtmxHttpRequest, pk: int, number: int) -> HttpResponse:
    issued = _get_issued(request, pk, number)
    suffix = "" if number == 1 else f"-v{number}"
    return _file_response(
        bytes(issued.pdf),
        "application/pdf",
        f"stocktake-pack-{issued.stocktake.date:%Y-%m-%d}{suffix}.pdf",
    )


@require_GET
def issued_pack_html(request: HtmxHttpRequest, pk: int, number: int) -> HttpResponse:
    issued = _get_issued(request, pk, number)
    return HttpResponse(bytes(issued.html), content_type="text/html; charset=utf-8")


# Moving the stocktake on


@require_POST
def transition(request: HtmxHttpRequest, pk: int, to: str) -> HttpResponse:
    stocktake = _get_stocktake_for_user(request, pk, "stocktakes.record_meeting")
    moves = {"held": stocktake.mark_held, "closed": stocktake.close}
    if to not in moves:
        raise Http404("No such step.")
    moves[to]()
    messages.success(request, f"Stocktake marked as {stocktake.get_status_display().lower()}.")
    return redirect(reverse("stocktakes:meeting", kwargs={"pk": pk}) if to == "held" else stocktake)


# The meeting


def _owner_choices() -> list[tuple[int, str]]:
    return [
        (user.pk, f"{user}{', ' + user.job_title if user.job_title else ''}")
        for user in User.objects.filter(is_active=True).order_by("first_name", "last_name")
    ]


def _meeting_entries(stocktake: Stocktake, owners, forms: dict | None = None) -> list[dict]:
    forms = forms or {}
    items = stocktake.ordered_agenda().prefetch_related(
        Prefetch("actions", queryset=Action.objects.select_related("owner").order_by("pk"))
    )
    return [
        {
            "item": item,
            "actions": list(item.actions.all()),
            "record_form": forms.get(("record", item.pk))
            or RecordForm(
                initial={
                    "discussion": item.discussion,
                    "decisions": item.decisions,
                    "version": item.version,
                },
                prefix=f"item-{item.pk}",
            ),
            "action_form": forms.get(("action", item.pk))
            or ActionForm(owners=owners, prefix=f"action-{item.pk}"),
        }
        for item in items
    ]


@require_GET
def meeting(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    stocktake = _get_stocktake_for_user(request, pk, "stocktakes.record_meeting")
    context = {"stocktake": stocktake, "entries": _meeting_entries(stocktake, _owner_choices())}
    return render(request, "stocktakes/meeting.html", context)


def _refuse_unless_recording(stocktake: Stocktake) -> None:
    if not stocktake.recording_open:
        raise TransitionRefused("The meeting's record is closed once the follow-up note is sent.")


@require_POST
def record_item(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Save one item's discussion and decisions, as the unit types (htmx) or by the button."""
    stocktake, item = _get_item_for_user(request, pk, item_pk, "stocktakes.record_meeting")
    _refuse_unless_recording(stocktake)
    form = RecordForm(request.POST, prefix=f"item-{item.pk}")
    status, context = 200, {"stocktake": stocktake, "item": item}
    if not form.is_valid():
        status = 422
        context["error"] = " ".join(
            " ".join(str(error) for error in errors) for errors in form.errors.values()
        )
        context["version"] = item.version
    else:
        try:
            item.record(
                discussion=form.cleaned_data["discussion"],
                decisions=form.cleaned_data["decisions"],
                by=request.user,
                version=form.cleaned_data["version"],
            )
            context["saved_at"] = timezone.localtime()
            context["version"] = item.version
        except Stale as stale:
            # Theirs is shown and kept in the history; the next save, made knowingly,
            # replaces it.
            status = 409
            context["theirs"] = stale.current
            context["version"] = stale.current.version
    if request.htmx:
        return render(request, "stocktakes/meeting.html#record-status", context, status=status)
    if status == 200:
        messages.success(request, f"Notes on item {item.position} saved.")
        return redirect(reverse("stocktakes:meeting", kwargs={"pk": pk}) + f"#item-{item.pk}")
    entries = _meeting_entries(stocktake, _owner_choices(), {("record", item.pk): form})
    page = {"stocktake": stocktake, "entries": entries, "item_status": context}
    return render(request, "stocktakes/meeting.html", page, status=status)


@require_POST
def add_action(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    stocktake, item = _get_item_for_user(request, pk, item_pk, "stocktakes.record_meeting")
    _refuse_unless_recording(stocktake)
    owners = _owner_choices()
    form = ActionForm(request.POST, owners=owners, prefix=f"action-{item.pk}")
    if form.is_valid():
        action = Action.agree(
            item=item,
            description=form.cleaned_data["description"],
            owner=User.objects.get(pk=form.cleaned_data["owner"]),
            due_date=form.cleaned_data["due_date"],
            by=request.user,
        )
        if not request.htmx:
            messages.success(request, f"Action for {action.owner} recorded.")
            return redirect(reverse("stocktakes:meeting", kwargs={"pk": pk}) + f"#item-{item.pk}")
        form = ActionForm(owners=owners, prefix=f"action-{item.pk}")
        status = 200
    else:
        status = 422
    if request.htmx:
        entry = {
            "item": item,
            "action_form": form,
            "actions": list(item.actions.select_related("owner").order_by("pk")),
        }
        context = {"stocktake": stocktake, "entry": entry, "added": status == 200}
        return render(request, "stocktakes/meeting.html#item-actions", context, status=status)
    entries = _meeting_entries(stocktake, owners, {("action", item.pk): form})
    return render(
        request,
        "stocktakes/meeting.html",
        {"stocktake": stocktake, "entries": entries},
        status=status,
    )


# The follow-up note


def _follow_up_context(stocktake: Stocktake, note: FollowUpNote | None, form=None) -> dict:
    if form is None and (note is None or not note.sent):
        form = FollowUpForm(
            initial={
                "body": note.body if note else draft_body(stocktake),
                "version": note.version if note else 0,
            }
        )
    return {
        "stocktake": stocktake,
        "note": note,
        "form": form,
        "recipients": recipients(stocktake),
    }


@require_http_methods(["GET", "POST"])
def follow_up(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    stocktake = _get_stocktake_for_user(request, pk, "stocktakes.send_follow_up")
    note = FollowUpNote.objects.filter(stocktake=stocktake).first()
    if request.method == "GET":
        return render(request, "stocktakes/follow_up.html", _follow_up_context(stocktake, note))
    if stocktake.status != Stocktake.Status.HELD or (note and note.sent):
        raise TransitionRefused("The note is written after the meeting and kept once sent.")
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        context = _follow_up_context(stocktake, note, form)
        return render(request, "stocktakes/follow_up.html", context, status=422)
    try:
        note = save_note(
            stocktake,
            body=form.cleaned_data["body"],
            by=request.user,
            version=form.cleaned_data["version"],
        )
    except Stale as stale:
        if stale.current is None:  # the first note, written by someone else meanwhile
            stale = Stale(FollowUpNote.objects.get(stocktake=stocktake))
        message = (
            f"{stale.saved_by or 'Someone'} saved the note while you were editing, so your "
            "changes have not been saved. Their text is shown below yours; merge the two and "
            "save again."
        )
        context = _follow_up_context(stocktake, stale.current, form)
        theirs = [("Follow-up note", stale.current.body)]
        template = "stocktakes/follow_up.html"
        return answer_stale(request, template, context, form, stale, theirs=theirs, message=message)
    messages.success(request, "Follow-up note saved. Check it, then send it.")
    return redirect("stocktakes:follow_up", pk=pk)


@require_POST
def follow_up_send(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    stocktake = _get_stocktake_for_user(request, pk, "stocktakes.send_follow_up")
    note = FollowUpNote.objects.filter(stocktake=stocktake).first()
    form = VersionForm(request.POST)
    if note is None or note.sent or not form.is_valid():
        messages.error(request, "Save the note before sending it.")
        return redirect("stocktakes:follow_up", pk=pk)
    if note.version != form.cleaned_data["version"]:
        messages.error(
            request, "The note changed since you opened this page. Check it, then send it."
        )
        return redirect("stocktakes:follow_up", pk=pk)
    try:
        send_note(note, by=request.user)
    except Stale:
        messages.error(
            request, "The note changed since you opened this page. Check it, then send it."
        )
        return redirect("stocktakes:follow_up", pk=pk)
    messages.success(request, f"Follow-up note sent to {note.recipients}.")
    return redirect("stocktakes:follow_up", pk=pk)


@require_GET
def follow_up_file(request: HtmxHttpRequest, pk: int, file_format: str) -> HttpResponse:
    """The note as it was sent."""
    stocktake = _get_stocktake_for_user(request, pk)
    note = FollowUpNote.objects.filter(stocktake=stocktake, sent_at__isnull=False).first()
    if note is None or file_format not in {"pdf", "html"}:
        raise Http404("The follow-up note has not been sent.")
    # A sent note keeps its HTML and PDF: they are saved with ``sent_at`` (``send_note``).
    html, pdf = cast(bytes | memoryview, note.html), cast(bytes | memoryview, note.pdf)
    if file_format == "html":
        return HttpResponse(bytes(html), content_type="text/html; charset=utf-8")
    return _file_response(bytes(pdf), "application/pdf", f"follow-up-{stocktake.date:%Y-%m-%d}.pdf")


# Actions


@require_GET
def action_log(request: HtmxHttpRequest) -> HttpResponse:
    require_perm(request.user, "stocktakes.view_action_log")
    queryset = (
        Action.objects.visible_to(request.user)
        .select_related("owner", "priority", "stocktake")
        .order_by("due_date", "pk")
    )
    filterset = ActionFilter(request.GET, queryset=queryset)
    filterset.form.helper = action_filter_helper()
    actions = list(filterset.qs) if filterset.is_valid() else []
    context = {"filter": filterset, "actions": actions, "today": timezone.localdate()}
    template = "stocktakes/actions.html#results" if request.htmx else "stocktakes/actions.html"
    return render(request, template, context, status=200 if filterset.is_valid() else 422)


@require_http_methods(["GET", "POST"])
def action(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    action = _get_action_for_user(request, pk)
    can_change = request.user.has_perm("stocktakes.change_action", action)
    history = list(
        action.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    context = {"action": action, "history": history, "can_change": can_change}
    if request.method == "GET":
        if can_change:
            context["form"] = ActionUpdateForm(
                initial={
                    "status": action.status,
                    "progress": action.progress,
                    "version": action.version,
                }
            )
        return render(request, "stocktakes/action.html", context)
    check_for_user(request.user, action, "stocktakes.view_action", "stocktakes.change_action")
    form = ActionUpdateForm(request.POST)
    if not form.is_valid():
        return render(request, "stocktakes/action.html", context | {"form": form}, status=422)
    try:
        action.update_progress(
            status=form.cleaned_data["status"],
            progress=form.cleaned_data["progress"],
            by=request.user,
            version=form.cleaned_data["version"],
        )
    except Stale as stale:
        current = stale.current
        message = (
            f"{stale.saved_by or 'Someone'} updated this action while you were editing, so your "
            "update has not been saved. Theirs is shown below; check yours against it and save "
            "again."
        )
        theirs = [("Status", current.get_status_display()), ("Progress", current.progress)]
        template = "stocktakes/action.html"
        return answer_stale(request, template, context, form, stale, theirs=theirs, message=message)
    messages.success(request, "Action updated.")
    return redirect(action)


@require_http_methods(["GET", "POST"])
def action_from_recommendation(request: HtmxHttpRequest, recommendation: int) -> HttpResponse:
    """An accepted recommendation of a priority review becomes a stocktake action in one step."""
    found = get_for_user(
        request.user,
        Recommendation.objects.select_related(
            "review", "review__priority", "owner"
        ).prefetch_related("review__team"),
        "reviews.view_recommendation",
        "stocktakes.add_action_from_recommendation",
        pk=recommendation,
    )
    existing = Action.objects.filter(recommendation=found).first()
    if existing is not None:
        messages.info(request, "This recommendation is a stocktake action already.")
        return redirect(existing)
    upcoming = (
        Stocktake.objects.exclude(status=Stocktake.Status.CLOSED)
        .filter(date__gte=timezone.localdate())
        .order_by("date", "pk")
        .first()
    )
    form = ActionFromRecommendationForm(
        request.POST or None,
        initial={
            "stocktake": upcoming,
            "description": found.text,
            "owner": found.owner,
            "due_date": found.due_date,
        },
    )
    context = {"recommendation": found, "review": found.review, "form": form}
    if not found.is_accepted:
        context["refused"] = (
            "Only an accepted or partly accepted recommendation becomes an action. Record the "
            "response to the recommendation first."
        )
        return render(request, "stocktakes/action_from_recommendation.html", context, status=409)
    if request.method == "GET":
        return render(request, "stocktakes/action_from_recommendation.html", context)
    if not form.is_valid():
        return render(request, "stocktakes/action_from_recommendation.html", context, status=422)
    try:
        action = Action.from_recommendation(found, by=request.user, **form.cleaned_data)
    except TransitionRefused as error:
        form.add_error(None, str(error))
        return render(request, "stocktakes/action_from_recommendation.html", context, status=409)
    messages.success(request, "The recommendation is now a stocktake action.")
    return redirect(action)


@require_http_methods(["GET", "POST"])
def review_prompted_by(request: HtmxHttpRequest, review: int) -> HttpResponse:
    """Link a priority review to the stocktake decision that commissioned it (the stocktakes app
    holds the link, as reviews sit below it)."""
    found = get_for_user(
        request.user,
        Review.objects.select_related("priority").prefetch_related("team"),
        "reviews.view_review",
        "reviews.change_review",
        pk=review,
    )
    form = PromptedByForm(request.POST or None, review=found)
    context = {"review": found, "form": form}
    if request.method == "GET" or not form.is_valid():
        status = 200 if request.method == "GET" else 422
        return render(request, "stocktakes/review_prompted_by.html", context, status=status)
    form.cleaned_data["item"].reviews_commissioned.add(found)
    messages.success(request, "The stocktake decision that commissioned the review is linked.")
    return redirect(found)
