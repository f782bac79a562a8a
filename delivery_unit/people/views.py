"""People, as an administrator manages them: add a person, change their details and role, mark
the Unit Leader, deactivate a leaver (their sessions end at once) and hand over what they held.
Every change is recorded and shown on their page: their details, role and status in the user's
history (django-simple-history), each thing handed over or taken over as ``HandedOver``."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from delivery_unit.access import get_for_user, require_perm
from delivery_unit.history import edits
from delivery_unit.holdings import HandOverRefused, hand_over, held_by
from delivery_unit.http import HtmxHttpRequest
from delivery_unit.models import HandedOver, Role, User
from delivery_unit.people.forms import HandOverForm, PersonForm

VIEW, ADD, CHANGE, DEACTIVATE = (
    "delivery_unit.view_person",
    "delivery_unit.add_person",
    "delivery_unit.change_person",
    "delivery_unit.deactivate_person",
)


def _get_person_for_user(request: HtmxHttpRequest, pk: int, change_perm: str | None = None) -> User:
    return get_for_user(request.user, User.objects.all(), VIEW, change_perm, pk=pk)


@require_GET
def people(request: HtmxHttpRequest) -> HttpResponse:
    require_perm(request.user, VIEW)
    everyone = User.objects.order_by("-is_active", "first_name", "last_name", "username")
    return render(request, "people/list.html", {"people": everyone})


@require_http_methods(["GET", "POST"])
def add(request: HtmxHttpRequest) -> HttpResponse:
    require_perm(request.user, ADD)
    form = PersonForm(request.POST or None, editor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            person = User(
                username=data["email"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                job_title=data["job_title"],
                role=data["role"],
            )
            # They sign in with their council account, or set a password by the reset link.
            person.set_unusable_password()
            person._history_user = request.user
            person._change_reason = "Added"
            person.save()
        messages.success(request, f"{person} added as {Role(person.role).label.lower()}")
        return redirect(person)
    return render(request, "people/form.html", {"form": form, "person": None})


@require_GET
def detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = _get_person_for_user(request, pk)
    handed = (
        HandedOver.objects.filter(Q(person=person) | Q(successor=person))
        .select_related("person", "successor", "by")
        .order_by("-at", "-pk")
    )
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "held": held_by(person),
            "edits": edits(person, limit=100),
            "handed": handed,
        },
    )


@require_http_methods(["GET", "POST"])
def edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = _get_person_for_user(request, pk, CHANGE)
    form = PersonForm(request.POST or None, person=person, editor=request.user)
    if request.method == "POST" and form.is_valid():
        person.change_details(form.cleaned_data, by=request.user)
        messages.success(request, f"{person}'s details saved")
        return redirect(person)
    return render(request, "people/form.html", {"form": form, "person": person})


@require_http_methods(["GET", "POST"])
def unit_leader(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = _get_person_for_user(request, pk, CHANGE)
    current = User.objects.filter(is_unit_leader=True).exclude(pk=person.pk).first()
    context = {"person": person, "current": current}
    if not person.is_unit_staff:
        return render(request, "people/unit_leader.html", context, status=409)
    if request.method == "POST":
        person.make_unit_leader(by=request.user)
        messages.success(request, f"{person} is now the Unit Leader")
        return redirect(person)
    return render(request, "people/unit_leader.html", context)


@require_http_methods(["GET", "POST"])
def deactivate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = _get_person_for_user(request, pk, DEACTIVATE)
    held = held_by(person)
    if request.method == "POST":
        person.deactivate(by=request.user)
        messages.success(request, f"{person} deactivated: they are signed out and cannot sign in")
        return redirect("people:hand_over", pk=person.pk) if held else redirect(person)
    return render(request, "people/deactivate.html", {"person": person, "held": held})


@require_POST
def reactivate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = _get_person_for_user(request, pk, DEACTIVATE)
    person.reactivate(by=request.user)
    messages.success(request, f"{person} can sign in again")
    return redirect(person)


@require_http_methods(["GET", "POST"])
def hand_over_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Choose a successor for each kind of holding, check the answers on a confirmation page,
    then give everything in one transaction."""
    person = _get_person_for_user(request, pk, CHANGE)
    held = held_by(person)
    form = HandOverForm(request.POST or None, person=person, held=held)
    context = {"person": person, "held": held, "form": form}
    if request.method == "POST" and form.is_valid():
        successors = form.successors()
        if "confirm" not in request.POST:
            chosen = [(entry, successors[entry.holding.key]) for entry in held]
            return render(request, "people/hand_over_confirm.html", context | {"chosen": chosen})
        try:
            moved = hand_over(person, successors, by=request.user)
        except HandOverRefused as refused:
            form.add_error(None, f"{refused} Nothing was handed over: choose again.")
            return render(request, "people/hand_over.html", context, status=409)
        things = "1 thing" if moved == 1 else f"{moved} things"
        messages.success(request, f"{things} handed over from {person}")
        return redirect(person)
    return render(request, "people/hand_over.html", context)
