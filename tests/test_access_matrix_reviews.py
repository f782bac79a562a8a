"""The access matrix for priority reviews: every named URL of the reviews app, every role, what
each gets. The review team is a role of its own here: someone from the service on the team sees
the fieldwork, the evidence files and the drafts; leadership and leads outside the team get 404
on all of them, and read the report once it is issued.

A reviews URL that is not declared here fails `test_every_reviews_url_is_declared`.
"""

from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from reviews.models import (
    Evidence,
    FieldworkEntry,
    Finding,
    IssuedReport,
    ProgressNote,
    Recommendation,
    Review,
    TeamMember,
)
from stocktakes.models import Action, Stocktake
from tests.reviews_setup import commission, fill, move, write_terms
from tests.test_access_matrix import EXPECTED_CSP, _named_urls, is_review_url

ROLES = [
    "anonymous",
    "unit_staff",
    "unit_leader",
    "team_member",
    "own_lead",
    "other_lead",
    "leadership",
    "administrator",
]
SIGNED_IN = ROLES[1:]


@dataclass
class Entry:
    name: str
    method: str
    expect: dict[str, int]
    kwargs: str = ""
    data: dict = field(default_factory=dict)


def everyone(status: int, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    overrides.setdefault("unit_leader", overrides.get("unit_staff", status))
    return {"anonymous": anonymous} | dict.fromkeys(SIGNED_IN, status) | overrides


def insiders(status: int, outsiders: int = 404, team: int | None = None, **overrides) -> dict:
    """The review team and unit staff get ``status``; everyone else ``outsiders``."""
    team = status if team is None else team
    return everyone(outsiders, unit_staff=status, team_member=team, **overrides)


DATE = {"_0": "3", "_1": "10", "_2": "2026"}


def dated(name: str) -> dict:
    return {f"{name}{part}": value for part, value in DATE.items()}


REVIEW = {
    "priority": "{priority}",
    "title": "A review",
    "reason": "Off track.",
    "commissioned_by": "{leadership}",
    "lead": "{unit_staff}",
    "version": "{version}",
}
FIELDWORK = {"kind": "visit", "who_or_where": "Front door", "notes": "Queues."} | dated("date")
FINDING = {
    "title": "Found",
    "kind": "works",
    "text": "It works.",
    "severity": "low",
    "version": "{finding_version}",
}
RECOMMENDATION = {
    "text": "Do it.",
    "findings": "{finding}",
    "owner": "{own_lead}",
    "importance": "high",
    "version": "{recommendation_version}",
} | dated("due_date")
TERMS = {"version": "{version}", "scope": "All of it.", "questions": "Why?"}

MATRIX = [
    Entry("reviews:list", "GET", everyone(200)),
    Entry("reviews:create", "GET", everyone(403, unit_staff=200)),
    Entry("reviews:create", "POST", everyone(403, unit_staff=302), data=REVIEW),
    Entry("reviews:detail", "GET", everyone(200), "analysis"),
    Entry("reviews:detail", "GET", everyone(404), "missing"),
    Entry("reviews:edit", "GET", everyone(403, unit_staff=200), "analysis"),
    Entry("reviews:edit", "GET", everyone(404), "missing"),
    Entry("reviews:edit", "POST", everyone(403, unit_staff=302), "analysis", REVIEW),
    Entry("reviews:advance", "GET", everyone(405), "analysis"),
    Entry("reviews:advance", "POST", everyone(403, unit_staff=302), "analysis"),
    # Refused (the terms are not signed off): 409 with the reason (it was a redirect); nothing
    # moves.
    Entry("reviews:advance", "POST", everyone(403, unit_staff=409), "scoping"),
    Entry("reviews:advance", "POST", everyone(404), "missing"),
    Entry("reviews:team", "GET", everyone(403, unit_staff=200), "analysis"),
    Entry(
        "reviews:team",
        "POST",
        everyone(403, unit_staff=302),
        "analysis",
        {"user": "{other_lead}", "role": "From the service"},
    ),
    Entry("reviews:team_remove", "GET", everyone(405), "member"),
    Entry("reviews:team_remove", "POST", everyone(403, unit_staff=302), "member"),
    Entry("reviews:team_remove", "POST", everyone(403, unit_staff=404), "missing_member"),
    Entry("reviews:terms", "GET", everyone(403, unit_staff=200), "scoping"),
    Entry("reviews:terms", "POST", everyone(403, unit_staff=302), "scoping", TERMS),
    Entry("reviews:sign_off", "GET", everyone(405), "scoping"),
    # Only the commissioner (the `leadership` user) signs off.
    Entry("reviews:sign_off", "POST", everyone(403, leadership=302), "scoping"),
    # Fieldwork, evidence and drafts: the team and unit staff only.
    Entry("reviews:fieldwork", "GET", insiders(200), "analysis"),
    Entry("reviews:fieldwork", "GET", everyone(404), "missing"),
    Entry("reviews:fieldwork", "POST", insiders(302), "analysis", FIELDWORK),
    Entry("reviews:evidence", "GET", insiders(200), "analysis"),
    Entry("reviews:evidence", "POST", insiders(302), "analysis", {"title": "Data", "file": "pdf"}),
    Entry("reviews:evidence", "POST", insiders(422), "analysis", {"title": "No file"}),
    Entry("reviews:evidence_file", "GET", insiders(200), "evidence"),
    Entry("reviews:evidence_file", "GET", insiders(200), "reported_evidence"),
    Entry("reviews:evidence_file", "GET", everyone(404), "missing_evidence"),
    Entry("reviews:evidence_file", "POST", everyone(405), "evidence"),
    Entry("reviews:findings", "GET", insiders(200), "analysis"),
    Entry("reviews:findings", "GET", insiders(200), "reported"),
    Entry("reviews:finding_create", "GET", insiders(200), "analysis"),
    Entry("reviews:finding_create", "POST", insiders(302), "analysis", FINDING),
    Entry("reviews:finding", "GET", insiders(200), "finding"),
    Entry("reviews:finding", "GET", insiders(404), "missing_finding"),
    Entry("reviews:finding", "POST", insiders(302), "finding", FINDING),
    Entry("reviews:recommendation_create", "GET", insiders(200), "analysis"),
    Entry("reviews:recommendation_create", "POST", insiders(302), "analysis", RECOMMENDATION),
    # Before the report: the drafts are the team's, even from the recommendation's owner.
    Entry("reviews:recommendation", "GET", insiders(200), "recommendation"),
    # After it: whoever reads the report, and the owner.
    Entry(
        "reviews:recommendation",
        "GET",
        insiders(200, outsiders=200, other_lead=404),
        "reported_recommendation",
    ),
    Entry("reviews:recommendation", "GET", everyone(404), "missing_recommendation"),
    Entry("reviews:recommendation_edit", "GET", insiders(200), "recommendation"),
    Entry(
        "reviews:recommendation_edit",
        "GET",
        insiders(200, outsiders=403, other_lead=404),
        "reported_recommendation",
    ),
    Entry("reviews:recommendation_edit", "POST", insiders(302), "recommendation", RECOMMENDATION),
    Entry(
        "reviews:respond",
        "GET",
        insiders(200, outsiders=403, team=403, leadership=200, other_lead=404),
        "reported_recommendation",
    ),
    Entry(
        "reviews:respond",
        "POST",
        insiders(302, outsiders=403, team=403, leadership=302, other_lead=404),
        "reported_recommendation",
        {"version": "{reported_recommendation_version}", "response": "accepted"},
    ),
    Entry("reviews:respond", "GET", insiders(403), "recommendation"),
    Entry("reviews:progress", "GET", everyone(405), "reported_recommendation"),
    # Refused (no response yet), and said so: the unit and the owner may ask.
    Entry(
        "reviews:progress",
        "POST",
        insiders(409, outsiders=403, team=403, own_lead=409, other_lead=404),
        "reported_recommendation",
        {"version": "{reported_recommendation_version}", "implementation": "done", "note": "x"},
    ),
    Entry("reviews:report", "GET", insiders(200), "analysis"),
    Entry("reviews:report_pdf", "GET", insiders(200), "analysis"),
    Entry("reviews:report", "GET", everyone(404), "missing"),
    Entry("reviews:issue", "GET", insiders(200, team=403), "analysis"),
    # Refused in analysis: 409 telling the unit to wait for reporting (it was a redirect).
    Entry("reviews:issue", "POST", insiders(409, team=403), "analysis"),
    Entry(
        "reviews:issue",
        "POST",
        insiders(302, team=403),
        "reported",
        {"reason": "A correction."},
    ),
    Entry(
        "reviews:issued_report",
        "GET",
        insiders(200, outsiders=200, other_lead=404),
        "reported_v1",
    ),
    Entry("reviews:issued_report", "GET", everyone(404), "reported_v9"),
    Entry("reviews:issued_report", "GET", everyone(404), "analysis_v1"),
    Entry("reviews:follow_up", "GET", insiders(200, team=403), "reported"),
    Entry(
        "reviews:follow_up",
        "POST",
        insiders(302, team=403),
        "reported",
        {
            "recommendation": "{reported_recommendation}",
            "r{reported_recommendation}-version": "{reported_recommendation_version}",
            "r{reported_recommendation}-done": "Done.",
        },
    ),
    # Refused: a recommendation is not followed up yet.
    Entry("reviews:close", "POST", insiders(409, team=403), "reported", {"summary": "Done."}),
    Entry("reviews:close", "GET", everyone(405), "reported"),
    # An accepted recommendation becomes a stocktake action (a view of the stocktakes app).
    Entry(
        "stocktakes:action_from_recommendation",
        "GET",
        insiders(200, outsiders=403, team=403, other_lead=404),
        "accepted_recommendation",
    ),
    Entry(
        "stocktakes:action_from_recommendation",
        "POST",
        insiders(302, outsiders=403, team=403, other_lead=404),
        "accepted_recommendation",
        {
            "stocktake": "{stocktake}",
            "description": "Do it.",
            "owner": "{own_lead}",
        }
        | dated("due_date"),
    ),
    # Before the report its recommendations are the team's (404 to the rest, 403 to the team
    # from the service); without a response the unit is told only accepted ones become actions.
    Entry(
        "stocktakes:action_from_recommendation",
        "GET",
        insiders(409, team=403),
        "recommendation_id",
    ),
    Entry("stocktakes:action_from_recommendation", "GET", everyone(404), "missing_id"),
    # The stocktake decision that commissioned a review: linked by the unit.
    Entry("stocktakes:review_prompted_by", "GET", everyone(403, unit_staff=200), "review_id"),
    Entry(
        "stocktakes:review_prompted_by",
        "POST",
        everyone(403, unit_staff=302),
        "review_id",
        {"item": "{agenda_item}"},
    ),
    Entry("stocktakes:review_prompted_by", "POST", everyone(403, unit_staff=422), "review_id"),
    Entry("stocktakes:review_prompted_by", "GET", everyone(404), "missing_review_id"),
]


def test_every_reviews_url_is_declared():
    declared = {entry.name for entry in MATRIX}
    names = {name for name in _named_urls(get_resolver()) if is_review_url(name)}
    assert not names - declared, f"Declare these URLs: {sorted(names - declared)}"


def _data_counts() -> tuple:
    return (
        tuple(Review.objects.order_by("pk").values_list("status", "version", "scope")),
        Review.history.count(),
        TeamMember.objects.count(),
        FieldworkEntry.objects.count(),
        Evidence.objects.count(),
        Finding.history.count(),
        Recommendation.history.count(),
        ProgressNote.objects.count(),
        IssuedReport.objects.count(),
        Action.objects.count(),
        tuple(Review.objects.order_by("pk").values_list("prompted_by_items", flat=True)),
    )


@pytest.fixture
def team_member(db):
    from tests.conftest import make_user

    return make_user("officer", "priority_lead", job_title="Temporary Accommodation Manager")


@pytest.fixture
def objects(priority, leadership, unit_staff, priority_lead, team_member, media_root) -> dict:
    scoping = commission(priority, commissioner=leadership, lead=unit_staff, title="Scoping")
    write_terms(scoping, unit_staff)
    found = {"scoping": scoping}
    for name in ("analysis", "reported"):
        review = commission(priority, commissioner=leadership, lead=unit_staff, title=name)
        TeamMember.objects.create(review=review, user=team_member, role="From the service")
        move(review, Review.Status.ANALYSIS, unit_staff, leadership)
        fill(review, unit_staff, priority_lead)
        found[name] = review
    move(found["reported"], Review.Status.FOLLOW_UP, unit_staff, leadership)
    for review in found.values():
        review.refresh_from_db()
    return found


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "entry", MATRIX, ids=[f"{e.method} {e.name} {e.kwargs}".strip() for e in MATRIX]
)
def test_access_matrix(
    entry,
    role,
    client_for,
    objects,
    unit_staff,
    unit_leader,
    team_member,
    priority_lead,
    other_lead,
    leadership,
    administrator,
    priority,
    stocktake,
):
    users = {
        "anonymous": None,
        "unit_staff": unit_staff,
        "unit_leader": unit_leader,
        "team_member": team_member,
        "own_lead": priority_lead,
        "other_lead": other_lead,
        "leadership": leadership,
        "administrator": administrator,
    }
    analysis, reported = objects["analysis"], objects["reported"]
    recommendation = analysis.recommendations.get()
    reported_recommendation = reported.recommendations.get()
    # The stocktake held, so that its item's decisions can be linked to a review.
    Stocktake.objects.filter(pk=stocktake.pk).update(status=Stocktake.Status.HELD)
    held_item = stocktake.agenda.get(priority=priority)
    if entry.kwargs == "accepted_recommendation":
        reported_recommendation.respond(
            response="accepted", reason="", by=leadership, version=reported_recommendation.version
        )
    finding = analysis.findings.get()
    member = analysis.team.get(user=team_member)
    kwargs = {
        "": {},
        "analysis": {"pk": analysis.pk},
        "scoping": {"pk": objects["scoping"].pk},
        "reported": {"pk": reported.pk},
        "missing": {"pk": 0},
        "member": {"pk": analysis.pk, "member": member.pk},
        "missing_member": {"pk": analysis.pk, "member": 0},
        "evidence": {"pk": analysis.pk, "evidence": analysis.evidence.get().pk},
        "reported_evidence": {"pk": reported.pk, "evidence": reported.evidence.get().pk},
        "missing_evidence": {"pk": analysis.pk, "evidence": reported.evidence.get().pk},
        "finding": {"pk": analysis.pk, "finding": finding.pk},
        "missing_finding": {"pk": analysis.pk, "finding": 0},
        "recommendation": {"pk": analysis.pk, "recommendation": recommendation.pk},
        "reported_recommendation": {
            "pk": reported.pk,
            "recommendation": reported_recommendation.pk,
        },
        "missing_recommendation": {"pk": reported.pk, "recommendation": recommendation.pk},
        "reported_v1": {"pk": reported.pk, "number": 1},
        "reported_v9": {"pk": reported.pk, "number": 9},
        "analysis_v1": {"pk": analysis.pk, "number": 1},
        "accepted_recommendation": {"recommendation": reported_recommendation.pk},
        "recommendation_id": {"recommendation": recommendation.pk},
        "missing_id": {"recommendation": 0},
        "review_id": {"review": analysis.pk},
        "missing_review_id": {"review": 0},
    }[entry.kwargs]
    values = {
        "priority": priority.pk,
        "leadership": leadership.pk,
        "unit_staff": unit_staff.pk,
        "other_lead": other_lead.pk,
        "own_lead": priority_lead.pk,
        "version": (objects["scoping"] if entry.kwargs == "scoping" else analysis).version,
        "finding": finding.pk,
        "finding_version": finding.version,
        "recommendation_version": recommendation.version,
        "reported_recommendation": reported_recommendation.pk,
        "reported_recommendation_version": reported_recommendation.version,
        "stocktake": stocktake.pk,
        "agenda_item": held_item.pk,
    }
    data = {key.format(**values): value.format(**values) for key, value in entry.data.items()}
    if data.get("file") == "pdf":
        from tests.reviews_setup import PDF_BYTES

        data["file"] = SimpleUploadedFile("data.pdf", PDF_BYTES)
    url = reverse(entry.name, kwargs=kwargs)
    client = client_for(users[role])
    before = _data_counts()

    response = client.get(url) if entry.method == "GET" else client.post(url, data)

    expected = entry.expect[role]
    assert response.status_code == expected, (
        f"{role} {entry.method} {url}: got {response.status_code}, expected {expected}"
    )
    if role == "anonymous" and expected == 302:
        assert response["Location"].startswith(reverse("login"))
    if expected >= 400 and entry.method == "POST":
        assert _data_counts() == before, "A refused POST must change nothing."
    assert response.headers.get("Content-Security-Policy") == EXPECTED_CSP
