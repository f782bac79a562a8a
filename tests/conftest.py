"""Shared fixtures: one user per role, and a priority that `priority_lead` leads."""

import pytest
from django.test import Client

from delivery_unit.models import Role, User
from plans.models import DeliveryPlan
from priorities.models import Likelihood, Priority
from stocktakes.models import Stocktake

# Priority reviews' fixtures (a review in each phase), kept beside their helpers.
pytest_plugins = ["tests.reviews_setup"]


def make_user(username: str, role: str, **extra) -> User:
    # No password: tests sign in with force_login, which keeps Argon2 out of the hot path.
    return User.objects.create(username=username, role=role, first_name=username.title(), **extra)


@pytest.fixture
def unit_staff(db) -> User:
    return make_user("analyst", Role.UNIT_STAFF, job_title="Delivery Analyst")


@pytest.fixture
def unit_leader(db) -> User:
    return make_user(
        "unitlead", Role.UNIT_STAFF, job_title="Head of the Delivery Unit", is_unit_leader=True
    )


@pytest.fixture
def priority_lead(db) -> User:
    return make_user("lead", Role.PRIORITY_LEAD, job_title="Director of Housing Demand")


@pytest.fixture
def other_lead(db) -> User:
    return make_user("lead2", Role.PRIORITY_LEAD, job_title="Director of Finance")


@pytest.fixture
def leadership(db) -> User:
    return make_user("chief", Role.LEADERSHIP, job_title="Chief Executive")


@pytest.fixture
def administrator(db) -> User:
    return make_user("admin", Role.ADMINISTRATOR)


@pytest.fixture
def priority(db, priority_lead, unit_staff) -> Priority:
    priority = Priority.objects.create(
        title="Temporary Accommodation",
        slug="temporary-accommodation",
        aspiration="Fewer households in temporary accommodation.",
        lead=priority_lead,
        analyst=unit_staff,
    )
    draft = DeliveryPlan.start(priority, by=priority_lead)
    draft.sections.filter(key="aspiration").update(text="The first plan.")
    return priority


@pytest.fixture
def other_priority(db, other_lead) -> Priority:
    return Priority.objects.create(
        title="Council tax collection",
        slug="council-tax-collection",
        aspiration="Collect more council tax.",
        lead=other_lead,
    )


def make_round(levels: dict, *, by: User, day, status: str = "agreed", name: str = ""):
    """A round with each priority's every judgement area rated: ``levels`` maps a priority to
    its overall likelihood (or to a dict of area key to level). ``status`` is where the round
    ends: "open" (ratings proposed), "moderation" or "agreed"."""
    from priorities.rounds.models import Round

    round_ = Round.open_round(
        name=name or f"{day:%B %Y} assessment", date=day, by=by, priorities=list(levels)
    )
    for entry in round_.entries.select_related("priority", "scorecard"):
        wanted = levels[entry.priority]
        if isinstance(wanted, str):
            wanted = {"likelihood": wanted}
        values = {}
        for judgement in entry.scorecard.judgements.select_related("area"):
            default = {"challenge": "high", "stage": "2"}.get(judgement.area.scale, "amber_green")
            level = wanted.get(judgement.area.key, default)
            values[judgement.area_id] = {
                "level": level,
                "rationale": f"Why {judgement.area.name.lower()} is {level}.",
                "change_reason": "The data moved.",
            }
        entry.propose(values, by=by, version=entry.scorecard.version, previous={})
    if status in {"moderation", "agreed"}:
        leader = by if by.is_unit_leader else None
        round_.start_moderation(by=leader or by)
    if status == "agreed":
        round_.agree(by=by)
    return round_


@pytest.fixture
def rated_priority(priority, unit_staff) -> Priority:
    """The priority rated Amber-red overall in an agreed round."""
    from datetime import date

    make_round({priority: Likelihood.AMBER_RED}, by=unit_staff, day=date(2026, 10, 1))
    return priority


@pytest.fixture
def stocktake(db, rated_priority, other_priority, unit_staff) -> Stocktake:
    from datetime import date

    return Stocktake.plan(
        title="Housing stocktake",
        date=date(2026, 12, 10),
        priorities=[rated_priority, other_priority],
        by=unit_staff,
    )


@pytest.fixture
def client_for():
    """A signed-in test client for a user, or an anonymous one for None."""

    def _client(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return _client


@pytest.fixture
def indicator(priority):
    """A monthly goal indicator, lower is better, with a straight trajectory over 2025."""
    from datetime import date
    from decimal import Decimal

    from priorities.indicators.models import Indicator, TrajectoryPoint

    indicator = Indicator.objects.create(
        priority=priority,
        code="TA-01",
        name="Households in temporary accommodation",
        unit="count",
        direction="lower",
        frequency="monthly",
        baseline_value=Decimal(3000),
        baseline_period=date(2025, 1, 1),
        target_value=Decimal(2400),
        target_period=date(2025, 12, 1),
        tolerance=Decimal(20),
        source="Housing case management system",
    )
    TrajectoryPoint.objects.bulk_create(
        TrajectoryPoint(
            indicator=indicator, period=date(2025, month, 1), value=3000 - 50 * (month - 1)
        )
        for month in range(1, 13)
    )
    return indicator


def assess_plan(version, by, level: str = "amber_green", rationale: str = "Feedback.") -> None:
    """Rate every criterion of a submitted plan version, then mark it assessed."""
    scorecard = version.scorecard
    values = {
        judgement.area_id: {"level": level, "rationale": f"{rationale} ({judgement.area.key})"}
        for judgement in scorecard.judgements.select_related("area")
    }
    scorecard.save_draft(values, by=by, version=scorecard.version)
    version.mark_assessed(by=by)
