from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from delivery_unit.access import get_for_user, require_perm
from plans.models import Milestone
from priorities.models import Priority
from priorities.report import NOTABLE_GAP, SORTS, delivery_report
from priorities.rounds import Round, RoundEntry
from stocktakes.forms import StocktakeForm
from stocktakes.models import Stocktake
from stocktakes.packs import render_pack_pdf


def _get_stocktake_for_user(request: HttpRequest, pk: int) -> Stocktake:
    return get_for_user(request.user, Stocktake.objects.all(), "stocktakes.view_stocktake", pk=pk)


@require_GET
def stocktake_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "stocktakes.view_stocktake")
    stocktakes = Stocktake.objects.annotate(item_count=Count("agenda")).order_by("-date", "-pk")
    return render(request, "stocktakes/list.html", {"stocktakes": stocktakes})


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
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
            messages.success(request, "Stocktake created.")
            return redirect(stocktake)
        return render(request, "stocktakes/create.html", {"form": form}, status=422)
    return render(request, "stocktakes/create.html", {"form": form})


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    stocktake = _get_stocktake_for_user(request, pk)
    context = {"stocktake": stocktake, "priorities": stocktake.agenda_priorities()}
    return render(request, "stocktakes/detail.html", context)


@require_GET
def pack(request: HttpRequest, pk: int) -> HttpResponse:
    stocktake = _get_stocktake_for_user(request, pk)
    pdf = render_pack_pdf(stocktake)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"stocktake-pack-{stocktake.date:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to where its work is. It gathers from every app, so it lives in the top
    one (see STYLE: stocktakes may import from all the others)."""
    user = request.user
    context: dict = {}
    if user.is_unit_staff:
        context["my_priorities"] = (
            Priority.objects.with_latest_rating()
            .filter(analyst=user)
            .select_related("lead")
            .order_by("title")
        )
    elif user.is_priority_lead:
        context["my_priorities"] = (
            Priority.objects.with_latest_rating()
            .led_by(user)
            .select_related("lead")
            .order_by("title")
        )
    if user.is_leadership:
        context |= {
            "report": delivery_report(),
            "notable_gap": NOTABLE_GAP,
            "sort": "likelihood",
            "sorts": SORTS,
        }
    if user.is_priority_lead:
        context["self_assessments_due"] = (
            RoundEntry.objects.filter(priority__lead=user, self_assessment__isnull=True)
            .exclude(round__status=Round.Status.AGREED)
            .select_related("round", "priority")
            .order_by("round__date", "priority__title")
        )
    if user.is_unit_staff or user.is_priority_lead:
        # Milestones past due in the plans this person owns, leads or follows.
        context["overdue_milestones"] = (
            Milestone.objects.current()
            .overdue()
            .filter(
                Q(owner=user)
                | Q(plan_version__plan__priority__lead=user)
                | Q(plan_version__plan__priority__analyst=user)
            )
            .select_related("owner", "plan_version__plan__priority")
            .order_by("due", "pk")[:20]
        )
    if user.has_perm("stocktakes.view_stocktake"):
        context["stocktakes"] = Stocktake.objects.order_by("-date", "-pk")[:5]
    return render(request, "stocktakes/home.html", context)
