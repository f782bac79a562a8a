"""Laying out and issuing a monthly note: its HTML and tagged PDF (PDF/UA-1), kept as the next
numbered version with ``delivery_unit.documents`` and emailed to leadership with the PDF attached.
All or nothing: if the email cannot be sent, nothing is kept as issued."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from delivery_unit.documents import issue_now
from delivery_unit.markdown import render_markdown
from delivery_unit.models import Role, User
from delivery_unit.pdf import render_pdf
from delivery_unit.versioning import check_version
from delivery_unit.workflow import TransitionRefused
from notes.models import IssuedNote, MonthlyNote


def leadership_recipients() -> list[User]:
    """The Chief Executive and the Leader: active leadership users with an email address."""
    return list(
        User.objects.filter(role=Role.LEADERSHIP, is_active=True)
        .exclude(email="")
        .order_by("last_name", "first_name", "pk")
    )


def render_note_html(note: MonthlyNote, *, version: int | None = None, when=None) -> str:
    return render_to_string(
        "notes/note_document.html",
        {
            "note": note,
            "body": render_markdown(note.body),
            "version": version,
            "generated_at": when or timezone.now(),
            "council_name": settings.COUNCIL_NAME,
            "marking": settings.PACK_MARKING,
        },
    )


def render_draft_pdf(note: MonthlyNote) -> bytes:
    return render_pdf(render_note_html(note))


def issue_note(note: MonthlyNote, *, by, version: int, reason: str = "") -> IssuedNote:
    """Issue the draft as the next numbered version, refused (``Stale``) if it was saved since
    ``version`` (the version the confirmation page showed), then email it to leadership."""
    recipients = leadership_recipients()
    with transaction.atomic():
        current = check_version(note, version)
        if current.status != MonthlyNote.Status.DRAFT:
            raise TransitionRefused("The note has been issued already.")
        note.body = current.body
        reissue = note.issued.exists()
        if reissue and not reason.strip():
            raise TransitionRefused("Say why the note is issued again.")
        issued = issue_now(
            note,
            note.issued,
            lambda number: render_note_html(note, version=number),
            by=by,
            reason=reason.strip() if reissue else "",
        )
        issued.sent_to = ", ".join(person.email for person in recipients)
        issued.save(update_fields=["sent_to"])
        note.status = MonthlyNote.Status.ISSUED
        note.updated_by = by
        note.updated_at = timezone.now()
        note._history_user = by
        note.save(update_fields=["status", "version", "updated_by", "updated_at"])
        if recipients:
            _email(note, issued, recipients)
    return issued


def _email(note: MonthlyNote, issued: IssuedNote, recipients: list[User]) -> None:
    again = f" (version {issued.number})" if issued.number > 1 else ""
    body = render_to_string(
        "notes/email.txt",
        {
            "note": note,
            "issued": issued,
            "council_name": settings.COUNCIL_NAME,
            "site_url": settings.SITE_URL,
        },
    )
    message = EmailMultiAlternatives(
        subject=f"Monthly note from the Corporate Delivery Unit: {note.title}{again}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email for person in recipients],
    )
    message.attach_alternative(bytes(issued.html).decode(), "text/html")
    message.attach(issued.filename, bytes(issued.pdf), "application/pdf")
    message.send()
