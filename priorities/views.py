from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from delivery_unit.access import get_for_user
from priorities.forms import RatingForm
from priorities.models import Priority, StaleRating


def _get_priority_for_user(request: HttpRequest, slug: str, change_perm: str | None = None):
    return get_for_user(
        request.user,
        Priority.objects.select_related("lead", "analyst"),
        "priorities.view_priority",
        change_perm,
        slug=slug,
    )


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    priorities = (
        Priority.objects.with_latest_rating().select_related("lead", "analyst").order_by("title")
    )
    return render(request, "priorities/register.html", {"priorities": priorities})


def _detail_context(priority: Priority, form: RatingForm | None, user) -> dict:
    ratings = list(priority.ratings.select_related("rated_by").order_by("-rated_at", "-pk"))
    latest = ratings[0] if ratings else None
    if form is None and user.has_perm("priorities.rate_priority", priority):
        form = RatingForm(initial={"based_on": latest.pk if latest else None})
    return {"priority": priority, "ratings": ratings, "latest": latest, "form": form}


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    priority = _get_priority_for_user(request, slug)
    return render(request, "priorities/detail.html", _detail_context(priority, None, request.user))


@require_POST
def rate(request: HttpRequest, slug: str) -> HttpResponse:
    priority = _get_priority_for_user(request, slug, "priorities.rate_priority")
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _render_rating(request, priority, form, status=422)
    try:
        priority.rate(
            likelihood=form.cleaned_data["likelihood"],
            rationale=form.cleaned_data["rationale"],
            by=request.user,
            based_on=form.cleaned_data["based_on"],
        )
    except StaleRating as stale:
        form = RatingForm(
            # Keep what the rater wrote, now based on the rating they are about to see.
            {**request.POST.dict(), "based_on": stale.latest.pk if stale.latest else ""}
        )
        form.is_valid()
        form.add_error(None, _stale_message(stale))
        return _render_rating(request, priority, form, status=409)
    if not request.htmx:
        messages.success(request, "Rating saved.")
        return redirect(priority)
    return _render_rating(request, priority, None, status=200, saved=True)


def _stale_message(stale: StaleRating) -> str:
    if stale.latest is None:
        return "The ratings changed while you were writing. Check the history and save again."
    return (
        f"{stale.latest.rated_by} rated this priority {stale.latest.get_likelihood_display()} "
        "while you were writing, so your rating has not been saved. Their rating is shown "
        "below; check yours against it and save again."
    )


def _render_rating(request, priority, form, *, status: int, saved: bool = False) -> HttpResponse:
    context = _detail_context(priority, form, request.user) | {"saved": saved}
    template = "priorities/detail.html#rating" if request.htmx else "priorities/detail.html"
    return render(request, template, context, status=status)
