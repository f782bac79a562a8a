"""The page where a person chooses their email: the weekly digest only, or the digest and
reminders. It is about the signed-in person alone, so every signed-in person may open it."""

import calendar

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from delivery_unit.http import HtmxHttpRequest
from rhythm.forms import ReminderPreferenceForm
from rhythm.models import ReminderChoice, ReminderPreference, SentMessage

# The page lists this many of the latest messages sent to the person.
RECENT = 20


@require_http_methods(["GET", "POST"])
def reminder_settings(request: HtmxHttpRequest) -> HttpResponse:
    preference = ReminderPreference.objects.filter(person=request.user).first()
    current = preference.choice if preference else ReminderChoice.DIGEST_AND_REMINDERS
    digest_day = calendar.day_name[settings.REMINDER_DIGEST_WEEKDAY]
    form = ReminderPreferenceForm(
        request.POST or None, initial={"choice": current}, digest_day=digest_day
    )
    if request.method == "POST" and form.is_valid():
        choice = ReminderChoice(form.cleaned_data["choice"])
        ReminderPreference.objects.update_or_create(
            person=request.user, defaults={"choice": choice}
        )
        messages.success(request, f"Saved: you will get {choice.label.lower()}")
        return redirect("rhythm:reminder_settings")
    return render(
        request,
        "rhythm/reminder_settings.html",
        {
            "form": form,
            "has_email": bool(request.user.email),
            "digest_day": digest_day,
            "days_before": settings.REMINDER_WORKING_DAYS_BEFORE,
            "recent": SentMessage.objects.filter(person=request.user).order_by("-sent_at", "-pk")[
                :RECENT
            ],
        },
    )
