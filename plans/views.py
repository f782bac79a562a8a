from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from delivery_unit.access import check_for_user, get_for_user
from plans.forms import PlanForm
from plans.models import DeliveryPlan, StalePlan
from priorities.models import Priority


def _get_plan_for_user(request: HttpRequest, slug: str, change_perm: str | None = None):
    priority = get_for_user(
        request.user,
        Priority.objects.select_related("lead"),
        "priorities.view_priority",
        slug=slug,
    )
    # Every priority has a plan; a priority made without one gets its empty plan here.
    plan, _ = DeliveryPlan.objects.select_related("updated_by").get_or_create(priority=priority)
    plan.priority = priority
    return check_for_user(request.user, plan, "plans.view_deliveryplan", change_perm)


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _get_plan_for_user(request, slug)
    history = plan.history.select_related("history_user").order_by("-history_date")[:20]
    return render(request, "plans/detail.html", {"plan": plan, "history": history})


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _get_plan_for_user(request, slug, "plans.change_deliveryplan")
    if request.method == "GET":
        form = PlanForm(initial={"body": plan.body, "version": plan.version})
        return render(request, "plans/edit.html", {"plan": plan, "form": form})

    form = PlanForm(request.POST)
    if not form.is_valid():
        return render(request, "plans/edit.html", {"plan": plan, "form": form}, status=422)
    try:
        plan.revise(
            body=form.cleaned_data["body"], by=request.user, version=form.cleaned_data["version"]
        )
    except StalePlan as stale:
        # Keep the editor's text in the form; show the other person's version beside it.
        form = PlanForm({"body": form.cleaned_data["body"], "version": stale.current.version})
        form.is_valid()
        form.add_error(
            None,
            f"{stale.current.updated_by or 'Someone'} saved this plan while you were editing, "
            "so your changes have not been saved. Their version is shown below your text; "
            "merge the two and save again.",
        )
        context = {"plan": plan, "form": form, "theirs": stale.current}
        return render(request, "plans/edit.html", context, status=409)
    messages.success(request, "Delivery plan saved.")
    return redirect(plan)
