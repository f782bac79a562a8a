"""A person's events as an iCalendar document (RFC 5545), written by the icalendar library.

Each event keeps its UID while the thing it stands for exists, so that a client that polls the
feed moves an event whose date changed rather than adding a second one. An event without a time
is an all-day event (a DATE, ending the next day); a stocktake with a start time is a DATE-TIME
in the council's time zone, with that zone's VTIMEZONE included."""

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

from forward_look.events import Event

UID_DOMAIN = "forward-look.delivery-unit"


def calendar_of(
    events: list[Event], *, name: str, absolute: Callable[[str], str]
) -> icalendar.Calendar:
    """The events as a calendar called ``name``; ``absolute`` turns a path into a full URL."""
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{settings.COUNCIL_NAME}//Delivery unit forward look//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    zone = ZoneInfo(settings.TIME_ZONE)
    for event in events:
        entry = icalendar.Event()
        entry.add("uid", f"{event.uid}@{UID_DOMAIN}")
        entry.add("dtstamp", stamp)
        if event.at is None:
            entry.add("dtstart", event.day)
            entry.add("dtend", event.day + timedelta(days=1))
            entry.add("transp", "TRANSPARENT")
        else:
            entry.add("dtstart", datetime.combine(event.day, event.at, tzinfo=zone))
        summary = f"{event.kind_label}: {event.title}"
        entry.add("summary", summary)
        description = [part for part in [event.priority, event.detail] if part]
        if description:
            entry.add("description", "\n".join(description))
        if event.detail and event.kind == "stocktake":
            entry.add("location", event.detail)
        entry.add("url", absolute(event.url))
        entry.add("categories", [event.kind_label])
        cal.add_component(entry)
    cal.add_missing_timezones()
    return cal
