"""The monthly note: proposed from the month's changes, edited (a stale save is refused with what
was typed kept), issued as a numbered, frozen record (a tagged PDF and its web page), emailed to
leadership with the PDF attached, and listed on leadership's home page."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pikepdf
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pdfua import Severity, validate
from pypdf import PdfReader

from delivery_unit.models import Role
from delivery_unit.workflow import TransitionRefused
from notes.issuing import issue_note, render_draft_pdf
from notes.models import IssuedNote, MonthlyNote, first_of_month
from notes.proposal import escape, gather, propose
from plans.models import DeliveryPlan, Milestone
from priorities.indicators.models import Actual
from priorities.models import Likelihood
from stocktakes.models import Action, Stocktake
from tests.conftest import make_round, make_user

MONTH = date(2026, 11, 1)
TODAY = date(2026, 11, 27)


def _text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _url(name: str, note: MonthlyNote, **extra) -> str:
    return reverse(f"notes:{name}", kwargs=note.url_kwargs | extra)


@pytest.fixture
def month_of_changes(priority, other_priority, indicator, unit_staff, priority_lead, other_lead):
    """Known data: Temporary Accommodation rated down from Amber/green to Amber/red, TA-01 off
    trajectory after being on it and its data late, a milestone missed and one due in December,
    an overdue action, and a stocktake planned for December."""
    make_round(
        {priority: Likelihood.AMBER_GREEN, other_priority: Likelihood.AMBER_GREEN},
        by=unit_staff,
        day=date(2026, 9, 1),
    )
    make_round(
        {priority: Likelihood.AMBER_RED, other_priority: Likelihood.AMBER_GREEN},
        by=unit_staff,
        day=date(2026, 10, 1),
    )
    # Planned 3000 then 2950: on in January (2990), off in February (2990 > 2950 + 20).
    Actual.objects.create(indicator=indicator, period=date(2025, 1, 1), value=Decimal(2990))
    Actual.objects.create(indicator=indicator, period=date(2025, 2, 1), value=Decimal(2990))
    plan = DeliveryPlan.objects.get(priority=priority)
    version = plan.versions.order_by("-number").first()
    Milestone.objects.create(
        plan_version=version,
        title="Open the family hub",
        owner=priority_lead,
        due=date(2026, 11, 2),
    )
    Milestone.objects.create(
        plan_version=version,
        title="Sign the leasing deal",
        owner=priority_lead,
        due=date(2026, 12, 9),
    )
    Milestone.objects.create(
        plan_version=version, title="A milestone for January", due=date(2027, 1, 20)
    )
    stocktake = Stocktake.plan(
        title="Housing stocktake",
        date=date(2026, 12, 10),
        priorities=[priority, other_priority],
        by=unit_staff,
    )
    held = Stocktake.plan(
        title="Autumn stocktake", date=date(2026, 9, 10), priorities=[priority], by=unit_staff
    )
    Action.objects.create(
        stocktake=held,
        priority=priority,
        description="Bring the *recovery* plan",
        owner=priority_lead,
        due_date=date(2026, 11, 10),
        created_by=unit_staff,
    )
    return stocktake


@pytest.mark.django_db
def test_the_proposal_is_written_from_the_months_changes(
    month_of_changes, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40):
        found = gather(MONTH, today=TODAY)
    assert [row.priority.title for row in found.rating_changes] == ["Temporary Accommodation"]
    assert [c.indicator.code for c in found.went_off] == ["TA-01"]
    assert found.came_back == []
    assert [late.indicator.code for late in found.late] == ["TA-01"]
    assert [m.title for m in found.missed] == ["Open the family hub"]
    assert [m.title for m in found.due_next] == ["Sign the leasing deal"]
    assert [a.description for a in found.overdue_actions] == ["Bring the *recovery* plan"]
    assert found.next_stocktake == month_of_changes
    assert [item.title for item in found.agenda] == [
        "Temporary Accommodation",
        "Council tax collection",
    ]

    text = propose(MONTH, today=TODAY)
    assert "# Ratings that changed" in text
    assert "- **Temporary Accommodation**: Amber-red (Down from Amber-green)" in text
    assert "Overall ratings that changed in October 2026 assessment (since September" in text
    assert (
        "Went off trajectory:\n\n- TA-01 Households in temporary accommodation "
        "(Temporary Accommodation), Feb 2025\n" in text
    )
    assert "Came back on trajectory" not in text
    assert (
        "- TA-01 Households in temporary accommodation (Temporary Accommodation, Lead): Mar 2025"
        in text
    )
    assert "Council tax collection**" not in text  # its rating did not change
    assert "# Milestones due in December 2026" in text
    assert "- Sign the leasing deal (Temporary Accommodation, Lead): due 9 December 2026" in text
    assert "A milestone for January" not in text
    assert (
        "- Bring the \\*recovery\\* plan (Temporary Accommodation): Lead, due 10 November 2026"
        in text
    )
    assert "Housing stocktake, 10 December 2026. The agenda:" in text
    assert "1. Temporary Accommodation" in text
    assert "No priority review reported this month." in text


def test_names_people_typed_read_as_typed():
    assert escape("A *bold* [link](javascript:x) <b>") == (
        "A \\*bold\\* \\[link\\]\\(javascript:x\\) \\<b\\>"
    )


@pytest.mark.django_db
def test_an_empty_council_gets_a_proposal_that_says_so():
    text = propose(MONTH, today=TODAY)
    assert "No assessment round has been agreed yet." in text
    assert "No data was overdue on 27 November 2026." in text
    assert "No stocktake is planned yet." in text


@pytest.fixture
def note(unit_staff) -> MonthlyNote:
    return MonthlyNote.objects.create(
        month=MONTH,
        body="# Summary\n\nHomelessness is the month's worry.\n\n- Rough sleeping is **green**",
        created_by=unit_staff,
    )


@pytest.mark.django_db
def test_the_unit_starts_this_months_note_from_the_proposal(client_for, unit_staff, rated_priority):
    client = client_for(unit_staff)
    response = client.post(reverse("notes:start"))
    note = MonthlyNote.objects.get()
    assert note.month == first_of_month(timezone.localdate())
    assert response.status_code == 302 and response["Location"] == note.get_absolute_url()
    assert "# Ratings that changed" in note.body
    assert note.status == "draft" and note.created_by == unit_staff
    # Starting again opens the same note.
    assert client.post(reverse("notes:start"))["Location"] == note.get_absolute_url()
    assert MonthlyNote.objects.count() == 1


@pytest.mark.django_db
def test_the_unit_edits_the_draft_and_sees_it_as_it_will_read(client_for, unit_staff, note):
    client = client_for(unit_staff)
    response = client.get(note.get_absolute_url())
    assert response.status_code == 200
    assert b"<h3>Summary</h3>" in response.content
    body = "# Summary\n\nNew words <script>alert(1)</script> [x](javascript:alert(1))"
    response = client.post(note.get_absolute_url(), {"body": body, "version": note.version})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.body == body and note.version == 2 and note.updated_by == unit_staff
    page = client.get(note.get_absolute_url()).content.decode()
    start = page.index("app-note-preview")
    preview = page[start : page.index("</div>", start)]
    assert "<script>" not in preview and 'href="javascript' not in preview
    assert "&lt;script&gt;" in preview


@pytest.mark.django_db
def test_a_stale_edit_is_refused_keeping_what_was_typed(client_for, unit_staff, unit_leader, note):
    opened = note.version
    note.edit(body="The leader's words.", by=unit_leader, version=opened)
    response = client_for(unit_staff).post(
        note.get_absolute_url(), {"body": "My words.", "version": opened}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "My words." in page  # what was typed, kept in the form
    assert "The leader&#x27;s words." in page or "The leader's words." in page
    assert "saved the note while you were editing" in page
    note.refresh_from_db()
    assert note.body == "The leader's words."


@pytest.mark.django_db
def test_a_bad_edit_shows_the_error_summary_and_changes_nothing(client_for, unit_staff, note):
    response = client_for(unit_staff).post(
        note.get_absolute_url(), {"body": "", "version": note.version}
    )
    assert response.status_code == 422
    assert b"There is a problem" in response.content and b"Enter the note" in response.content
    note.refresh_from_db()
    assert note.version == 1


@pytest.mark.django_db
def test_the_confirmation_page_says_what_will_happen_and_what_is_missing(
    client_for, unit_staff, leadership, note
):
    leadership.email = "chief@council.example"
    leadership.save()
    page = client_for(unit_staff).get(_url("issue", note)).content.decode()
    assert "it is emailed, with the PDF attached, to Chief (chief@council.example)" in page
    assert "summary of the month is still" not in page
    note.edit(
        body="# Summary\n\nWrite the unit's summary of the month here", by=unit_staff, version=1
    )
    leadership.email = ""
    leadership.save()
    page = client_for(unit_staff).get(_url("issue", note)).content.decode()
    assert "Nobody in leadership has an email address here" in page
    assert "The unit's summary of the month is still the proposal's placeholder" in page
    assert not IssuedNote.objects.exists()


@pytest.fixture
def mailed_leadership(leadership, administrator):
    leadership.email = "chief@council.example"
    leadership.save()
    make_user("leader", Role.LEADERSHIP, email="leader@council.example")
    make_user("gone", Role.LEADERSHIP, email="gone@council.example", is_active=False)
    make_user("noemail", Role.LEADERSHIP)
    administrator.email = "admin@council.example"
    administrator.save()
    return leadership


@pytest.mark.django_db
def test_issuing_keeps_a_tagged_pdf_and_emails_it_to_leadership(
    client_for, unit_staff, mailed_leadership, note
):
    response = client_for(unit_staff).post(_url("issue", note), {"version": note.version})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.status == "issued"
    issued = note.issued.get()
    assert issued.number == 1 and issued.issued_by == unit_staff and issued.reason == ""

    pdf = bytes(issued.pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == issued.page_count == 1
    text = _text(pdf)
    assert "Monthly note: November 2026" in text
    assert "Homelessness is the month's worry." in text
    assert "Version 1, issued" in text
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert "/StructTreeRoot" in document.Root
        assert str(document.Root.Lang) == "en-GB"
    errors = [f for f in validate(io.BytesIO(pdf)).findings if f.severity == Severity.ERROR]
    assert errors == [], [f"{f.rule_id}: {f.message}" for f in errors]
    assert b"<h3>Summary</h3>" in bytes(issued.html)
    assert b"<li>Rough sleeping is <strong>green</strong></li>" in bytes(issued.html)

    # Sent once, to the active leadership with an email: not the administrator, not a leaver.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["chief@council.example", "leader@council.example"]
    assert message.subject == "Monthly note from the Corporate Delivery Unit: November 2026"
    assert "Homelessness is the month's worry." in message.body
    assert issued.get_absolute_url() in message.body
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("monthly-note-2026-11-v1.pdf", "application/pdf")
    assert content == pdf
    assert message.alternatives[0][1] == "text/html"
    assert issued.sent_to == "chief@council.example, leader@council.example"


def _structure_tags(pdf: bytes) -> set[str]:
    tags: set[str] = set()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        stack = [document.Root.StructTreeRoot]
        while stack:
            element = stack.pop()
            if "/S" in element:
                tags.add(str(element.S))
            kids = element.get("/K")
            if kids is None:
                continue
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary):
                    stack.append(kid)
    return tags


@pytest.mark.django_db
def test_the_pdf_is_tagged_with_headings_and_lists(note):
    tags = _structure_tags(render_draft_pdf(note))
    assert {"/H1", "/H2", "/H3", "/L", "/LI", "/P"} <= tags


@pytest.mark.django_db
def test_the_issued_note_does_not_change_when_the_data_or_draft_changes(
    client_for, unit_staff, leadership, month_of_changes, priority
):
    note = MonthlyNote.objects.create(
        month=MONTH, body=propose(MONTH, today=TODAY), created_by=unit_staff
    )
    issued = issue_note(note, by=unit_staff, version=note.version)
    before_pdf, before_html = bytes(issued.pdf), bytes(issued.html)
    assert "Temporary Accommodation" in _text(before_pdf)

    priority.title = "Housing need"
    priority.save()
    Action.objects.update(status=Action.Status.DONE)
    note.reopen(by=unit_staff)
    note.edit(body=propose(MONTH, today=TODAY), by=unit_staff, version=note.version)
    assert "Housing need" in note.body

    client = client_for(leadership)
    response = client.get(_url("issued_pdf", note, number=1))
    assert response.status_code == 200 and response.content == before_pdf
    assert client.get(_url("issued_html", note, number=1)).content == before_html
    assert "Housing need" not in _text(response.content)


@pytest.mark.django_db
def test_a_reissue_is_the_next_version_with_its_reason(client_for, unit_staff, note):
    client = client_for(unit_staff)
    client.post(_url("issue", note), {"version": note.version})
    # An issued note is a record: editing it or issuing it again is refused until reopened.
    note.refresh_from_db()
    assert (
        client.post(note.get_absolute_url(), {"body": "x", "version": note.version}).status_code
        == 409
    )
    assert client.get(_url("issue", note)).status_code == 409
    assert client.post(_url("reopen", note)).status_code == 302
    note.refresh_from_db()
    assert note.status == "draft"
    response = client.post(_url("issue", note), {"version": note.version, "reason": ""})
    assert response.status_code == 422
    assert b"Enter why the note is issued again" in response.content
    response = client.post(
        _url("issue", note), {"version": note.version, "reason": "A figure was wrong."}
    )
    assert response.status_code == 302
    assert list(note.issued.order_by("number").values_list("number", "reason")) == [
        (1, ""),
        (2, "A figure was wrong."),
    ]
    assert client.post(_url("reopen", note)).status_code == 302
    with pytest.raises(TransitionRefused):
        MonthlyNote.objects.get(pk=note.pk).reopen(by=unit_staff)


@pytest.mark.django_db
def test_a_note_saved_since_the_confirmation_page_is_not_issued(
    client_for, unit_staff, unit_leader, note
):
    opened = note.version
    note.edit(body="Changed meanwhile.", by=unit_leader, version=opened)
    response = client_for(unit_staff).post(_url("issue", note), {"version": opened})
    assert response.status_code == 409
    assert b"The note was saved since you opened this page" in response.content
    assert not IssuedNote.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_leadership_home_lists_the_issued_notes(
    client_for, unit_staff, leadership, note, django_assert_max_num_queries
):
    draft = MonthlyNote.objects.create(
        month=date(2026, 12, 1), body="Draft.", created_by=unit_staff
    )
    issue_note(note, by=unit_staff, version=note.version)
    client = client_for(leadership)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("home")).content.decode()
    assert "Monthly notes from the unit" in page
    assert _url("issued_html", note, number=1) in page
    assert draft.get_absolute_url() not in page
    # The list shows leadership the issued note, not the draft.
    listing = client.get(reverse("notes:list")).content.decode()
    assert note.get_absolute_url() in listing and draft.get_absolute_url() not in listing
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_the_list_and_detail_pages_keep_their_query_counts(
    client_for, unit_staff, note, django_assert_max_num_queries
):
    for month in (date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)):
        issue_note(
            MonthlyNote.objects.create(month=month, body="Words.", created_by=unit_staff),
            by=unit_staff,
            version=1,
        )
    client = client_for(unit_staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("notes:list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(note.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_month_that_does_not_exist_is_404(client_for, unit_staff):
    assert client_for(unit_staff).get("/monthly-notes/2026/13/").status_code == 404


@pytest.mark.django_db
def test_the_demo_has_last_months_note_issued_and_a_draft_for_this_one(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", not_production=True, stdout=io.StringIO())
    this_month = first_of_month(timezone.localdate())
    last_month = first_of_month(this_month - timedelta(days=1))
    notes = {note.month: note for note in MonthlyNote.objects.all()}
    assert set(notes) == {last_month, this_month}
    assert notes[this_month].status == "draft" and not notes[this_month].issued.exists()
    assert "# Ratings that changed" in notes[this_month].body
    issued = notes[last_month].issued.get()
    assert notes[last_month].status == "issued" and issued.number == 1
    assert timezone.localtime(issued.issued_at).date() == this_month - timedelta(days=1)
    assert sorted(issued.sent_to.split(", ")) == ["chief@example.org", "leader@example.org"]
    text = _text(bytes(issued.pdf))
    assert f"Monthly note: {last_month:%B %Y}" in text
    assert "Temporary accommodation is still the council's biggest delivery risk" in text
    assert mail.outbox == []  # the demo's note was kept as issued, not emailed again
    # Loading again adds nothing.
    call_command("load_demo", not_production=True, stdout=io.StringIO())
    assert MonthlyNote.objects.count() == 2 and IssuedNote.objects.count() == 1


@pytest.mark.django_db
def test_the_list_shows_exactly_the_notes_each_role_may_open(
    unit_staff, unit_leader, priority_lead, leadership, administrator, note
):
    from django.contrib.auth.models import AnonymousUser

    from notes.rules import visible_notes

    issue_note(note, by=unit_staff, version=note.version)
    MonthlyNote.objects.create(month=date(2026, 12, 1), body="Draft.", created_by=unit_staff)
    people = [
        unit_staff,
        unit_leader,
        priority_lead,
        leadership,
        administrator,
        make_user("officer", Role.SERVICE_STAFF),
        make_user("cabinet", Role.CABINET_MEMBER),
        AnonymousUser(),
    ]
    seen = {}
    for person in people:
        listed = set(visible_notes(MonthlyNote.objects.all(), person))
        may_open = {n for n in MonthlyNote.objects.all() if person.has_perm("notes.view_note", n)}
        assert listed == may_open, person
        seen[str(person) or "anonymous"] = len(listed)
    assert seen == {
        "Analyst": 2,
        "Unitlead": 2,
        "Lead": 0,
        "Chief": 1,
        "Admin": 1,
        "Officer": 0,
        "Cabinet": 0,
        "AnonymousUser": 0,
    }
