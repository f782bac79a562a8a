"""The delivery report: every priority in the latest agreed round on one page, with the change
since the round before, the two voices and the data; its CSV; each priority's rating history;
and the leadership's home page that starts from it."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from priorities.models import Priority
from priorities.rounds.models import SelfAssessment
from priorities.rounds.report import (
    NOTABLE_GAP,
    SORTS,
    delivery_report,
    report_for_page,
    report_on_screen,
)
from tests.conftest import make_round


@pytest.fixture
def two_rounds(unit_leader, priority, other_priority, priority_lead):
    recycling = Priority.objects.create(title="Recycling", slug="recycling", aspiration="More.")
    make_round(
        {priority: "red", other_priority: "green", recycling: "amber_green"},
        by=unit_leader,
        day=date(2026, 9, 1),
    )
    latest = make_round(
        {priority: "amber_red", other_priority: "amber_green", recycling: "amber_green"},
        by=unit_leader,
        day=date(2026, 11, 1),
        status="moderation",
    )
    entry = latest.entries.get(priority=priority)
    SelfAssessment.record(entry, level="green", rationale="Hopeful.", by=priority_lead, version=0)
    latest.agree(by=unit_leader)
    return latest


def report(client, **params) -> str:
    return client.get(reverse("assessment:report"), params).content.decode()


def test_the_report_shows_every_area_in_words_with_the_change(client_for, leadership, two_rounds):
    html = report(client_for(leadership))
    assert "November 2026 assessment" in html
    assert "Up from Red" in html
    assert "Down from Green" in html
    assert "No change" in html
    assert '<span aria-hidden="true">=</span> No change' in html, "a neutral mark, with words"
    assert "▶" not in html, "no play symbol for a rating that did not move"
    for area in ("Degree of challenge", "Capacity to drive progress", "Stage of delivery"):
        assert area in html
    assert ">Amber-red</strong>" in html, "A rating is never colour alone"


def test_the_two_voices_sit_side_by_side_and_a_gap_of_two_is_marked(
    client_for, leadership, two_rounds
):
    html = report(client_for(leadership))
    assert "2 steps apart" in html
    assert html.count("app-gap") == 1


def test_the_report_sorts_by_likelihood_or_by_change(client_for, leadership, two_rounds):
    client = client_for(leadership)
    by_likelihood = report(client)
    titles = ["Temporary Accommodation", "Council tax collection", "Recycling"]
    order = sorted(titles, key=by_likelihood.index)
    assert order == ["Temporary Accommodation", "Council tax collection", "Recycling"]
    by_change = report(client, sort="change")
    order = sorted(titles, key=by_change.index)
    assert order == ["Council tax collection", "Recycling", "Temporary Accommodation"]


def test_the_report_says_when_no_round_is_agreed(client_for, leadership, db):
    html = report(client_for(leadership))
    assert "No assessment round has been agreed yet" in html
    response = client_for(leadership).get(reverse("assessment:report_csv"))
    assert response.status_code == 404


def test_the_report_downloads_as_csv(client_for, priority_lead, two_rounds):
    response = client_for(priority_lead).get(reverse("assessment:report_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="delivery-report-2026-11-01.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:2] == ["Priority", "Priority lead"]
    assert "Likelihood of delivery: change" in header
    first = dict(zip(header, rows[1], strict=True))
    assert first["Priority"] == "Temporary Accommodation"
    assert first["Likelihood of delivery"] == "Amber-red"
    assert first["Likelihood of delivery: change"] == "Up from Red"
    assert first["Self-assessment"] == "Green"
    assert first["Gap between the two voices"] == "2"
    assert len(rows) == 4


def test_the_report_has_a_print_stylesheet_for_one_landscape_page(client_for, leadership):
    from pathlib import Path

    scss = Path("static/scss/application.scss").read_text()
    assert "size: A4 landscape" in scss
    assert "app-report-page" in report(client_for(leadership))


def test_the_rating_history_shows_every_round_and_area_with_the_reasons(
    client_for, leadership, unit_leader, two_rounds
):
    entry = two_rounds.entries.get(priority__slug="temporary-accommodation")
    judgement = entry.scorecard.judgements.get(area__key="likelihood")
    entry.amend(judgement, level="red", reason="Data revised.", by=unit_leader, seen="amber_red")
    url = reverse("priorities:rating_history", args=["temporary-accommodation"])
    html = client_for(leadership).get(url).content.decode()
    assert html.index("November 2026 assessment") < html.index("September 2026 assessment")
    assert "Why it changed: The data moved." in html
    assert "Amended after agreement by Unitlead" in html
    assert "Data revised." in html
    assert "Amend<span" not in html, "Only the Unit Leader is offered the amendment"


@pytest.mark.parametrize(
    ("role", "sees_round_in_progress"),
    [
        ("unit_staff", True),
        ("administrator", True),
        ("priority_lead", False),
        ("leadership", False),
    ],
)
def test_the_rating_history_shows_a_round_in_progress_to_whoever_may_see_the_round(
    request, client_for, unit_leader, two_rounds, priority, role, sees_round_in_progress
):
    make_round({priority: "green"}, by=unit_leader, day=date(2026, 12, 1), status="open")
    user = request.getfixturevalue(role)
    url = reverse("priorities:rating_history", args=[priority.slug])
    html = client_for(user).get(url).content.decode()
    assert "November 2026 assessment" in html
    assert ("December 2026 assessment" in html) is sees_round_in_progress


def test_the_priority_page_shows_the_latest_agreed_ratings(client_for, other_lead, two_rounds):
    html = (
        client_for(other_lead)
        .get(reverse("priorities:detail", args=["temporary-accommodation"]))
        .content.decode()
    )
    assert "Agreed in November 2026 assessment" in html
    assert "Hopeful." in html


def test_leadership_home_starts_from_the_delivery_report(client_for, leadership, two_rounds):
    html = client_for(leadership).get(reverse("home")).content.decode()
    assert "Delivery report" in html
    assert "Up from Red" in html


def _table(found) -> str:
    from django.template.loader import render_to_string

    return render_to_string(
        "priorities/_report_table.html",
        {"report": found, "sort": "likelihood", "sorts": SORTS, "notable_gap": NOTABLE_GAP},
    )


@pytest.mark.parametrize("sort", ["likelihood", "change"])
def test_the_page_shows_from_the_cache_exactly_what_the_judgements_give(
    two_rounds, unit_leader, sort
):
    """The screen's report (its agreed ratings kept in the shared cache) renders the same table,
    cell for cell and in the same order, as the report read from the judgements, before the
    cache holds it and after."""
    built = delivery_report(sort=sort)
    assert report_on_screen(sort=sort).rows, "the agreed round has rows"
    for _ in range(2):  # a miss of the cache, then a hit
        shown = report_on_screen(sort=sort)
        assert [row.priority.pk for row in shown.rows] == [row.priority.pk for row in built.rows]
        assert _table(shown) == _table(built)


def test_an_amendment_shows_on_the_page_at_once(client_for, leadership, unit_leader, two_rounds):
    client = client_for(leadership)
    before = report(client)  # kept in the cache now
    entry = two_rounds.entries.get(priority__slug="temporary-accommodation")
    judgement = entry.scorecard.judgements.get(area__key="likelihood")
    entry.amend(judgement, level="red", reason="Data revised.", by=unit_leader, seen="amber_red")
    after = report(client)
    assert after.count("Up from Red") == before.count("Up from Red") - 1
    assert after.count("No change") == before.count("No change") + 1


@pytest.mark.parametrize("sort", ["likelihood", "change"])
def test_the_pages_table_kept_whole_is_the_table_the_judgements_give(two_rounds, sort):
    """The page's table, kept whole in the shared cache (report_for_page), is the table of the
    report read from the judgements, before the cache holds it and after."""
    from django.template.loader import render_to_string

    context = {"sort": sort, "sorts": SORTS, "notable_gap": NOTABLE_GAP}
    built = render_to_string(
        "priorities/_report_table.html", context | {"report": delivery_report(sort=sort)}
    )
    for _ in range(2):  # a miss of the cache, then a hit
        assert report_for_page(sort=sort).table_html == built


def test_a_lead_renamed_and_a_figure_entered_show_in_the_kept_table_at_once(
    client_for, leadership, unit_staff, priority_lead, two_rounds
):
    from decimal import Decimal

    from priorities.indicators.models import Indicator, record_actual, set_trajectory

    client = client_for(leadership)
    assert "Pat Lead" not in report(client)  # kept in the cache now
    priority_lead.first_name, priority_lead.last_name = "Pat", "Lead"
    priority_lead.save()
    assert "Pat Lead" in report(client)
    indicator = Indicator.objects.create(
        priority=two_rounds.entries.get(priority__slug="recycling").priority,
        code="RC-01",
        name="Household waste recycled",
        unit="percentage",
        direction="higher",
        frequency="annual",
        baseline_value=Decimal(40),
        baseline_period=date(2024, 4, 1),
        target_value=Decimal(50),
        target_period=date(2026, 4, 1),
    )
    assert "0 of 1 on trajectory" in report(client)
    # A figure with no plan for its period: no data against trajectory yet.
    record_actual(indicator, date(2024, 4, 1), value=Decimal(41), by=unit_staff, version=None)
    assert "0 of 1 on trajectory" in report(client)
    # The plan for that period set: the kept table shows it on trajectory at once.
    set_trajectory(indicator, {date(2024, 4, 1): Decimal(40)}, by=unit_staff, reason="Plan.")
    assert "1 of 1 on trajectory" in report(client)


def test_the_page_reads_no_judgement_once_the_cache_holds_the_round(
    client_for, leadership, two_rounds
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(leadership)
    report(client)
    with CaptureQueriesContext(connection) as queries:
        html = report(client)
    assert "Up from Red" in html
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"assessment_judgement"."level"' not in read, "the ratings came from the cache"
    assert "delivery_unit_cache" in read


def test_every_migrate_and_flush_empties_the_shared_cache(db):
    """After `migrate` (every release) and `flush` (a council rebuilt, its ids starting again)
    nothing kept before is read: both send post_migrate, on which the cache is emptied."""
    from django.apps import apps
    from django.core.cache import cache
    from django.db.models.signals import post_migrate

    cache.set("delivery-report:kept", "from before")
    post_migrate.send(
        sender=apps.get_app_config("delivery_unit"),
        app_config=apps.get_app_config("delivery_unit"),
        verbosity=0,
        interactive=False,
        using="default",
        apps=apps,
        plan=[],
    )
    assert cache.get("delivery-report:kept") is None
