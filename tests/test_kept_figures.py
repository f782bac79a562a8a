"""What pages work out from the figures, kept in the shared cache (priorities.indicators.kept):
the figures' stamp changes with every way figures are written, so that what a page shows from
the cache is never older than the figures."""

import re
from datetime import date, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import override_settings

from delivery_unit.stamps import stamp
from delivery_unit.versioning import save_versioned
from priorities.indicators.charts import charted, indicator_chart
from priorities.indicators.imports import apply_import, read_file
from priorities.indicators.kept import figures_stamp, shown_indicators
from priorities.indicators.models import (
    Actual,
    State,
    TrajectoryRevision,
    record_actual,
    set_trajectory,
)
from priorities.models import Priority
from priorities.register import NO_INDICATORS, register_queryset, standing, standings

TODAY = date(2026, 1, 20)


def enter(indicator, month, value, by):
    record_actual(indicator, date(2025, month, 1), value=Decimal(value), by=by, check_version=False)


def test_the_stamp_changes_with_every_way_figures_are_written(indicator, unit_staff):
    seen = [figures_stamp(TODAY)]

    def changed(how: str) -> None:
        stamp = figures_stamp(TODAY)
        assert stamp not in seen, f"the stamp did not change when {how}"
        seen.append(stamp)

    enter(indicator, 1, "2990", unit_staff)
    changed("a figure was entered (the grid and the indicator's page enter figures this way)")
    enter(indicator, 1, "2980", unit_staff)
    changed("a figure was revised")
    header = "indicator,period,value,source,as_at,provisional,note\n"
    apply_import(
        read_file(f"{header}TA-01,2025-02,2950,,,,\n".encode()), unit_staff, filename="figures.csv"
    )
    changed("an import added a figure")
    apply_import(
        read_file(f"{header}TA-01,2025-02,2940,,,,\n".encode()), unit_staff, filename="figures.csv"
    )
    changed("an import revised a figure")
    planned = {point.period: point.value + 1 for point in indicator.trajectory.all()}
    set_trajectory(indicator, planned, by=unit_staff, reason="Rebased.", check=False)
    changed("the trajectory was changed")
    save_versioned(indicator, indicator.version, {"tolerance": Decimal(30)})
    changed("the indicator was edited")
    Actual.objects.get(indicator=indicator, period=date(2025, 1, 1)).delete()
    changed("a figure was deleted")
    indicator.delete()
    changed("the indicator was deleted")
    assert figures_stamp(TODAY) != figures_stamp(TODAY + timedelta(days=1))
    # The calendar the figures are read by: the bank holidays and when the year starts.
    with override_settings(REPORTING_YEAR_START_MONTH=1):
        changed("the council's year was set to start in January")
    with override_settings(BANK_HOLIDAYS="GB-SCT"):
        changed("the bank holidays were set to Scotland's")


def indicators_section(html: str) -> str:
    found = re.search(r'<section class="app-indicators".*?</section>', html, re.S)
    assert found, "the page has no indicators section"
    return found.group(0)


def test_the_priority_page_shows_a_figure_entered_since_its_indicators_were_kept(
    client, priority, indicator, unit_staff
):
    client.force_login(unit_staff)
    before = indicators_section(client.get(priority.get_absolute_url()).content.decode())
    assert "1,234" not in before
    enter(indicator, 12, "1234", unit_staff)
    after = indicators_section(client.get(priority.get_absolute_url()).content.decode())
    assert "1,234" in after
    # December's plan is 2450 and lower is better: on trajectory now, on the page's glance too.
    assert (
        "1 of 1 indicator on trajectory" in client.get(priority.get_absolute_url()).content.decode()
    )


def test_the_kept_indicators_are_the_ones_rendered_from_the_figures(
    client, priority, indicator, unit_staff
):
    enter(indicator, 11, "2600", unit_staff)
    client.force_login(unit_staff)
    url = priority.get_absolute_url()
    rendered = indicators_section(client.get(url).content.decode())
    made_from, _shown = cache.get(f"shown-indicators:1:{priority.pk}")
    assert made_from == figures_stamp()
    kept = indicators_section(client.get(url).content.decode())
    assert kept == rendered
    # And the same as the cards rendered now from the figures, apart from the cache.
    charts = [indicator_chart(i) for i in charted(priority.indicators.order_by("position"))]
    fresh = render_to_string("priorities/_indicators.html#cards", {"indicators": charts})
    assert fresh.strip() and fresh.strip() in kept
    # What the card says: its state, November's figure against its plan, in the table.
    assert "TA-01 Households in temporary accommodation" in kept
    assert "Off trajectory" in kept
    assert "2,600" in kept and "2,500" in kept
    shown = shown_indicators(priority)
    assert shown.states == (State.OFF,)  # November: 2600 against 2500 planned, tolerance 20
    assert (shown.count, shown.on_trajectory, shown.state) == (1, 0, "off")


def test_every_standing_kept_is_the_one_worked_out_and_follows_the_figures(
    priority, other_priority, indicator, unit_staff
):
    worked_out = {p.pk: standing(p, TODAY) for p in register_queryset()}
    assert standings(TODAY) == worked_out
    assert standings(TODAY) == worked_out  # from the cache
    assert worked_out[other_priority.pk] == NO_INDICATORS
    assert standings(TODAY)[priority.pk].state == State.NO_DATA
    enter(indicator, 12, "2400", unit_staff)
    assert standings(TODAY)[priority.pk].state == State.ON
    # A priority added since the standings were kept has no indicators yet.
    added = Priority.objects.create(title="Added since", slug="added-since", aspiration="A.")
    assert standings(TODAY).get(added.pk, NO_INDICATORS) == standing(
        register_queryset().get(pk=added.pk), TODAY
    )


def test_a_change_committed_after_a_later_id_still_changes_the_stamp(indicator, unit_staff):
    """Two transactions may commit out of the order of their ids: the stamp counts the rows in
    its window as well as taking the largest id, so a row that appears below the largest id (as
    one committed late would) changes it too."""
    planned = {point.period: point.value for point in indicator.trajectory.all()}
    earlier = set_trajectory(indicator, planned, by=unit_staff, reason="One.", check=False)
    set_trajectory(indicator, planned, by=unit_staff, reason="Two.", check=False)
    kept = TrajectoryRevision.objects.get(pk=earlier.pk)
    kept.delete()  # as if not yet committed
    before = stamp(TrajectoryRevision)
    kept.pk = earlier.pk  # (delete() forgets it)
    kept.save(force_insert=True)  # committed now, under the largest id
    after = stamp(TrajectoryRevision)
    assert before.split(".")[0] == after.split(".")[0], "the largest id is the same"
    assert after != before


def test_a_change_replaces_what_was_kept_rather_than_adding_beside_it(
    client, priority, indicator, unit_staff
):
    """One entry for each thing kept, whatever the stamp: a day of figures entered leaves the
    cache as big as one."""
    from django.db import connection

    client.force_login(unit_staff)
    for month in range(1, 7):
        enter(indicator, month, str(3000 - 50 * month), unit_staff)
        assert client.get(priority.get_absolute_url()).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM delivery_unit_cache WHERE cache_key LIKE %s",
            ["%shown-indicators%"],
        )
        assert cursor.fetchone()[0] == 1


def test_signing_in_keeps_the_time_and_records_no_edit_of_the_person(client, unit_staff):
    """Django saves the last sign-in; recorded as an edit it would change the people's stamp,
    and so the delivery report's kept table, at every sign-in."""
    from delivery_unit.models import User

    before = unit_staff.history.count()
    people = stamp(User.history.model)
    client.force_login(unit_staff)
    unit_staff.refresh_from_db()
    assert unit_staff.last_login is not None
    assert unit_staff.history.count() == before
    assert stamp(User.history.model) == people
