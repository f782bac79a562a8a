"""The forward look: the calendar of the unit's routines, and each person's calendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from delivery_unit.access import require_perm
from delivery_unit.http import HtmxHttpRequest
from forward_look.events import KINDS, Window, by_month, gather
from forward_look.forms import CalendarFilterForm
from forward_look.ical import calendar_of
from forward_look.models import CalendarFeed

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
VIEW_CALENDAR, KEEP_FEED = "forward_look.view_calendar", "forward_look.keep_feed"


@require_GET
def calendar(request: HtmxHttpRequest) -> HttpResponse:
    require_perm(request.user, VIEW_CALENDAR)
    form = CalendarFilterForm(request.GET or None, user=request.user)
    window = Window.around(timezone.localdate())
    filters = form.cleaned_data if form.is_valid() else {}
    events = gather(
        request.user, window, priority=filters.get("priority"), person=filters.get("person")
    )
    view = filters.get("view") or "month"
    return render(
        request,
        "forward_look/calendar.html",
        {
            "form": form,
            "window": window,
            "months": by_month(events, window),
            "event_count": len(events),
            "view": view,
            "kinds": KINDS.values(),
            "today": timezone.localdate(),
            "weekdays": [
                "Monday",
                "Tuesday",
                "Wednesday",
                "Thursday",
                "Friday",
                "Saturday",
                "Sunday",
            ],
        },
    )


@require_GET
def feed_page(request: HtmxHttpRequest) -> HttpResponse:
    require_perm(request.user, KEEP_FEED)
    feed = CalendarFeed.live_for(request.user)
    address = request.build_absolute_uri(feed.get_absolute_url()) if feed else ""
    return render(request, "forward_look/feed_page.html", {"feed": feed, "address": address})


@require_POST
def feed_create(request: HtmxHttpRequest) -> HttpResponse:
    """A first address for the person's feed. With one already live, nothing changes: replacing
    an address goes through its own confirmation page."""
    require_perm(request.user, KEEP_FEED)
    if CalendarFeed.live_for(request.user) is None:
        CalendarFeed.issue(request.user)
        messages.success(request, "Your calendar feed is ready: add its address to your calendar")
    return redirect("forward_look:feed_page")


@require_http_methods(["GET", "POST"])
def feed_replace(request: HtmxHttpRequest) -> HttpResponse:
    require_perm(request.user, KEEP_FEED)
    if CalendarFeed.live_for(request.user) is None:
        raise Http404("You have no calendar feed to replace.")
    if request.method == "POST":
        CalendarFeed.issue(request.user)
        messages.success(request, "Your calendar feed has a new address: the old one has stopped")
        return redirect("forward_look:feed_page")
    return render(request, "forward_look/feed_confirm.html", {"replace": True})


@require_http_methods(["GET", "POST"])
def feed_revoke(request: HtmxHttpRequest) -> HttpResponse:
    require_perm(request.user, KEEP_FEED)
    if CalendarFeed.live_for(request.user) is None:
        raise Http404("You have no calendar feed to stop.")
    if request.method == "POST":
        CalendarFeed.revoke_for(request.user)
        messages.success(request, "Your calendar feed has stopped: its address no longer works")
        return redirect("forward_look:feed_page")
    return render(request, "forward_look/feed_confirm.html", {"replace": False})


@login_not_required
@require_GET
def feed(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The person's events as iCalendar. Calendar clients cannot sign in: the token is the
    key, and a wrong, stopped or deactivated person's token gets the same 404 as no feed."""
    found = CalendarFeed.objects.select_related("person").filter(pk=pk).first()
    if found is None or not found.opens_with(token) or not found.person.is_active:
        raise Http404("No calendar feed matches the given query.")
    person = found.person
    window = Window.around(timezone.localdate())
    events = gather(person, window, person=person)
    cal = calendar_of(events, name=f"Forward look: {person}", absolute=request.build_absolute_uri)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="forward-look.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
