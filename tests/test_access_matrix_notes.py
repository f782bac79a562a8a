"""The access matrix for the monthly notes: every named URL of ``notes:``, every role, what each
gets. The unit drafts, edits, issues and reopens; leadership and administrators read the issued
versions (a draft is 404 to them, a change 403); leads, service staff and cabinet members are not
sent the note: the list answers them 403 and a note 404. A move the note's state does not allow
is 409. A refused POST changes nothing.

A notes URL that is not declared here fails `test_every_notes_url_is_declared`.
"""

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from delivery_unit.models import Role
from notes.models import IssuedNote, MonthlyNote
from tests.conftest import make_user
from tests.test_access_matrix import EXPECTED_CSP, _named_urls

ROLES = [
    "anonymous",
    "unit_staff",
    "unit_leader",
    "own_lead",
    "other_lead",
    "service_staff",
    "cabinet_member",
    "leadership",
    "administrator",
]
UNIT = ("unit_staff", "unit_leader")
OUTSIDERS = ("own_lead", "other_lead", "service_staff", "cabinet_member")
READERS = ("leadership", "administrator")


@dataclass
class Entry:
    name: str
    method: str
    expect: dict[str, int]
    # "draft" (never issued), "issued" (version 1 issued), "missing" (no note that month),
    # or "" for none.
    note: str = ""
    number: int | None = None
    data: dict = field(default_factory=dict)


def expect(unit: int, readers: int = 404, outsiders: int = 404) -> dict[str, int]:
    return (
        {"anonymous": 302}
        | dict.fromkeys(UNIT, unit)
        | dict.fromkeys(READERS, readers)
        | dict.fromkeys(OUTSIDERS, outsiders)
    )


def everyone(status: int) -> dict[str, int]:
    return expect(status, status, status)


EDIT = {"body": "# Summary\n\nNew words.", "version": "1"}
ISSUE = {"version": "1"}

MATRIX = [
    Entry("notes:list", "GET", expect(200, 200, 403)),
    Entry("notes:list", "POST", everyone(405)),
    Entry("notes:start", "GET", everyone(405)),
    Entry("notes:start", "POST", expect(302, 403, 403)),
    Entry("notes:detail", "GET", expect(200), "draft"),
    Entry("notes:detail", "GET", expect(200, 200), "issued"),
    Entry("notes:detail", "GET", everyone(404), "missing"),
    Entry("notes:detail", "POST", expect(302), "draft", data=EDIT),
    # An issued note is a record: the unit reopens it first (409); readers may not (403).
    Entry("notes:detail", "POST", expect(409, 403), "issued", data=EDIT),
    Entry("notes:detail", "POST", everyone(404), "missing", data=EDIT),
    Entry("notes:draft_pdf", "GET", expect(200), "draft"),
    Entry("notes:draft_pdf", "GET", expect(200), "issued"),
    Entry("notes:draft_pdf", "GET", everyone(404), "missing"),
    Entry("notes:issue", "GET", expect(200), "draft"),
    Entry("notes:issue", "GET", expect(409, 403), "issued"),
    Entry("notes:issue", "GET", everyone(404), "missing"),
    Entry("notes:issue", "POST", expect(302), "draft", data=ISSUE),
    Entry("notes:issue", "POST", expect(409, 403), "issued", data=ISSUE),
    Entry("notes:reopen", "GET", everyone(405), "issued"),
    Entry("notes:reopen", "POST", expect(302, 403), "issued"),
    Entry("notes:reopen", "POST", expect(409), "draft"),
    Entry("notes:reopen", "POST", everyone(404), "missing"),
    Entry("notes:issued_pdf", "GET", expect(200, 200), "issued", 1),
    Entry("notes:issued_pdf", "GET", everyone(404), "issued", 2),
    Entry("notes:issued_pdf", "GET", everyone(404), "draft", 1),
    Entry("notes:issued_pdf", "POST", everyone(405), "issued", 1),
    Entry("notes:issued_html", "GET", expect(200, 200), "issued", 1),
    Entry("notes:issued_html", "GET", everyone(404), "issued", 2),
    Entry("notes:issued_html", "GET", everyone(404), "draft", 1),
]

MONTHS = {"draft": date(2026, 11, 1), "issued": date(2026, 10, 1), "missing": date(2026, 9, 1)}


def test_every_notes_url_is_declared():
    declared = {entry.name for entry in MATRIX}
    names = {name for name in _named_urls(get_resolver()) if name.startswith("notes:")}
    assert names - declared == set(), f"Declare these URLs: {sorted(names - declared)}"


def _state() -> tuple:
    return (
        IssuedNote.objects.count(),
        MonthlyNote.history.count(),
        list(MonthlyNote.objects.order_by("pk").values_list("pk", "status", "version", "body")),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "entry",
    MATRIX,
    ids=[f"{e.method} {e.name} {e.note} {e.number or ''}".strip() for e in MATRIX],
)
def test_access_matrix(
    entry,
    role,
    client_for,
    unit_staff,
    unit_leader,
    priority,
    priority_lead,
    other_lead,
    leadership,
    administrator,
):
    service_staff = make_user("officer", Role.SERVICE_STAFF)
    priority.service_staff.add(service_staff)
    cabinet_member = make_user("cabinet", Role.CABINET_MEMBER)
    priority.portfolio_holder = cabinet_member
    priority.save()
    users = {
        "anonymous": None,
        "unit_staff": unit_staff,
        "unit_leader": unit_leader,
        "own_lead": priority_lead,
        "other_lead": other_lead,
        "service_staff": service_staff,
        "cabinet_member": cabinet_member,
        "leadership": leadership,
        "administrator": administrator,
    }
    MonthlyNote.objects.create(
        month=MONTHS["draft"], body="# Summary\n\nA draft.", created_by=unit_staff
    )
    issued = MonthlyNote.objects.create(
        month=MONTHS["issued"], body="Issued.", created_by=unit_staff, status="issued"
    )
    IssuedNote.objects.create(
        note=issued,
        number=1,
        pdf=b"%PDF-1.7 the issued note",
        html=b"<!DOCTYPE html><title>The issued note</title>",
        page_count=1,
        issued_by=unit_staff,
        issued_at=timezone.now(),
    )
    kwargs: dict[str, int] = {}
    if entry.note:
        month = MONTHS[entry.note]
        kwargs = {"year": month.year, "month": month.month}
    if entry.number is not None:
        kwargs["number"] = entry.number
    client = client_for(users[role])
    before = _state()

    url = reverse(entry.name, kwargs=kwargs)
    response = client.get(url) if entry.method == "GET" else client.post(url, entry.data)

    expected = entry.expect[role]
    assert response.status_code == expected, (
        f"{role} {entry.method} {url}: got {response.status_code}, expected {expected}"
    )
    assert response["Content-Security-Policy"] == EXPECTED_CSP
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if entry.method == "POST" and expected != 302:
        assert _state() == before, f"{role} {entry.method} {url} changed data"
    elif entry.method == "POST" and role != "anonymous":
        assert _state() != before
    if expected == 200 and entry.name == "notes:issued_pdf":
        assert response.content == b"%PDF-1.7 the issued note"
