"""Each indicator's chart, summary and data table: the geometry, the words, the pages, the PDF."""

import io
import itertools
import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfua import Severity, validate
from pypdf import PdfReader

from delivery_unit import charts
from delivery_unit.pdf import render_pdf
from priorities.indicators.charts import charted, indicator_chart
from priorities.indicators.models import (
    Indicator,
    TrajectoryPoint,
    record_actual,
    set_trajectory,
)

SVG = "{http://www.w3.org/2000/svg}"


def months(values: list[int | None], planned: list[int | None] | None = None, **extra):
    planned = planned or [None] * len(values)
    return [
        charts.Period(
            key=date(2025, i + 1, 1),
            label=date(2025, i + 1, 1).strftime("%b %Y"),
            planned=None if p is None else Decimal(p),
            actual=None if v is None else Decimal(v),
            **extra,
        )
        for i, (v, p) in enumerate(zip(values, planned, strict=True))
    ]


def svg_of(chart: charts.Chart) -> ET.Element:
    # Our own template's output, not untrusted input.
    return ET.fromstring(render_to_string("components/chart.html", {"chart": chart}))  # noqa: S314


def polygon_points(points: str) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in points.split()]


def fetch(indicator: Indicator) -> Indicator:
    return charted(Indicator.objects.filter(pk=indicator.pk)).get()


def enter(indicator, user, values: dict[date, int], **extra) -> None:
    for period, value in values.items():
        current = indicator.actuals.filter(period=period).first()
        record_actual(
            indicator,
            period,
            value=Decimal(value),
            by=user,
            version=current.version if current else None,
            **extra,
        )


# Geometry


def test_higher_values_sit_higher_and_later_periods_further_right():
    chart = charts.line_chart(months([10, 30, 20]), id="c", title="T")
    low, high, middle = chart.points
    assert low.x < high.x < middle.x
    assert high.y < middle.y < low.y, "SVG's y grows downwards: a bigger value has a smaller y"
    assert chart.top <= high.y and low.y <= chart.bottom


def test_y_ticks_are_round_and_cover_every_value():
    ticks = charts.nice_ticks(Decimal(2390), Decimal(3020))
    assert ticks[0] <= 2390 and ticks[-1] >= 3020
    steps = {b - a for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1
    step = steps.pop()
    assert step / Decimal(10) ** step.adjusted() in {1, 2, 5}
    assert 4 <= len(ticks) <= 8
    assert charts.nice_ticks(Decimal("0.1"), Decimal("0.3")) == [
        Decimal("0.1"),
        Decimal("0.15"),
        Decimal("0.2"),
        Decimal("0.25"),
        Decimal("0.3"),
    ]


def test_ticks_respect_the_decimal_places():
    chart = charts.line_chart(months([1, 2]), id="c", title="T", decimal_places=0)
    labels = [tick.label for tick in chart.y_ticks]
    assert all("." not in label for label in labels), labels
    assert len(set(labels)) == len(labels), "no two ticks read the same"


@pytest.mark.parametrize(("direction", "band_is_above"), [("lower", True), ("higher", False)])
def test_tolerance_band_lies_on_the_worse_side_of_the_trajectory(direction, band_is_above):
    chart = charts.line_chart(
        months([None, None, None], planned=[100, 90, 80]),
        id="c",
        title="T",
        tolerance=Decimal(10),
        direction=direction,
    )
    (polygon,) = chart.band
    corners = polygon_points(polygon)
    line, edge = corners[:3], corners[3:][::-1]
    assert [x for x, _ in line] == [x for x, _ in edge]
    for (_, line_y), (_, edge_y) in zip(line, edge, strict=True):
        assert (edge_y < line_y) if band_is_above else (edge_y > line_y)
    # 10 in value is the same height everywhere along the band.
    heights = [abs(a[1] - b[1]) for a, b in zip(line, edge, strict=True)]
    assert max(heights) - min(heights) <= 0.2, "coordinates are rounded to 0.1"
    assert any(item.kind == "band" for item in chart.legend)
    side = "above" if band_is_above else "below"
    assert f"Tolerance: up to 10 {side} plan" in [i.label for i in chart.legend][1]


def test_no_tolerance_draws_no_band():
    chart = charts.line_chart(months([5, 6], planned=[5, 5]), id="c", title="T")
    assert chart.band == []
    assert "band" not in [item.kind for item in chart.legend]


def test_provisional_points_are_hollow_and_named_in_the_legend():
    provisional = charts.Period(date(2025, 3, 1), "Mar 2025", actual=Decimal(7), provisional=True)
    periods = [*months([5, 6]), provisional]
    chart = charts.line_chart(periods, id="c", title="T")
    assert [p.provisional for p in chart.points] == [False, False, True]
    svg = svg_of(chart)
    circles = [c for c in svg.iter(f"{SVG}circle") if c.find(f"{SVG}title") is not None]
    fills = [c.get("fill") for c in circles]
    assert fills[:2] == [charts.COLOURS["actual"]] * 2
    assert fills[2] == charts.COLOURS["background"], "a provisional point is drawn hollow"
    assert circles[2].find(f"{SVG}title").text == "Mar 2025: 7 (provisional)"
    legend = [item.label for item in chart.legend]
    assert "Provisional actual (may be revised)" in legend
    assert "Actual" in legend


def test_legend_names_provisional_only_when_there_are_any():
    chart = charts.line_chart(months([5, 6]), id="c", title="T")
    assert [item.kind for item in chart.legend] == ["actual"]


def test_baseline_and_target_are_marked_and_labelled_at_their_periods():
    periods = months([3000, 2990, None, None], planned=[3000, 2900, 2800, 2700])
    chart = charts.line_chart(
        periods,
        id="c",
        title="T",
        baseline=(date(2025, 1, 1), Decimal(3000)),
        target=(date(2025, 4, 1), Decimal(2700)),
        format_value=lambda v: f"{v:,.0f}",
    )
    assert chart.baseline.label == "Baseline 3,000"
    assert chart.target.label == "Target 2,700"
    assert chart.baseline.x == chart.points[0].x
    assert chart.target.x > chart.points[-1].x
    assert chart.target.y > chart.baseline.y
    assert (chart.baseline.anchor, chart.target.anchor) == ("start", "end")
    texts = [t.text for t in svg_of(chart).iter(f"{SVG}text")]
    assert "Baseline 3,000" in texts and "Target 2,700" in texts
    assert {"baseline", "target", "trajectory"} <= {item.kind for item in chart.legend}


def test_gaps_in_the_actuals_break_the_line():
    chart = charts.line_chart(months([1, 2, None, 4, 5, None, 7]), id="c", title="T")
    assert len(chart.actual_lines) == 2, "two unbroken stretches; the lone last point has no line"
    assert len(chart.points) == 5


def test_period_labels_are_thinned_so_they_do_not_collide_and_the_latest_is_labelled():
    periods = [
        charts.Period(day, f"{day:%b %Y}", actual=Decimal(m))
        for m, day in enumerate(date(2023 + m // 12, m % 12 + 1, 1) for m in range(60))
    ]
    chart = charts.line_chart(periods, id="c", title="T")
    labels = chart.x_ticks
    assert 3 <= len(labels) < 60
    assert labels[-1].label == "Dec 2027"
    width = max(len(p.label) for p in periods) * chart.font_size * charts.CHARACTER_WIDTH
    gaps = [b.position - a.position for a, b in itertools.pairwise(labels)]
    assert min(gaps) >= width, "neighbouring labels leave room for each other"
    assert len({tick.label[:3] for tick in labels}) == 1, "the same month each year"


@pytest.mark.parametrize(
    "periods",
    [[], months([None, None])],
    ids=["no periods", "periods without values"],
)
def test_no_data_gives_a_no_data_yet_chart(periods):
    chart = charts.line_chart(periods, id="c", title="Nothing yet")
    assert chart.empty
    assert chart.message == "No data yet"
    svg = svg_of(chart)
    assert [t.text for t in svg.iter(f"{SVG}text")] == ["No data yet"]
    assert svg.find(f"{SVG}title").text == "Nothing yet"


def test_a_plan_without_actuals_says_no_actuals_yet():
    chart = charts.line_chart(months([None, None], planned=[5, 4]), id="c", title="T")
    assert not chart.empty
    assert chart.trajectory and not chart.points
    assert chart.message == "No actuals yet"


def test_a_single_period_is_drawn_in_the_middle():
    chart = charts.line_chart(months([5], planned=[5]), id="c", title="T")
    (point,) = chart.points
    assert point.x == pytest.approx((chart.left + chart.right) / 2, abs=0.1)
    assert len(polygon_points(chart.trajectory[0])) == 2, "a short mark for the lone plan"


def test_svg_has_role_title_and_description_and_no_inline_styles():
    chart = charts.line_chart(
        months([5, 6], planned=[5, 5]),
        id="TA-01 chart",
        title="TA-01 <households>",
        description="2 of 2 months on trajectory",
        tolerance=Decimal(1),
    )
    html = render_to_string("components/chart.html", {"chart": chart})
    svg = ET.fromstring(html)  # noqa: S314
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title.text == "TA-01 <households>", "escaped in the markup, read back as typed"
    assert desc.text == "2 of 2 months on trajectory"
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert re.fullmatch(r"[a-z][a-z0-9_-]*", title.get("id"))
    assert "style=" not in html and "<style" not in html
    assert not [element for element in svg.iter() if "style" in element.attrib]
    assert svg.find(f".//{SVG}style") is None


values = st.one_of(
    st.none(),
    st.decimals(-(10**7), 10**7, places=2, allow_nan=False, allow_infinity=False),
)


@given(
    data=st.lists(st.tuples(values, values, st.booleans()), max_size=80),
    tolerance=st.decimals(0, 1000, places=2, allow_nan=False, allow_infinity=False),
    direction=st.sampled_from(["higher", "lower"]),
    decimal_places=st.integers(0, 4),
)
@settings(max_examples=150, deadline=None)
def test_any_data_gives_a_chart_drawn_inside_its_frame(data, tolerance, direction, decimal_places):
    periods = [
        charts.Period(i, f"P{i}", planned=planned, actual=actual, provisional=provisional)
        for i, (planned, actual, provisional) in enumerate(data)
    ]
    chart = charts.line_chart(
        periods,
        id="fuzz",
        title="Fuzz",
        baseline=(0, data[0][0] or Decimal(0)) if data else None,
        target=(len(data) - 1, data[-1][0] or Decimal(0)) if data else None,
        tolerance=tolerance,
        direction=direction,
        decimal_places=decimal_places,
    )
    for point in chart.points:
        assert chart.left <= point.x <= chart.right
        assert chart.top - 0.1 <= point.y <= chart.bottom + 0.1
    for polyline in chart.trajectory + chart.band + chart.actual_lines:
        for _, y in polygon_points(polyline):
            assert chart.top - 0.1 <= y <= chart.bottom + 0.1
    assert all(item.y < chart.height for item in chart.legend)
    svg = svg_of(chart)
    assert not [element for element in svg.iter() if "style" in element.attrib]


# Summaries and tables


def test_summary_for_lower_is_better(indicator, unit_staff):
    # Planned: Jan 3,000, Feb 2,950, Mar 2,900; tolerance 20, lower is better.
    enter(
        indicator,
        unit_staff,
        {date(2025, 1, 1): 2990, date(2025, 2, 1): 2975, date(2025, 3, 1): 2915},
    )
    result = indicator_chart(fetch(indicator))
    assert (
        result.summary
        == "2 of 3 months on trajectory; latest 2,915 against 2,900 planned (Mar 2025)"
    )
    states = [row.state for row in result.rows[:4]]
    assert states == ["On trajectory", "Off trajectory", "On trajectory", "No data"]
    assert result.chart.description.startswith(result.summary)


def test_summary_for_higher_is_better_with_a_provisional_latest(priority, unit_staff):
    indicator = Indicator.objects.create(
        priority=priority,
        code="CT-01",
        name="In-year collection rate",
        unit="percentage",
        decimal_places=1,
        direction="higher",
        baseline_value=Decimal("94.0"),
        baseline_period=date(2025, 1, 1),
        target_value=Decimal("96.0"),
        target_period=date(2025, 3, 1),
        tolerance=Decimal("0.5"),
    )
    TrajectoryPoint.objects.bulk_create(
        TrajectoryPoint(indicator=indicator, period=date(2025, m, 1), value=Decimal(93 + m))
        for m in (1, 2, 3)
    )
    enter(indicator, unit_staff, {date(2025, 1, 1): 94, date(2025, 2, 1): Decimal("94.4")})
    enter(indicator, unit_staff, {date(2025, 3, 1): 95}, provisional=True)
    result = indicator_chart(fetch(indicator))
    assert result.summary == (
        "1 of 3 months on trajectory; latest 95.0% (provisional) against 96.0% planned (Mar 2025)"
    )
    assert [row.provisional for row in result.rows] == [False, False, True]
    assert [row.actual_text for row in result.rows] == ["94.0%", "94.4%", "95.0%"]


def quarterly_indicator(priority, unit_staff) -> Indicator:
    """TA-02 by quarter from 2024/25 Q4 to 2025/26 Q3, with figures for the first two."""
    indicator = Indicator.objects.create(
        priority=priority,
        code="TA-02",
        name="Families in bed and breakfast over six weeks",
        direction="lower",
        frequency="quarterly",
        baseline_value=Decimal(40),
        baseline_period=date(2025, 1, 1),
        target_value=Decimal(10),
        target_period=date(2025, 10, 1),
    )
    TrajectoryPoint.objects.bulk_create(
        TrajectoryPoint(indicator=indicator, period=date(2025, m, 1), value=Decimal(v))
        for m, v in ((1, 40), (4, 30), (7, 20), (10, 10))
    )
    enter(indicator, unit_staff, {date(2025, 1, 1): 38, date(2025, 4, 1): 31})
    return indicator


def test_summary_for_a_quarterly_indicator(priority, unit_staff):
    indicator = quarterly_indicator(priority, unit_staff)
    result = indicator_chart(fetch(indicator))
    assert result.summary == (
        "1 of 2 quarters on trajectory; latest 31 against 30 planned (2025/26 Q1)"
    )
    assert [row.label for row in result.rows] == [
        "2024/25 Q4",
        "2025/26 Q1",
        "2025/26 Q2",
        "2025/26 Q3",
    ]
    assert [tick.label for tick in result.chart.x_ticks][-1] == "2025/26 Q3"
    # The axis marks where the reporting year starts: between 2024/25 Q4 and 2025/26 Q1.
    first, second = result.chart.x_ticks[0].position, result.chart.x_ticks[1].position
    [mark] = result.chart.year_marks
    assert mark.position == pytest.approx((first + second) / 2, abs=0.1)
    assert mark.label == "2025/26"


def test_the_indicator_and_priority_pages_speak_the_councils_quarters(
    priority, unit_staff, client_for, leadership
):
    """What a reader sees, not only the chart's model: the table, the chart's marks and the
    summary on the indicator page and on its priority's page all use the reporting year."""
    indicator = quarterly_indicator(priority, unit_staff)
    for url in (indicator.get_absolute_url(), priority.get_absolute_url()):
        html = " ".join(client_for(leadership).get(url).content.decode().split())
        for label in ("2024/25 Q4", "2025/26 Q1", "2025/26 Q2", "2025/26 Q3"):
            assert label in html, f"{label} on {url}"
        assert "latest 31 against 30 planned (2025/26 Q1)" in html, url
        assert re.search(r"<text [^>]*>2025/26</text>", html), f"the year's mark on {url}"
        assert not re.search(r"\b20\d\d-Q[1-4]\b|\bQ[1-4] 20\d\d\b", html), url


def test_summary_without_data(indicator):
    result = indicator_chart(fetch(indicator))
    assert result.summary == "No data yet"
    assert result.chart.message == "No actuals yet", "the trajectory is still drawn"
    assert result.reading.state == "no_data"
    assert result.overdue_label.startswith("Data for Jan 2025 overdue: due ")
    assert result.overdue_label.endswith("working days late")


def test_actuals_beyond_the_trajectory_widen_the_chart(indicator, unit_staff):
    enter(indicator, unit_staff, {date(2026, 2, 1): 2500})
    result = indicator_chart(fetch(indicator))
    assert result.rows[-1].label == "Feb 2026"
    assert result.rows[-1].state == "No plan"
    assert result.summary == "Latest 2,500 (Feb 2026), with no planned value for that month"


# Pages


def test_priority_page_shows_each_indicator_with_its_state_chart_and_data(
    client_for, indicator, priority, leadership, unit_staff
):
    enter(indicator, unit_staff, {date(2025, 1, 1): 3100})
    Indicator.objects.create(
        priority=priority,
        code="TA-03",
        name="Homelessness preventions",
        kind="leading",
        direction="higher",
        baseline_value=Decimal(100),
        baseline_period=date(2025, 1, 1),
        target_value=Decimal(200),
        target_period=date(2025, 12, 1),
    )
    response = client_for(leadership).get(priority.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 class="govuk-heading-m" id="indicators-heading">Indicators</h2>' in html
    assert "TA-01 Households in temporary accommodation" in html
    assert "Off trajectory" in html
    assert "No data" in html
    assert "Data for Feb 2025 overdue: due " in html
    assert "Data for Jan 2025 overdue: due " in html
    assert html.count('role="img"') == 2
    assert "0 of 1 month on trajectory; latest 3,100 against 3,000 planned (Jan 2025)" in html
    assert "Show the data for TA-01 Households in temporary accommodation" in html
    assert "Housing case management system" in html
    assert "Lower is better" in html and "Leading" in html
    assert 'style="' not in html
    # The page opens with what its reader came for: the rating, then the indicators' detail.
    assert html.index("rating-heading") < html.index("indicators-heading")


def test_priority_page_says_when_there_are_no_indicators(client_for, priority, leadership):
    html = client_for(leadership).get(priority.get_absolute_url()).content.decode()
    assert "This priority has no indicators yet." in html


def test_indicator_page_shows_chart_data_and_every_revision(
    client_for, indicator, unit_staff, priority_lead, other_lead
):
    enter(indicator, priority_lead, {date(2025, 1, 1): 2990}, source="Case system")
    enter(indicator, unit_staff, {date(2025, 1, 1): 3010}, reason="Late returns")
    set_trajectory(
        indicator,
        {
            p.period: p.value - (10 if p.period.month == 6 else 0)
            for p in indicator.trajectory.all()
        },
        by=unit_staff,
        reason="Agreed a steeper June at the stocktake",
        check=False,
    )
    response = client_for(other_lead).get(indicator.get_absolute_url())
    html = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert "<title>TA-01 Households in temporary accommodation" in html
    assert 'viewBox="0 0 800 ' in html, "the larger chart"
    assert "On trajectory" in html
    assert "1 of 1 month on trajectory; latest 3,010 against 3,000 planned (Jan 2025)" in html
    # The history: who, when, before and after.
    assert "Revised" in html and "Entered" in html
    assert "2,990" in html and "3,010" in html
    assert "Late returns" in html
    assert "Lead" in html and "Analyst" in html
    assert "Agreed a steeper June at the stocktake" in html
    assert "1 period changed" in html
    assert "Jun 2025: 2,750 to 2,740" in html
    assert "Case system" in html


def test_indicator_page_answers_404_for_an_unknown_code(client_for, leadership, indicator):
    response = client_for(leadership).get(reverse("priorities:indicator", args=["NO-SUCH"]))
    assert response.status_code == 404


# The PDF


def test_chart_renders_in_weasyprint(indicator, unit_staff):
    enter(indicator, unit_staff, {date(2025, 1, 1): 2990, date(2025, 2, 1): 2975})
    enter(indicator, unit_staff, {date(2025, 3, 1): 2900}, provisional=True)
    result = indicator_chart(fetch(indicator))
    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Chart</title>'
        "</head><body><h1>Chart</h1>"
        + render_to_string("components/chart.html", {"chart": result.chart})
        + f"<p>{result.summary}.</p></body></html>"
    )
    pdf = render_pdf(html)
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "2 of 3 months on trajectory; latest 2,900 (provisional) against 2,900 planned" in text
    # The SVG's own text is drawn as text: the legend and the axis labels.
    assert "Planned trajectory" in text
    assert "Provisional actual (may be revised)" in text
    assert "Baseline 3,000" in text
    errors = [f for f in validate(io.BytesIO(pdf)).findings if f.severity == Severity.ERROR]
    assert errors == [], "the chart keeps the tagged PDF valid for the stocktake pack"


# Queries


def _grow(indicator, user, count: int) -> None:
    """More indicators, each with a year of actuals and a trajectory revision."""
    for number in range(count):
        extra = Indicator.objects.create(
            priority=indicator.priority,
            code=f"TA-1{number}",
            name=f"Indicator {number}",
            direction="higher",
            baseline_value=Decimal(1),
            baseline_period=date(2024, 1, 1),
            target_value=Decimal(100),
            target_period=date(2026, 12, 1),
        )
        set_trajectory(
            extra,
            {p: Decimal(i) for i, p in enumerate(extra.trajectory_periods())},
            by=user,
            reason="Set",
            check=False,
        )
        enter(extra, user, {date(2025, m, 1): m for m in range(1, 13)})
    enter(indicator, user, {date(2025, m, 1): 3000 for m in range(1, 13)})
    enter(indicator, user, {date(2025, m, 1): 2990 for m in range(1, 13)})


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# The session, the user and the session's idle-expiry refresh (5, as in test_queries), then the
# page's own. The priority page: the priority, its latest agreed rating and the round in progress
# (none here: one query each), three for every indicator and period (indicators with their
# latest reading, trajectories, actuals) with seven for the shared cache the rendered indicators
# are kept in (the figures' stamp, the read that misses, the write: the figures grew, so each
# request here is a first one), three for the plan's summary (its versions,
# milestones, top risks), one for its priority reviews (none here), and one for the next
# milestone it opens with. The indicator page: the
# indicator with its reading and priority, its trajectory, its actuals, the actuals' history and
# the trajectory's revisions. Each page's list of changes to the thing itself: one more.
PINNED = {"priority": 24, "indicator": 11}


@pytest.mark.parametrize("page", ["priority", "indicator"])
def test_query_count_does_not_grow_with_indicators_periods_or_revisions(
    client_for, indicator, unit_staff, page
):
    client = client_for(unit_staff)
    url = (
        indicator.priority.get_absolute_url()
        if page == "priority"
        else indicator.get_absolute_url()
    )
    enter(indicator, unit_staff, {date(2025, 1, 1): 3000})
    before = _count(client, url)
    _grow(indicator, unit_staff, 4)
    after = _count(client, url)
    assert before == after, f"{page}: {before} queries, then {after}"
    assert after == PINNED[page], f"{page} takes {after} queries; pinned at {PINNED[page]}"


# Paper: possible values only, labels clear of the lines, marks on the council's periods


def _label_box(marker: charts.Marker, font_size: int) -> tuple[float, float, float, float]:
    width = len(marker.label) * font_size * 0.6
    left = marker.label_x if marker.anchor == "start" else marker.label_x - width
    return (left, marker.label_y - font_size * 0.75, left + width, marker.label_y)


def _touches(box, polylines: list[str], points: list[charts.Point]) -> bool:
    """Whether any drawn line (sampled finely) or point falls inside ``box``."""
    left, top, right, bottom = box
    for polyline in polylines:
        pairs = polygon_points(polyline)
        for (x1, y1), (x2, y2) in itertools.pairwise(pairs):
            for step in range(101):
                x, y = x1 + (x2 - x1) * step / 100, y1 + (y2 - y1) * step / 100
                if left <= x <= right and top <= y <= bottom:
                    return True
    return any(left - 3 <= p.x <= right + 3 and top - 3 <= p.y <= bottom + 3 for p in points)


def test_a_count_is_drawn_from_zero_and_its_band_never_below_it():
    # Council homes started: a baseline of 0 with a tolerance of 15 once drew an axis to -500.
    periods = months([0, 20, 45, 70], planned=[0, 25, 50, 75])
    chart = charts.line_chart(
        periods,
        id="c",
        title="T",
        baseline=(periods[0].key, Decimal(0)),
        target=(periods[-1].key, Decimal(75)),
        tolerance=Decimal(15),
        floor=Decimal(0),
        from_zero=True,
    )
    assert chart.y_ticks[0].label == "0"
    assert all(not tick.label.startswith("-") for tick in chart.y_ticks)
    for polygon in chart.band:
        assert max(y for _, y in polygon_points(polygon)) <= chart.bottom + 0.1
    high = charts.line_chart(
        months([2900, 2950, 3000]), id="c", title="T", floor=Decimal(0), from_zero=True
    )
    assert high.y_ticks[0].label == "0", "a count's axis starts at zero, however high it is"


def test_a_percentage_axis_stays_within_0_and_100_unless_a_value_lies_beyond():
    periods = months([97, 98, 99], planned=[98, 99, 100])
    chart = charts.line_chart(
        periods,
        id="c",
        title="T",
        tolerance=Decimal("0.5"),
        decimal_places=1,
        floor=Decimal(0),
        ceiling=Decimal(100),
    )
    assert max(Decimal(t.label.replace(",", "")) for t in chart.y_ticks) <= 100
    beyond = charts.line_chart(months([99, 104]), id="c", title="T", ceiling=Decimal(100))
    assert max(Decimal(t.label) for t in beyond.y_ticks) >= 104, "a real value is never hidden"


@pytest.mark.parametrize(
    ("actuals", "planned"),
    [
        # Rising to a target at the top corner, actuals along the line (council homes started).
        ([0, 90, 150, 190, 240, None, None, None], [0, 125, 250, 375, 500, 625, 750, 1000]),
        # Falling from a baseline at the top, actuals hugging it (households in temporary
        # accommodation).
        ([3050, 3040, 3000, 2990, 2950, None], [3050, 2920, 2790, 2660, 2530, 2400]),
        # Actuals jumping about the baseline (planning consents).
        ([55, 80, 97, 90, 120, None], [40, 70, 100, 130, 160, 400]),
    ],
    ids=["rising", "falling", "noisy"],
)
def test_baseline_and_target_labels_touch_no_line_no_point_and_each_other(actuals, planned):
    periods = months(actuals, planned=planned)
    chart = charts.line_chart(
        periods,
        id="c",
        title="T",
        baseline=(periods[0].key, Decimal(planned[0])),
        target=(periods[-1].key, Decimal(planned[-1])),
        tolerance=Decimal(15),
        floor=Decimal(0),
        from_zero=True,
    )
    lines = chart.trajectory + chart.band + chart.actual_lines
    assert chart.baseline.placed and chart.target.placed, "room was found beside each marker"
    boxes = [_label_box(m, chart.font_size) for m in (chart.baseline, chart.target)]
    for marker, box in zip((chart.baseline, chart.target), boxes, strict=True):
        assert not _touches(box, lines, chart.points), f"{marker.label} sits on a line"
        assert box[0] >= 0 and box[2] <= chart.width, f"{marker.label} leaves the chart"
    (l1, t1, r1, b1), (l2, t2, r2, b2) = boxes
    assert not (l1 < r2 and l2 < r1 and t1 < b2 and t2 < b1), "the labels overlap"


def test_a_label_with_no_clear_place_goes_to_the_legend():
    # Actuals scattered over the whole plot leave no room beside the baseline.
    values = [0, 1000, 0, 1000, 0, 1000, 0, 1000]
    periods = months(values, planned=[0, 1000, 0, 1000, 0, 1000, 0, 1000])
    chart = charts.line_chart(
        periods, id="c", title="T", baseline=(periods[0].key, Decimal(0)), width=260
    )
    assert not chart.baseline.placed
    assert "Baseline 0" in [item.label for item in chart.legend]
    texts = [t.text for t in svg_of(chart).iter(f"{SVG}text")]
    assert texts.count("Baseline 0") == 1, "in the legend only, not on the lines"


def test_quarterly_marks_fall_on_the_same_quarter_each_year():
    periods = [
        charts.Period(
            date(2023 + q // 4, 3 * (q % 4) + 1, 1),
            f"Q{q % 4 + 1} {2023 + q // 4}",
            actual=Decimal(q),
        )
        for q in range(21)
    ]
    chart = charts.line_chart(periods, id="c", title="T", periods_per_year=4, width=480)
    labels = [tick.label for tick in chart.x_ticks]
    assert len(labels) >= 3
    assert len({label[:2] for label in labels}) == 1, labels
    assert labels[-1] == "Q1 2028", "the latest period is labelled"


def test_baseline_and_target_labels_keep_off_the_years_words():
    """Families in bed and breakfast: a baseline at the top left, months over five years, the
    first year's words printed just where the baseline's label would go."""
    start = date(2023, 12, 1)
    periods = []
    for i in range(61):
        key = date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
        first = key.month == 4
        periods.append(
            charts.Period(
                key=key,
                label=key.strftime("%b %Y"),
                planned=Decimal(max(0, 48 - i * 48 // 60)),
                # Noisy about the plan, as the real figures are, which keeps the label off
                # the nearer places above and below the marker.
                actual=Decimal(48 - i * 26 // 36 + (6 if i % 2 else -6)) if i < 36 else None,
                starts_year=f"{key.year}/{(key.year + 1) % 100:02d}" if first else "",
            )
        )
    chart = charts.line_chart(
        periods,
        id="c",
        title="T",
        baseline=(periods[0].key, Decimal(48)),
        target=(periods[-1].key, Decimal(0)),
        tolerance=Decimal(3),
        floor=Decimal(0),
        from_zero=True,
        periods_per_year=12,
    )
    words = [mark for mark in chart.year_marks if mark.label]
    assert words, "the years are wide enough to be labelled"
    size = chart.font_size
    assert chart.baseline.placed, "the baseline, at the top, still has a place"
    for marker in (m for m in (chart.baseline, chart.target) if m.placed):
        l1, t1, r1, b1 = _label_box(marker, size)
        for mark in words:
            l2 = mark.position + 3
            r2, t2, b2 = (
                l2 + len(mark.label) * size * 0.6,
                chart.year_label_y - size * 0.75,
                (chart.year_label_y),
            )
            overlap = l1 < r2 and l2 < r1 and t1 < b2 and t2 < b1
            assert not overlap, f"{marker.label} sits on the year {mark.label}"
