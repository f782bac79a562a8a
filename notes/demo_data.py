"""The demo's monthly notes: last month's, issued to leadership at the end of that month, and this
month's, a draft the unit is writing. Added only where the demo has no note for that month yet.

Called from ``home/management/commands/load_demo.py`` (home sits above notes) after the stocktakes
and reviews are built, so that the proposal finds their actions, agendas and reports."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from delivery_unit.documents import keep_issued
from delivery_unit.models import User
from delivery_unit.pdf import render_pdf_with_pages
from notes.issuing import leadership_recipients, render_note_html
from notes.models import IssuedNote, MonthlyNote, first_of_month
from notes.proposal import propose

PLACEHOLDER = (
    "Write the unit's summary of the month here: what matters most, and what the Chief "
    "Executive and the Leader are asked to do."
)

SUMMARY = (
    "Temporary accommodation is still the council's biggest delivery risk: the number of "
    "households placed is above trajectory and the recovery plan agreed at the stocktake has "
    "yet to show in the data. Rough sleeping held its Green rating through a cold month.\n\n"
    "**We ask the Chief Executive and the Leader** to press Housing Demand for the leasing deal "
    "before the next stocktake, and to chase the data returned late, listed below."
)


def build(users: dict[str, User]) -> None:
    today = timezone.localdate()
    this_month = first_of_month(today)
    last_month = first_of_month(this_month - timedelta(days=1))
    by = users["analyst"]
    if not MonthlyNote.objects.filter(month=last_month).exists():
        _issued(last_month, this_month - timedelta(days=1), by)
    if not MonthlyNote.objects.filter(month=this_month).exists():
        MonthlyNote.objects.create(
            month=this_month, body=propose(this_month, today=today), created_by=by
        )


def _issued(month, last_day, by: User) -> IssuedNote:
    """Written from the month's changes as they stood on its last day, and issued that
    afternoon: kept through the same machinery as any issue (not emailed again)."""
    issued_at = timezone.make_aware(datetime.combine(last_day, time(16, 0)))
    body = propose(month, today=last_day).replace(PLACEHOLDER, SUMMARY)
    note = MonthlyNote.objects.create(
        month=month,
        body=body,
        created_by=by,
        updated_by=by,
        updated_at=issued_at,
        status=MonthlyNote.Status.ISSUED,
    )
    html = render_note_html(note, version=1, when=issued_at)
    pdf, pages = render_pdf_with_pages(html)
    issued = keep_issued(note, note.issued, pdf=pdf, html=html.encode(), pages=pages, by=by)
    recipients = ", ".join(person.email for person in leadership_recipients())
    IssuedNote.objects.filter(pk=issued.pk).update(issued_at=issued_at, sent_to=recipients)
    return issued
