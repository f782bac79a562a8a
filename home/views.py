"""Each role's start page: what is theirs to do, gathered from every app. It sits above all of
them (see README, "How it is built"), so it may import from each."""

from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from delivery_unit.http import HtmxHttpRequest
from notes.models import IssuedNote
from plans.models import DeliveryPlan, Milestone, PlanVersion
from priorities.models import Priority
from priorities.rounds.models import Round, RoundEntry
from priorities.rounds.report import NOTABLE_GAP, SORTS, report_for_page
from reviews.models import Review
from rhythm.owing import lines, owed_by
from stocktakes.models import Action, AgendaItem, FollowUpNote, Stocktake


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    """Send each role to where its work is."""
    user = request.user
    analyst = user.has_perm("priorities.follow_as_analyst")
    lead = user.has_perm("priorities.lead_priorities")
    support = user.has_perm("priorities.support_priorities")
    portfolio = user.has_perm("priorities.follow_portfolio")
    context: dict = {
        "analyst": analyst,
        "lead": lead,
        "support": support,
        "portfolio": portfolio,
    }
    # What this person owes, due and overdue, soonest first: their page leads with it.
    today = timezone.localdate()
    context["owed"] = lines(owed_by(user, today=today), today)
    context["owed_overdue"] = sum(line.overdue for line in context["owed"])
    if analyst:
        context["my_priorities"] = (
            Priority.objects.with_latest_rating()
            .filter(analyst=user)
            .select_related("lead")
            .order_by("title")
        )
    elif lead:
        context["my_priorities"] = (
            Priority.objects.with_latest_rating()
            .led_by(user)
            .select_related("lead")
            .order_by("title")
        )
    elif support:
        context["my_priorities"] = (
            Priority.objects.with_latest_rating()
            .filter(service_staff=user)
            .select_related("lead")
            .order_by("title")
        )
        context["my_plans"] = (
            DeliveryPlan.objects.filter(writers=user)
            .select_related("priority")
            .order_by("priority__title")
        )
    elif portfolio:
        context["my_priorities"] = (
            Priority.objects.with_latest_rating()
            .filter(portfolio_holder=user)
            .select_related("lead")
            .order_by("title")
        )
        # What the chairs decided about them at stocktakes already held.
        context["decisions"] = (
            AgendaItem.objects.visible_to(user)
            .filter(priority__portfolio_holder=user)
            .exclude(decisions="")
            .select_related("stocktake", "priority")
            .order_by("-stocktake__date", "position")[:20]
        )
    if user.has_perm("stocktakes.chair_stocktake"):
        context |= {
            "report": report_for_page(),
            "notable_gap": NOTABLE_GAP,
            "sort": "likelihood",
            "sorts": SORTS,
        }
    if lead:
        context["self_assessments_due"] = (
            RoundEntry.objects.filter(priority__lead=user, self_assessment__isnull=True)
            .exclude(round__status=Round.Status.AGREED)
            .select_related("round", "priority")
            .order_by("round__date", "priority__title")
        )
    if lead:
        # Plans of theirs the unit returned with feedback, not yet submitted again.
        resubmitted = PlanVersion.objects.filter(
            plan_id=OuterRef("plan_id"), number__gt=OuterRef("number")
        ).exclude(status=PlanVersion.Status.DRAFT)
        context["returned_plans"] = (
            PlanVersion.objects.filter(
                plan__priority__lead=user, status=PlanVersion.Status.RETURNED
            )
            .exclude(Exists(resubmitted))
            .select_related("plan__priority", "decided_by")
            .order_by("plan__priority__title")
        )
    if analyst or lead:
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
    if user.has_perm("reviews.follow_up_review"):
        # Reviews whose follow-up is due: the unit goes back to see what was done.
        context["reviews_due"] = (
            Review.objects.follow_up_due().select_related("priority").order_by("title")
        )
    if user.has_perm("stocktakes.view_stocktake_list"):
        context["stocktakes"] = Stocktake.objects.visible_to(user).order_by("-date", "-pk")[:5]
    if user.has_perm("stocktakes.chair_stocktake"):
        # The chairs' loose ends: the latest notes from their stocktakes and what is overdue.
        context["follow_up_notes"] = (
            FollowUpNote.objects.filter(sent_at__isnull=False, stocktake__chairs=user)
            .select_related("stocktake")
            .order_by("-sent_at")[:3]
        )
        context["overdue_actions"] = (
            Action.objects.overdue()
            .filter(stocktake__chairs=user)
            .select_related("owner", "priority", "stocktake")
            .order_by("due_date", "pk")
        )
    if user.has_perm("notes.receive_note"):
        # The unit's monthly notes to the Chief Executive and the Leader, as issued.
        context["monthly_notes"] = IssuedNote.objects.select_related("note").order_by(
            "-note__month", "-number"
        )[:6]
    context["my_open_actions"] = (
        Action.objects.open().filter(owner=user).select_related("priority").order_by("due_date")
    )
    return render(request, "home/home.html", context)
