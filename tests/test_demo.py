"""`load_demo` builds a believable council and can be run again without change."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessment.models import Challenge
from delivery_unit.models import Role, User
from plans.models import DeliveryPlan, Milestone, PlanVersion, Risk
from priorities.models import Priority
from priorities.rounds.models import Round, RoundEntry, SelfAssessment
from stocktakes.models import Stocktake


def snapshot() -> dict:
    return {
        "users": User.objects.count(),
        "priorities": Priority.objects.count(),
        "rounds": Round.objects.count(),
        "ratings": RoundEntry.objects.count(),
        "challenges": Challenge.objects.count(),
        "plan versions": PlanVersion.history.count(),
        "milestones": Milestone.objects.count(),
        "stocktakes": Stocktake.objects.count(),
    }


def test_load_demo_is_idempotent_and_prints_the_sign_ins(db, capsys, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-for-tests")
    call_command("load_demo", not_production=True)
    first = snapshot()
    out = capsys.readouterr().out
    call_command("load_demo", not_production=True)
    assert snapshot() == first
    for username in ["analyst", "lead", "lead2", "chief", "leader", "admin"]:
        assert username in out
        assert User.objects.get(username=username).check_password("demo-password-for-tests")
    assert "demo-password-for-tests" in out


def test_demo_council_has_the_shape_the_journeys_need(db):
    call_command("load_demo", not_production=True)
    assert Priority.objects.count() == 8
    ta = Priority.objects.get(slug="temporary-accommodation")
    lead = User.objects.get(username="lead")
    assert ta.lead == lead
    assert Priority.objects.filter(lead=lead).count() == 2
    assert Priority.objects.filter(lead__username="lead2").exists()
    assert User.objects.get(username="chief").role == Role.LEADERSHIP
    assert User.objects.get(username="leader").role == Role.LEADERSHIP
    assert User.objects.get(username="admin").role == Role.ADMINISTRATOR
    assert User.objects.get(username="analyst").role == Role.UNIT_STAFF
    # Agreed rounds over several months, differing across priorities; a moderation that
    # changed two ratings; the leads' self-assessments, one two steps from the unit's view; and
    # a round in progress with some ratings proposed and some drafts.
    assert Round.objects.agreed().count() == 6
    assert ta.round_entries.filter(status="agreed").count() == 6
    assert Challenge.objects.count() == 2
    assert SelfAssessment.objects.count() == 8
    in_progress = Round.objects.get(status="open")
    assert set(in_progress.entries.values_list("status", flat=True)) == {"draft", "proposed"}
    assert User.objects.get(username="unitlead").is_unit_leader
    latest = {p.slug: p.latest_likelihood for p in Priority.objects.with_latest_rating()}
    assert {"red", "amber_red", "amber_green", "green"} <= set(latest.values())
    assert Stocktake.objects.count() == 2
    # Plans at different stages; two not started.
    assert DeliveryPlan.objects.filter(versions__isnull=False).distinct().count() == 6
    statuses = set(PlanVersion.objects.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "returned", "approved"}
    returned = PlanVersion.objects.get(status="returned")
    assert returned.feedback, "The returned plan carries the unit's feedback"
    assert returned.plan.versions.filter(status="draft", based_on=returned).exists()
    assert Milestone.objects.current().overdue().exists()
    assert Milestone.objects.current().due_within(30).exists()
    assert Risk.objects.current().for_priority(ta).top(3)


def test_set_role_gives_a_user_a_role(db, capsys):
    User.objects.create(username="new")
    call_command("set_role", "new", "leadership", "--job-title", "Chief Executive")
    user = User.objects.get(username="new")
    assert (user.role, user.job_title) == (Role.LEADERSHIP, "Chief Executive")
    assert "new is now leadership." in capsys.readouterr().out
    with pytest.raises(CommandError, match="There is no user called 'nobody'"):
        call_command("set_role", "nobody", "leadership")


def test_the_demos_proposed_ratings_can_be_withdrawn_and_proposed_again_unchanged(db):
    """The demo proposed these ratings; an analyst who withdraws one and proposes it again,
    changing nothing, has no change of their own to explain (the panel's changes last round are
    already in what was proposed)."""
    call_command("load_demo", not_production=True)
    open_round = Round.objects.get(status="open")
    proposed = open_round.entries.filter(status=RoundEntry.Status.PROPOSED).select_related(
        "scorecard", "proposed_by"
    )
    assert proposed.count() >= 2
    moderated = Challenge.objects.values_list("judgement__scorecard__entry__priority", flat=True)
    assert set(moderated) & set(proposed.values_list("priority", flat=True)), (
        "a priority the panel changed last round is among those proposed"
    )

    for entry in proposed:
        previous_entry = entry.previous_agreed()
        previous = {j.area.key: j for j in previous_entry.scorecard.judgements.all()}
        values = {
            j.area_id: {"level": j.level, "rationale": j.rationale, "change_reason": ""}
            for j in entry.scorecard.judgements.all()
        }
        entry.withdraw()
        entry.propose(
            values, by=entry.proposed_by, version=entry.scorecard.version, previous=previous
        )
        entry.refresh_from_db()
        assert entry.status == RoundEntry.Status.PROPOSED


def test_load_demo_refuses_without_debug_unless_told_it_is_not_production(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="runs only with DEBUG=true, or with --not-production"):
        call_command("load_demo")
    assert not User.objects.exists()
    call_command("load_demo", "--not-production", stdout=io.StringIO())
    assert User.objects.filter(username="chief").exists()


def test_demo_data_speaks_the_councils_year(db, client):
    """Financial quarters, collection counting up through the year, a seasonal trajectory, a
    rate per 10,000 and data overdue by working days, as of the day the demo is loaded."""
    from django.utils import timezone

    from priorities.indicators.charts import charted, indicator_chart
    from priorities.indicators.imports import actuals_for_export, export_rows
    from priorities.indicators.models import Indicator

    call_command("load_demo", "--not-production", stdout=io.StringIO())
    today = timezone.localdate()
    indicators = {i.code: i for i in charted(Indicator.objects.all())}

    collection = indicators["CT-01"]
    assert collection.cumulative
    planned = {p.period: p.value for p in collection.trajectory.all()}
    scheme = collection.periods
    april = scheme.year_start(today)
    march = scheme.shift(april, -1)
    assert 9 < planned[april] < 12, "about a tenth collected after April"
    assert 95 < planned[march] < 97, "about 96% by the year's end"
    chart = indicator_chart(collection, today=today).chart
    assert len(chart.trajectory) >= 5, "one climb a year"

    rough = indicators["RS-01"]
    assert len(rough.profile) == 12
    rough_plan = {p.period: p.value for p in rough.trajectory.all()}
    january, july = scheme.shift(april, 9), scheme.shift(april, 3)
    assert rough_plan[january] > rough_plan[july], "a winter peak is planned for"

    rate = next(i for i in indicators.values() if i.unit == "rate_per_10000")
    assert rate.unit_words == "Rate per 10,000 children aged under 18"

    quarterly = indicators["AH-01"]
    assert quarterly.periods.is_start(quarterly.baseline_period)
    codes = [row[1] for row in export_rows(actuals_for_export().filter(indicator=quarterly))]
    assert codes and all(" Q" in code and "/" in code for code in codes), codes

    overdue = [i.code for i in indicators.values() if i.reading(today).working_days_late > 0]
    assert "SN-02" in overdue
