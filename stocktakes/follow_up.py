"""The follow-up note: written from the meeting's decisions and actions, edited by the unit, then
emailed to the chairs and attendees and kept exactly as sent (HTML and PDF)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from delivery_unit.pdf import render_pdf
from delivery_unit.versioning import Stale
from delivery_unit.workflow import TransitionRefused
from stocktakes.models import FollowUpNote, Stocktake


def draft_body(stocktake: Stocktake) -> str:
    """Plain text the unit edits: each item's decisions, then every action agreed."""
    items = list(stocktake.ordered_agenda())
    actions = list(
        stocktake.actions.select_related("owner", "agenda_item").order_by(
            "agenda_item__position", "pk"
        )
    )
    return render_to_string(
        "stocktakes/follow_up_draft.txt",
        {"stocktake": stocktake, "items": items, "actions": actions},
    ).strip()


def recipients(stocktake: Stocktake) -> list[str]:
    people = {*stocktake.chairs.all(), *stocktake.attendees.all()}
    return sorted(person.email for person in people if person.email)


def save_note(stocktake: Stocktake, *, body: str, by, version: int) -> FollowUpNote:
    """Create the note (``version`` 0: nobody has saved one yet) or edit it."""
    with transaction.atomic():
        Stocktake.objects.select_for_update().get(pk=stocktake.pk)
        note = FollowUpNote.objects.filter(stocktake=stocktake).first()
        if note is None:
            if version != 0:
                raise Stale(None)
            note = FollowUpNote(stocktake=stocktake, body=body, updated_by=by)
            note._history_user = by
            note.save()
            return note
        note.edit(body=body, by=by, version=version)
        return note


def render_note(note: FollowUpNote, sent_at) -> tuple[str, bytes]:
    """The note as it is kept: an HTML page and its PDF."""
    stocktake = note.stocktake
    html = render_to_string(
        "stocktakes/follow_up_note.html",
        {
            "stocktake": stocktake,
            "note": note,
            "sent_at": sent_at,
            "council_name": settings.COUNCIL_NAME,
            "marking": stocktake.marking,
        },
    )
    return html, render_pdf(html)


def send_note(note: FollowUpNote, *, by) -> FollowUpNote:
    """Email the note and keep what was sent. All or nothing: if the email cannot be sent,
    nothing is recorded as sent."""
    stocktake = note.stocktake
    to = recipients(stocktake)
    if not to:
        raise TransitionRefused("Nobody to send it to: add the chairs and attendees first.")
    sent_at = timezone.now()
    html, pdf = render_note(note, sent_at)
    with transaction.atomic():
        current = FollowUpNote.objects.select_for_update().get(pk=note.pk)
        if current.sent_at or current.version != note.version:
            raise Stale(current)
        stocktake.mark_follow_up_sent()
        note.sent_at = sent_at
        note.sent_by = by
        note.recipients = ", ".join(to)
        note.html = html.encode()
        note.pdf = pdf
        note._history_user = by
        note.save(update_fields=["sent_at", "sent_by", "recipients", "html", "pdf"])
        message = EmailMultiAlternatives(
            subject=f"Follow-up: {stocktake.title}, {stocktake.date:%-d %B %Y}",
            body=note.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=to,
        )
        message.attach_alternative(html, "text/html")
        message.attach(f"follow-up-{stocktake.date:%Y-%m-%d}.pdf", pdf, "application/pdf")
        message.send()
    return note
