"""The access matrix: every named URL, every role, what each gets.

A URL pattern that is not declared here fails `test_every_named_url_is_declared`, so a new page
cannot ship without someone deciding who may use it. Objects a role may not see answer 404; pages
or objects it may see but not change answer 403; a refused POST changes nothing.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessment.models import Challenge, Framework, Judgement
from plans.models import Comment, PlanSection, PlanVersion, Risk
from priorities.indicators.imports import preview_import, read_file, stage_import
from priorities.indicators.models import Actual, ActualImport, Indicator, TrajectoryRevision
from priorities.models import Priority
from priorities.rounds.models import Round, RoundEntry, SelfAssessment
from stocktakes.models import (
    Action,
    AgendaItem,
    FollowUpNote,
    IssuedPack,
    PackGeneration,
    Stocktake,
)
from tests.conftest import assess_plan

ROLES = [
    "anonymous",
    "unit_staff",
    "unit_leader",
    "own_lead",
    "other_lead",
    "leadership",
    "administrator",
]
SIGNED_IN = ROLES[1:]

EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


@dataclass
class Entry:
    name: str
    method: str
    expect: dict[str, int]
    kwargs: str = ""  # "priority", "stocktake" or "" for no arguments
    data: dict = field(default_factory=dict)
    # The stocktake's state first: "planning", "issued" (a pack issued), "held" (with a saved
    # follow-up note) or "sent" (the note sent).
    state: str = "planning"


def everyone(status: int, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    """The Unit Leader is unit staff: unless said otherwise, they get what unit staff get."""
    overrides.setdefault("unit_leader", overrides.get("unit_staff", status))
    return {"anonymous": anonymous} | dict.fromkeys(SIGNED_IN, status) | overrides


def seen(status: int) -> dict[str, int]:
    """Stocktake pages: unit staff, leadership and administrators; leads never see them."""
    return everyone(status, own_lead=404, other_lead=404)


def unit_only(status: int) -> dict[str, int]:
    """The unit's work on a stocktake: others who see it may not change it."""
    return everyone(403, unit_staff=status, own_lead=404, other_lead=404)


DETAILS = {
    "title": "Housing stocktake",
    "date_0": "10",
    "date_1": "12",
    "date_2": "2026",
    "start_time": "10:00",
    "place": "Civic Centre",
    "marking": "OFFICIAL",
    "version": "1",
}
RECORD = {
    "item-{item}-discussion": "Said.",
    "item-{item}-decisions": "",
    "item-{item}-version": "1",
}
NEW_ACTION = {
    "action-{item}-description": "Do it.",
    "action-{item}-owner": "{owner}",
    "action-{item}-due_date_0": "1",
    "action-{item}-due_date_1": "2",
    "action-{item}-due_date_2": "2027",
}

# A draft of one area's rating, and a complete proposal, for the priority in a round.
DRAFT = {"version": "1", "likelihood-level": "green", "likelihood-rationale": "On trajectory."}
CHALLENGE = {"level": "red", "reason": "Too generous.", "seen": "amber_green"}
SELF = {"level": "green", "rationale": "Going well.", "version": "0"}
# Who may see a round that is not yet agreed: the unit and administrators; the rest get 404.
UNIT_ONLY = {"own_lead": 404, "other_lead": 404, "leadership": 404}
# A value for TA-01 (the `indicator` fixture) in April 2025; {pk} is filled in with its pk.
CELL = {"a-{pk}-2025-04": "2840", "v-{pk}-2025-04": "", "until": "2025-04"}

MATRIX = [
    Entry("home", "GET", everyone(200)),
    Entry("health", "GET", everyone(200, anonymous=200)),
    Entry("login", "GET", everyone(302, anonymous=200)),
    Entry("logout", "POST", everyone(302)),
    # Single sign-on is off in these tests: its pages do not exist (tests/test_oidc.py).
    Entry("oidc_start", "GET", everyone(404, anonymous=404)),
    Entry("oidc_callback", "GET", everyone(404, anonymous=404)),
    Entry("password_reset", "GET", everyone(200, anonymous=200)),
    Entry("password_reset", "POST", everyone(302, anonymous=302), data={"email": "x@example.org"}),
    Entry("password_reset_done", "GET", everyone(200, anonymous=200)),
    Entry("password_reset_confirm", "GET", everyone(200, anonymous=200), "reset"),
    Entry("password_reset_complete", "GET", everyone(200, anonymous=200)),
    Entry("password_change", "GET", everyone(200)),
    Entry("password_change", "POST", everyone(200), data={"old_password": "wrong"}),
    Entry("password_change_done", "GET", everyone(200)),
    Entry("priorities:register", "GET", everyone(200)),
    Entry("priorities:register_export", "GET", everyone(200), "csv"),
    Entry("priorities:register_export", "GET", everyone(404), "pdf"),
    Entry("priorities:create", "GET", everyone(403, unit_staff=200)),
    Entry(
        "priorities:create",
        "POST",
        everyone(403, unit_staff=302),
        data={"title": "New", "aspiration": "More.", "status": "active"},
    ),
    Entry("priorities:edit", "GET", everyone(403, unit_staff=200, own_lead=200), "priority"),
    Entry(
        "priorities:edit",
        "POST",
        everyone(403, unit_staff=302, own_lead=302),
        "priority",
        {"title": "Edited", "aspiration": "Edited.", "status": "active", "version": "1"},
    ),
    Entry("priorities:edit", "GET", everyone(404), "missing_priority"),
    Entry("priorities:indicator_create", "GET", everyone(403, unit_staff=200), "priority"),
    Entry(
        "priorities:indicator_create",
        "POST",
        everyone(403, unit_staff=302),
        "priority",
        {
            "code": "TA-09",
            "name": "New",
            "kind": "goal",
            "unit": "count",
            "decimal_places": "0",
            "direction": "lower",
            "frequency": "annual",
            "baseline_value": "10",
            "baseline_period_text": "2025/26",
            "target_value": "5",
            "target_period_text": "2027/28",
            "tolerance": "1",
            "grace_days": "30",
        },
    ),
    Entry("priorities:indicator", "GET", everyone(200), "indicator"),
    Entry("priorities:indicator", "GET", everyone(404), "missing_indicator"),
    Entry("priorities:indicator", "POST", everyone(405), "indicator"),
    Entry("priorities:indicator_edit", "GET", everyone(403, unit_staff=200), "indicator"),
    Entry("priorities:indicator_edit", "GET", everyone(404), "missing_indicator"),
    Entry("priorities:trajectory", "GET", everyone(403, unit_staff=200), "indicator"),
    Entry(
        "priorities:trajectory",
        "POST",
        everyone(403, unit_staff=302),
        "indicator",
        {"draw-shape": "late", "draw-reason": "Agreed.", "draw-based_on": "", "draw": ""},
    ),
    Entry("priorities:detail", "GET", everyone(200), "priority"),
    Entry("priorities:detail", "GET", everyone(404), "missing_priority"),
    Entry("priorities:rating_history", "GET", everyone(200), "priority"),
    Entry("priorities:rating_history", "GET", everyone(404), "missing_priority"),
    Entry("priorities:data", "GET", everyone(200), "priority"),
    Entry("priorities:data", "GET", everyone(404), "missing_priority"),
    Entry("priorities:data", "POST", everyone(403, unit_staff=302, own_lead=302), "priority", CELL),
    Entry("priorities:data", "POST", everyone(404), "missing_priority", CELL),
    Entry("priorities:data_cell", "GET", everyone(405), "cell"),
    Entry(
        "priorities:data_cell", "POST", everyone(403, unit_staff=302, own_lead=302), "cell", CELL
    ),
    Entry(
        "priorities:data_cell",
        "POST",
        everyone(403, unit_staff=404, own_lead=404),
        "missing_cell",
        CELL,
    ),
    Entry("priorities:import", "GET", everyone(403, unit_staff=200, own_lead=200, other_lead=200)),
    Entry("priorities:import", "POST", everyone(403, unit_staff=422, own_lead=422, other_lead=422)),
    # Only the person who uploaded an import sees it, other unit staff included.
    Entry(
        "priorities:import_preview", "GET", everyone(404, unit_staff=200, unit_leader=404), "import"
    ),
    Entry(
        "priorities:import_preview",
        "POST",
        everyone(404, unit_staff=302, unit_leader=404),
        "import",
    ),
    Entry("priorities:import_preview", "GET", everyone(404), "missing_import"),
    Entry("priorities:export_data", "GET", everyone(200), "priority"),
    Entry("priorities:export_data", "GET", everyone(404), "missing_priority"),
    Entry("priorities:export_all_data", "GET", everyone(200)),
    Entry("plans:detail", "GET", everyone(200), "priority"),
    Entry("plans:detail", "GET", everyone(404), "missing_priority"),
    # The priority's first draft is open, so starting another is refused: 409 (it was a redirect).
    Entry("plans:start", "POST", everyone(403, own_lead=409), "priority"),
    Entry("plans:writers", "GET", everyone(403, unit_staff=200, own_lead=200), "priority"),
    Entry(
        "plans:writers",
        "POST",
        everyone(403, unit_staff=302, own_lead=302),
        "priority",
        {"add": "", "writer": "{other_lead}"},
    ),
    Entry("plans:compare", "GET", everyone(200), "priority"),
    Entry("plans:history", "GET", everyone(200), "priority"),
    Entry("plans:version", "GET", everyone(200), "version"),
    Entry("plans:version", "GET", everyone(404), "missing_version"),
    Entry("plans:pdf", "GET", everyone(200), "version"),
    Entry("plans:submit", "GET", everyone(403, own_lead=200), "version"),
    Entry("plans:submit", "POST", everyone(403, own_lead=302), "version"),
    # Only an assessed version can be returned or approved: a draft, by nobody.
    Entry("plans:decide", "POST", everyone(403), "version", {"decision": "approve"}),
    Entry("plans:section", "GET", everyone(403, own_lead=200), "section"),
    Entry("plans:section", "GET", everyone(403, own_lead=404), "missing_section"),
    Entry(
        "plans:section",
        "POST",
        everyone(403, own_lead=302),
        "section",
        {"text": "Edited.", "version": "1"},
    ),
    Entry(
        "plans:comment",
        "POST",
        everyone(403, unit_staff=302, own_lead=302),
        "section",
        {"aspiration-body": "A comment."},
    ),
    Entry("plans:item_add", "GET", everyone(403, own_lead=200), "part"),
    Entry("plans:item_add", "GET", everyone(404), "missing_part"),
    Entry(
        "plans:item_add",
        "POST",
        everyone(403, own_lead=302),
        "part",
        {"description": "New risk.", "likelihood": "3", "impact": "2", "status": "open"},
    ),
    Entry("plans:item_edit", "GET", everyone(403, own_lead=200), "risk"),
    Entry(
        "plans:item_edit",
        "POST",
        everyone(403, own_lead=302),
        "risk",
        {
            "description": "Edited.",
            "likelihood": "4",
            "impact": "2",
            "status": "open",
            "version": "1",
        },
    ),
    Entry("plans:item_remove", "POST", everyone(403, own_lead=302), "risk", {"version": "1"}),
    # Plan assessment and moderation: the unit's, on a submitted (or assessed) version.
    Entry("plans:assess", "GET", everyone(403, unit_staff=200), "submitted"),
    Entry("plans:assess", "GET", everyone(403), "version"),
    Entry(
        "plans:assess",
        "POST",
        everyone(403, unit_staff=302),
        "submitted",
        {"action": "save", "overall-level": "red", "overall-rationale": "Thin."},
    ),
    Entry("plans:moderation", "GET", everyone(403, unit_staff=200)),
    Entry("plans:challenge", "GET", everyone(403, unit_staff=200), "criterion"),
    Entry(
        "plans:challenge",
        "POST",
        everyone(403, unit_staff=302),
        "criterion",
        {"level": "red", "reason": "Too generous.", "seen": "amber_green"},
    ),
    Entry("plans:challenge", "GET", everyone(403, unit_staff=404), "missing_criterion"),
    # Assessment rounds, moderation and the delivery report
    Entry("assessment:report", "GET", everyone(200)),
    Entry("assessment:report_csv", "GET", everyone(200)),
    Entry("assessment:report_pdf", "GET", everyone(200)),
    Entry("assessment:rounds", "GET", everyone(200)),
    Entry("assessment:open_round", "GET", everyone(403, unit_staff=200)),
    Entry(
        "assessment:open_round",
        "POST",
        everyone(403, unit_staff=302),
        data={"name": "Next", "date_0": "1", "date_1": "1", "date_2": "2027"},
    ),
    Entry("assessment:round", "GET", everyone(200, **UNIT_ONLY), "round_open"),
    Entry("assessment:round", "GET", everyone(200), "round_agreed"),
    Entry("assessment:round", "GET", everyone(404), "missing_round"),
    Entry("assessment:moderation", "GET", everyone(200, **UNIT_ONLY), "round_moderation"),
    Entry("assessment:moderation", "GET", everyone(200), "round_agreed"),
    Entry("assessment:moderation", "GET", everyone(404), "missing_round"),
    Entry("assessment:moderation_cell", "GET", everyone(200, **UNIT_ONLY), "judgement_moderation"),
    Entry("assessment:moderation_cell", "GET", everyone(200), "judgement_agreed"),
    Entry("assessment:moderation_cell", "GET", everyone(404), "missing_judgement"),
    Entry("assessment:start_moderation", "GET", everyone(405), "round_open"),
    # Refused (not every priority is proposed), and so nothing changes.
    Entry(
        "assessment:start_moderation",
        "POST",
        everyone(403, unit_leader=409, **UNIT_ONLY),
        "round_open",
    ),
    Entry("assessment:start_moderation", "POST", everyone(403, unit_leader=409), "round_agreed"),
    Entry(
        "assessment:agree",
        "POST",
        everyone(403, unit_leader=302, **UNIT_ONLY),
        "round_moderation",
    ),
    Entry(
        "assessment:agree", "GET", everyone(403, unit_leader=200, **UNIT_ONLY), "round_moderation"
    ),
    Entry("assessment:agree", "GET", everyone(403, unit_leader=409), "round_agreed"),
    Entry("assessment:agree", "POST", everyone(403, unit_leader=409), "round_agreed"),
    Entry("assessment:agree", "POST", everyone(404), "missing_round"),
    Entry("assessment:entry", "GET", everyone(200, **UNIT_ONLY), "entry_open"),
    Entry("assessment:entry", "GET", everyone(200), "entry_agreed"),
    Entry("assessment:entry", "GET", everyone(404), "missing_entry"),
    Entry(
        "assessment:entry",
        "POST",
        everyone(403, unit_staff=302, **UNIT_ONLY),
        "entry_open",
        DRAFT,
    ),
    Entry("assessment:entry", "POST", everyone(403), "entry_agreed", DRAFT),
    Entry("assessment:withdraw", "POST", everyone(403, **UNIT_ONLY), "entry_moderation"),
    Entry("assessment:withdraw", "POST", everyone(403), "entry_agreed"),
    Entry(
        "assessment:exclude",
        "POST",
        everyone(403, unit_staff=302, **UNIT_ONLY),
        "entry_open",
        {"reason": "Paused."},
    ),
    Entry("assessment:exclude", "POST", everyone(403), "entry_agreed", {"reason": "Paused."}),
    Entry(
        "assessment:self_assessment",
        "GET",
        everyone(403, own_lead=200, other_lead=404, leadership=404),
        "entry_open",
    ),
    Entry(
        "assessment:self_assessment",
        "POST",
        everyone(403, own_lead=302, other_lead=404, leadership=404),
        "entry_open",
        SELF,
    ),
    Entry("assessment:self_assessment", "POST", everyone(403), "entry_agreed", SELF),
    Entry(
        "assessment:challenge",
        "GET",
        everyone(403, unit_staff=200, **UNIT_ONLY),
        "judgement_moderation",
    ),
    Entry(
        "assessment:challenge",
        "POST",
        everyone(403, unit_staff=302, **UNIT_ONLY),
        "judgement_moderation",
        CHALLENGE,
    ),
    Entry("assessment:challenge", "POST", everyone(403), "judgement_agreed", CHALLENGE),
    Entry(
        "assessment:challenge",
        "GET",
        everyone(403, unit_staff=404, **UNIT_ONLY),
        "missing_judgement",
    ),
    Entry("assessment:amend", "GET", everyone(403, unit_leader=200), "judgement_agreed"),
    Entry(
        "assessment:amend",
        "POST",
        everyone(403, unit_leader=302),
        "judgement_agreed",
        CHALLENGE | {"seen": "amber_red"},
    ),
    Entry("assessment:amend", "POST", everyone(403, **UNIT_ONLY), "judgement_moderation"),
    Entry("stocktakes:list", "GET", everyone(200, own_lead=403, other_lead=403)),
    Entry("stocktakes:create", "GET", everyone(403, unit_staff=200)),
    Entry(
        "stocktakes:create",
        "POST",
        everyone(403, unit_staff=302),
        data={"title": "Next", "date_0": "1", "date_1": "3", "date_2": "2027", "priorities": []},
    ),
    Entry("stocktakes:detail", "GET", seen(200), "stocktake"),
    Entry("stocktakes:detail", "GET", everyone(404), "missing_stocktake"),
    Entry("stocktakes:edit", "GET", unit_only(200), "stocktake"),
    Entry("stocktakes:edit", "POST", unit_only(302), "stocktake", DETAILS),
    Entry("stocktakes:edit", "GET", everyone(404), "missing_stocktake"),
    Entry("stocktakes:agenda_add", "POST", unit_only(302), "stocktake", {"topic": "Budget"}),
    # Refused moves on a held stocktake answer 409 with the reason (they were 403 or a redirect).
    Entry("stocktakes:agenda_add", "POST", unit_only(409), "stocktake", {"topic": "X"}, "held"),
    Entry("stocktakes:agenda_item", "GET", unit_only(200), "item"),
    Entry(
        "stocktakes:agenda_item",
        "POST",
        unit_only(302),
        "item",
        {"purpose": "Why.", "minutes": "25", "version": "1"},
    ),
    Entry(
        "stocktakes:agenda_item",
        "GET",
        everyone(403, unit_staff=404, own_lead=404, other_lead=404),
        "missing_item",
    ),
    Entry(
        "stocktakes:agenda_move",
        "POST",
        unit_only(302),
        "item",
        {"direction": "down", "version": "1"},
    ),
    Entry("stocktakes:agenda_order", "POST", unit_only(302), "stocktake", {"version": "1"}),
    Entry("stocktakes:agenda_remove", "POST", unit_only(302), "last_item", {"version": "1"}),
    Entry("stocktakes:agenda_remove", "POST", unit_only(422), "item", {"version": "1"}),
    Entry("stocktakes:pack_preview", "GET", seen(200), "stocktake"),
    Entry("stocktakes:pack_issue", "GET", unit_only(200), "stocktake"),
    Entry("stocktakes:pack_issue", "GET", unit_only(409), "stocktake", state="held"),
    Entry("stocktakes:pack_generate", "GET", everyone(405), "stocktake"),
    Entry("stocktakes:pack_generate", "POST", unit_only(302), "stocktake", {"issue": "no"}),
    Entry("stocktakes:pack_generate", "POST", unit_only(409), "stocktake", {"issue": "no"}, "held"),
    Entry("stocktakes:pack_progress", "GET", seen(200), "generation"),
    Entry("stocktakes:pack_draft", "GET", seen(200), "generation"),
    Entry("stocktakes:pack", "GET", seen(200), "stocktake", state="issued"),
    Entry("stocktakes:pack", "GET", everyone(404), "stocktake"),
    Entry("stocktakes:issued_pack", "GET", seen(200), "issued", state="issued"),
    Entry("stocktakes:issued_pack", "GET", everyone(404), "issued"),
    Entry("stocktakes:issued_pack_html", "GET", seen(200), "issued", state="issued"),
    Entry("stocktakes:transition", "POST", unit_only(302), "held", state="issued"),
    Entry("stocktakes:transition", "GET", everyone(405), "held", state="issued"),
    Entry("stocktakes:meeting", "GET", unit_only(200), "stocktake", state="issued"),
    Entry("stocktakes:record_item", "POST", unit_only(302), "item", RECORD, "issued"),
    # The record is closed once the note is sent: refused, 409 (it was 403).
    Entry("stocktakes:record_item", "POST", unit_only(409), "item", RECORD, "sent"),
    Entry("stocktakes:add_action", "POST", unit_only(302), "item", NEW_ACTION, "held"),
    Entry("stocktakes:follow_up", "GET", unit_only(200), "stocktake", state="held"),
    Entry(
        "stocktakes:follow_up",
        "POST",
        unit_only(302),
        "stocktake",
        {"body": "Thank you.", "version": "1"},
        "held",
    ),
    # Nobody to send it to yet: refused, 409.
    Entry(
        "stocktakes:follow_up_send", "POST", unit_only(409), "stocktake", {"version": "1"}, "held"
    ),
    Entry("stocktakes:follow_up_file", "GET", seen(200), "note_pdf", state="sent"),
    Entry("stocktakes:follow_up_file", "GET", seen(200), "note_html", state="sent"),
    Entry("stocktakes:follow_up_file", "GET", everyone(404), "note_pdf", state="held"),
    Entry("stocktakes:actions", "GET", everyone(200)),
    Entry("stocktakes:action", "GET", everyone(200, other_lead=404), "action"),
    Entry(
        "stocktakes:action",
        "POST",
        everyone(403, unit_staff=302, own_lead=302, other_lead=404),
        "action",
        {"status": "in_progress", "progress": "Started.", "version": "1"},
    ),
    Entry("stocktakes:action", "GET", everyone(404), "missing_action"),
    # The assessment framework: everyone signed in reads it, administrators alone change it; a
    # kind with no version, a missing version and an area not in the current version are 404.
    Entry("framework:framework", "GET", everyone(200), "framework"),
    Entry("framework:framework", "GET", everyone(404), "missing_framework"),
    Entry("framework:version", "GET", everyone(200), "framework_version"),
    Entry("framework:version", "GET", everyone(404), "missing_framework_version"),
    Entry("framework:edit", "GET", everyone(403, administrator=200), "framework"),
    Entry("framework:edit", "GET", everyone(404), "missing_framework"),
    Entry(
        "framework:edit", "POST", everyone(403, administrator=422), "framework", {"version": "1"}
    ),
    Entry("framework:add_area", "GET", everyone(403, administrator=200), "framework"),
    Entry(
        "framework:add_area",
        "POST",
        everyone(403, administrator=302),
        "framework",
        {
            "name": "Value for money",
            "scale": "stage",
            "is_overall": "False",
            "version": "1",
            **{f"stage-{n}-label": f"Stage {n}" for n in range(1, 5)},
            **{f"stage-{n}-guidance": f"Stage {n} looks like this." for n in range(1, 5)},
        },
    ),
    Entry("framework:retire_area", "GET", everyone(403, administrator=200), "framework_area"),
    Entry("framework:retire_area", "GET", everyone(403, administrator=404), "missing_area"),
    Entry(
        "framework:retire_area",
        "POST",
        everyone(403, administrator=302),
        "framework_area",
        {"reason": "Folded into planning.", "version": "1"},
    ),
    Entry(
        "framework:retire_area",
        "POST",
        everyone(403, administrator=409),
        "overall_area",
        {"reason": "Try.", "version": "1"},
    ),
]


@pytest.fixture
def rounds(stocktake, unit_staff, priority, other_priority) -> dict[str, Round]:
    """The priority in an agreed round (from ``stocktake``'s rated priority), in a round in
    moderation (proposed Amber-green) and in an open round (a draft)."""
    from datetime import date

    from tests.conftest import make_round

    moderation = make_round(
        {priority: "amber_green", other_priority: "green"},
        by=unit_staff,
        day=date(2026, 11, 1),
        status="moderation",
    )
    opened = Round.open_round(name="Open", date=date(2026, 12, 1), by=unit_staff)
    return {"agreed": Round.objects.agreed().get(), "moderation": moderation, "open": opened}


def _named_urls(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"Every route is named; {pattern.pattern} is not."
            names.add(namespace + pattern.name)
    return names


def is_review_url(name: str) -> bool:
    return name.startswith("reviews:") or name in {
        "stocktakes:action_from_recommendation",
        "stocktakes:review_prompted_by",
    }


def test_every_named_url_is_declared():
    declared = {entry.name for entry in MATRIX}
    # Priority reviews (and the action made from a recommendation) have a matrix of their own,
    # with the review team as a role: tests/test_access_matrix_reviews.py.
    # The people pages too: tests/test_access_matrix_people.py; and the unit's rhythm, the
    # forward look and the monthly notes: tests/test_access_matrix_<app>.py, each with its own
    # test that every URL of its namespace is declared.
    own_matrix = ("people:", "rhythm:", "forward_look:", "notes:")
    names = {
        name
        for name in _named_urls(get_resolver())
        if not is_review_url(name) and not name.startswith(own_matrix)
    }
    undeclared = names - declared
    assert not undeclared, f"Declare these URLs in the access matrix: {sorted(undeclared)}"


def _staged_import(user) -> ActualImport:
    """An import of one new value for TA-01, uploaded by ``user``: only they may see it."""
    upload = read_file(b"indicator,period,value\nTA-01,2025-04,2840\n")
    return stage_import(upload, filename="april.csv", by=user)


def _prepare(state: str, stocktake: Stocktake, by, owner) -> dict:
    """Bring the stocktake to ``state`` and make what the URLs name: an agenda item, an action
    owned by the priority's lead, a draft pack, an issued pack, a follow-up note."""
    item = stocktake.agenda.order_by("position").first()
    action = Action.agree(
        item=item, description="Report back.", owner=owner, due_date="2027-01-01", by=by
    )
    generation = PackGeneration.objects.create(
        stocktake=stocktake, requested_by=by, status="ready", draft_pdf=b"%PDF-draft"
    )
    if state != "planning":
        IssuedPack.objects.create(
            stocktake=stocktake,
            number=1,
            pdf=b"%PDF-issued",
            html=b"<!DOCTYPE html>",
            page_count=1,
            issued_by=by,
            issued_at="2026-12-01T10:00Z",
        )
        stocktake.attendees.add(owner)
    status = {
        "planning": "planning",
        "issued": "pack_issued",
        "held": "held",
        "sent": "follow_up_sent",
    }
    Stocktake.objects.filter(pk=stocktake.pk).update(status=status[state])
    if state in {"held", "sent"}:
        FollowUpNote.objects.create(
            stocktake=stocktake,
            body="Thanks.",
            updated_by=by,
            sent_at="2026-12-11T10:00Z" if state == "sent" else None,
            html=b"<!DOCTYPE html>" if state == "sent" else None,
            pdf=b"%PDF-note" if state == "sent" else None,
        )
    return {"item": item, "action": action, "generation": generation}


def _data_counts() -> tuple:
    """Everything a refused POST might have changed."""
    priority = Priority.objects.get(slug="temporary-accommodation")
    stocktake = Stocktake.objects.get(title="Housing stocktake")
    return (
        (stocktake.status, stocktake.version, stocktake.marking),
        list(AgendaItem.objects.order_by("pk").values_list("pk", "position", "version")),
        Action.history.count(),
        IssuedPack.objects.count(),
        PackGeneration.objects.count(),
        list(FollowUpNote.objects.values_list("version", "sent_at")),
        PlanVersion.history.count(),
        PlanSection.history.count(),
        Risk.history.count(),
        Comment.objects.count(),
        list(priority.plan.writers.values_list("pk", flat=True)),
        Judgement.history.count(),
        Challenge.objects.count(),
        SelfAssessment.objects.count(),
        tuple(Round.objects.order_by("pk").values_list("status", flat=True)),
        tuple(RoundEntry.objects.order_by("pk").values_list("status", flat=True)),
        Stocktake.objects.count(),
        Priority.objects.count(),
        (priority.title, priority.aspiration, priority.version),
        Indicator.objects.count(),
        TrajectoryRevision.objects.count(),
        Actual.history.count(),
        Framework.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "entry", MATRIX, ids=[f"{e.method} {e.name} {e.kwargs}".strip() for e in MATRIX]
)
def test_access_matrix(
    entry,
    role,
    client_for,
    unit_staff,
    unit_leader,
    priority_lead,
    other_lead,
    leadership,
    administrator,
    stocktake,
    indicator,
    rounds,
):
    users = {
        "anonymous": None,
        "unit_staff": unit_staff,
        "unit_leader": unit_leader,
        "own_lead": priority_lead,
        "other_lead": other_lead,
        "leadership": leadership,
        "administrator": administrator,
    }
    slug = "temporary-accommodation"
    kwargs = {
        "": {},
        "reset": {"uidb64": "MQ", "token": "no-such-token"},
        "priority": {"slug": "temporary-accommodation"},
        "missing_priority": {"slug": "no-such-priority"},
        "stocktake": {"pk": stocktake.pk},
        "missing_stocktake": {"pk": stocktake.pk + 1000},
        "indicator": {"code": indicator.code},
        "missing_indicator": {"code": "XX-99"},
        "cell": {"slug": "temporary-accommodation", "code": indicator.code, "period": "2025-04"},
        "missing_cell": {"slug": "temporary-accommodation", "code": "XX-99", "period": "2025-04"},
        "csv": {"file_format": "csv"},
        "pdf": {"file_format": "pdf"},
        "import": {},  # made below, only where needed
        "item": {},  # and these below, once the stocktake is in the entry's state
        "missing_item": {},
        "last_item": {},
        "generation": {},
        "issued": {},
        "held": {},
        "note_pdf": {},
        "note_html": {},
        "action": {},
        "missing_action": {},
        "missing_import": {"pk": 0},
        "version": {"slug": "temporary-accommodation", "number": 1},
        "missing_version": {"slug": "temporary-accommodation", "number": 99},
        "section": {"slug": "temporary-accommodation", "number": 1, "key": "aspiration"},
        "missing_section": {"slug": "temporary-accommodation", "number": 1, "key": "nothing"},
        "part": {"slug": "temporary-accommodation", "number": 1, "part": "risks"},
        "missing_part": {"slug": "temporary-accommodation", "number": 1, "part": "nothing"},
        "risk": {"slug": "temporary-accommodation", "number": 1, "part": "risks", "pk": 0},
        "submitted": {"slug": slug, "number": 1},
        "criterion": {"slug": slug, "number": 1, "key": "risks"},
        "missing_criterion": {"slug": slug, "number": 1, "key": "no-such-criterion"},
        "round_open": {"pk": rounds["open"].pk},
        "round_moderation": {"pk": rounds["moderation"].pk},
        "round_agreed": {"pk": rounds["agreed"].pk},
        "missing_round": {"pk": 0},
        "entry_open": {"pk": rounds["open"].pk, "slug": slug},
        "entry_moderation": {"pk": rounds["moderation"].pk, "slug": slug},
        "entry_agreed": {"pk": rounds["agreed"].pk, "slug": slug},
        "missing_entry": {"pk": rounds["open"].pk, "slug": "no-such-priority"},
        "judgement_moderation": {"pk": rounds["moderation"].pk, "slug": slug, "key": "likelihood"},
        "judgement_agreed": {"pk": rounds["agreed"].pk, "slug": slug, "key": "likelihood"},
        "missing_judgement": {"pk": rounds["moderation"].pk, "slug": slug, "key": "no-such-area"},
        "framework": {"kind": "priority"},
        "missing_framework": {"kind": "no-such-kind"},
        "framework_version": {"kind": "priority", "number": 1},
        "missing_framework_version": {"kind": "priority", "number": 99},
        "framework_area": {"kind": "priority", "key": "stage"},
        "missing_area": {"kind": "priority", "key": "no-such-area"},
        "overall_area": {"kind": "priority", "key": "likelihood"},
    }[entry.kwargs]
    if entry.kwargs in {"submitted", "criterion", "missing_criterion"}:
        submitted = PlanVersion.objects.get(plan__priority__slug=slug)
        submitted.submit(by=priority_lead)
        if entry.kwargs != "submitted":
            assess_plan(submitted, unit_staff)
    if entry.kwargs == "risk":
        draft = PlanVersion.objects.get(plan__priority__slug="temporary-accommodation")
        risk = Risk.objects.create(
            plan_version=draft, description="A risk.", likelihood=2, impact=2
        )
        kwargs = kwargs | {"pk": risk.pk}
    if entry.kwargs == "import":
        kwargs = {"pk": _staged_import(unit_staff).pk}
    made = _prepare(entry.state, stocktake, unit_staff, priority_lead)
    item = made["item"]
    kwargs = {
        "item": {"pk": stocktake.pk, "item_pk": item.pk},
        "missing_item": {"pk": stocktake.pk, "item_pk": item.pk + 1000},
        "last_item": {"pk": stocktake.pk, "item_pk": stocktake.agenda.latest("position").pk},
        "generation": {"pk": stocktake.pk, "generation_pk": made["generation"].pk},
        "issued": {"pk": stocktake.pk, "number": 1},
        "held": {"pk": stocktake.pk, "to": "held"},
        "note_pdf": {"pk": stocktake.pk, "file_format": "pdf"},
        "note_html": {"pk": stocktake.pk, "file_format": "html"},
        "action": {"pk": made["action"].pk},
        "missing_action": {"pk": made["action"].pk + 1000},
    }.get(entry.kwargs, kwargs)
    data = dict(entry.data)
    if entry.name == "plans:assess" and entry.method == "POST":
        data["version"] = PlanVersion.objects.get(plan__priority__slug=slug).scorecard.version
    if entry.name.startswith("stocktakes:"):
        data = {
            key.format(item=item.pk): value.format(owner=priority_lead.pk)
            if isinstance(value, str)
            else value
            for key, value in data.items()
        }
    if entry.name == "stocktakes:agenda_order":
        data["order"] = ",".join(
            str(pk) for pk in stocktake.agenda.order_by("-position").values_list("pk", flat=True)
        )
    if entry.name == "stocktakes:create":
        data["priorities"] = [p.pk for p in stocktake.priorities.all()]
    if entry.name == "priorities:import_preview" and entry.method == "POST":
        data["digest"] = preview_import(ActualImport.objects.get(), unit_staff).digest
    if entry.name == "plans:writers" and entry.method == "POST":
        data["writer"] = other_lead.pk
    if entry.name in {"priorities:data", "priorities:data_cell"}:
        data = {key.format(pk=indicator.pk): value for key, value in data.items()}
    url = reverse(entry.name, kwargs=kwargs)
    client = client_for(users[role])
    before = _data_counts()

    response = client.get(url) if entry.method == "GET" else client.post(url, data)

    expected = entry.expect[role]
    assert response.status_code == expected, (
        f"{role} {entry.method} {url}: got {response.status_code}, expected {expected}"
    )
    if role == "anonymous" and expected == 302 and entry.name != "password_reset":
        assert response["Location"].startswith(reverse("login"))
    if expected >= 400 and entry.method == "POST":
        assert _data_counts() == before, "A refused POST must change nothing."
    assert response.headers.get("Content-Security-Policy") == EXPECTED_CSP
