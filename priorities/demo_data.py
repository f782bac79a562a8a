"""Indicators for the demo council: a trajectory from a baseline three years back to a target two
years ahead, and monthly (or quarterly: the financial year's quarters) data with a few gaps,
revisions and provisional figures. Council tax collection counts up through each financial year,
rough sleeping follows the seasons, children looked after are a rate per 10,000 children, and
one indicator's data is overdue by the council's working days on the day the demo is loaded.

Each figure is entered as it would have been, before its due date (its first historical record
says when), except the SEND service's (the SN priority's), which comes in a few working days
late: the unit's page of who updates on time shows it.

Deterministic: the same council every time, so that `load_demo` can be run again without change.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from delivery_unit.workdays import add_working_days
from priorities.indicators.models import Actual, Indicator, Shape, draw_trajectory, set_trajectory
from priorities.indicators.periods import Frequency, Periods


@dataclass(frozen=True)
class Spec:
    name: str
    kind: str
    unit: str
    direction: str
    baseline: float
    target: float
    tolerance: float
    source: str
    # How the data runs against the trajectory: "ahead", "close" or "behind".
    course: str = "close"
    decimal_places: int = 0
    frequency: str = Frequency.MONTHLY
    # Periods of data not yet sent in: past the grace in working days, the data is overdue.
    lag: int = 0
    cumulative: bool = False  # the year to date: climbs through each financial year
    profile: tuple = ()  # a seasonal profile, one weight a month from April
    denominator: str = ""


HOUSING = "Housing case management system"
INDICATORS: dict[str, list[Spec]] = {
    "TA": [
        Spec(
            "Households in temporary accommodation",
            "goal",
            "count",
            "lower",
            3050,
            2400,
            25,
            HOUSING,
            "behind",
        ),
        Spec(
            "Families in bed and breakfast over six weeks",
            "goal",
            "count",
            "lower",
            48,
            0,
            3,
            HOUSING,
            "behind",
        ),
        Spec(
            "Homelessness preventions a month",
            "leading",
            "count",
            "higher",
            140,
            220,
            10,
            HOUSING,
            "close",
        ),
        Spec(
            "Spend on nightly-paid accommodation",
            "perverse",
            "money",
            "lower",
            1_900_000,
            1_200_000,
            50_000,
            "Finance ledger",
            "close",
        ),
    ],
    "RS": [
        Spec(
            "People seen sleeping rough in the month",
            "goal",
            "count",
            "lower",
            64,
            30,
            4,
            "CHAIN outreach records",
            "ahead",
            # More people are seen in the winter months, when outreach counts more often.
            profile=(0.85, 0.85, 0.9, 0.9, 0.95, 1.0, 1.1, 1.2, 1.25, 1.2, 1.0, 0.8),
        ),
        Spec(
            "New rough sleepers not spending a second night out",
            "leading",
            "percentage",
            "higher",
            62,
            85,
            3,
            "CHAIN outreach records",
            "ahead",
            1,
        ),
        Spec(
            "People helped off the streets into accommodation",
            "leading",
            "count",
            "higher",
            18,
            30,
            3,
            "Outreach team returns",
            "close",
        ),
    ],
    "CT": [
        Spec(
            "In-year council tax collection rate",
            "goal",
            "percentage",
            "higher",
            95.0,
            96.5,
            0.6,
            "Revenues system",
            "ahead",
            1,
            cumulative=True,
            # Ten instalments from April to January, a little more in April, the rest late.
            profile=(10.5, 9.6, 9.6, 9.5, 9.5, 9.4, 9.4, 9.3, 9.2, 9.0, 3.0, 2.0),
        ),
        Spec(
            "Direct-debit take-up",
            "leading",
            "percentage",
            "higher",
            68,
            78,
            1.5,
            "Revenues system",
            "ahead",
            1,
        ),
        Spec(
            "Complaints about enforcement",
            "perverse",
            "count",
            "lower",
            40,
            25,
            5,
            "Complaints system",
            "close",
        ),
    ],
    "CS": [
        Spec(
            "Re-referrals within 12 months",
            "goal",
            "percentage",
            "lower",
            24,
            16,
            1,
            "Children's social care system",
            "behind",
            1,
        ),
        Spec(
            "Assessments within 45 days",
            "leading",
            "percentage",
            "higher",
            78,
            92,
            2,
            "Children's social care system",
            "behind",
            1,
        ),
        Spec(
            "Children looked after",
            "goal",
            "rate_per_10000",
            "lower",
            72,
            64,
            1.5,
            "Children's social care system",
            "close",
            1,
            denominator="children aged under 18",
        ),
        Spec(
            "Children in care placed over 20 miles away",
            "perverse",
            "percentage",
            "lower",
            19,
            12,
            1,
            "Placements team",
            "close",
            1,
        ),
    ],
    "YP": [
        Spec(
            "16 and 17 year olds not in education, employment or training",
            "goal",
            "percentage",
            "lower",
            3.4,
            2.2,
            0.2,
            "Client caseload information system",
            "close",
            1,
        ),
        Spec(
            "16 and 17 year olds whose activity is not known",
            "leading",
            "percentage",
            "lower",
            5.8,
            2.0,
            0.4,
            "Client caseload information system",
            "ahead",
            1,
        ),
        Spec(
            "Young people starting apprenticeships",
            "leading",
            "count",
            "higher",
            90,
            160,
            10,
            "Skills service",
            "close",
            0,
            Frequency.QUARTERLY,
        ),
    ],
    "AH": [
        Spec(
            "Council homes started on site",
            "goal",
            "count",
            "higher",
            0,
            1000,
            15,
            "Housing delivery programme",
            "behind",
            0,
            Frequency.QUARTERLY,
        ),
        Spec(
            "Planning consents for affordable homes",
            "leading",
            "count",
            "higher",
            40,
            400,
            20,
            "Planning system",
            "close",
            0,
            Frequency.QUARTERLY,
        ),
        Spec(
            "Affordable homes completed",
            "goal",
            "count",
            "higher",
            0,
            600,
            15,
            "Housing delivery programme",
            "behind",
            0,
            Frequency.QUARTERLY,
        ),
    ],
    "RC": [
        Spec(
            "Household waste recycled",
            "goal",
            "percentage",
            "higher",
            30,
            38,
            0.8,
            "WasteDataFlow",
            "close",
            1,
        ),
        Spec(
            "Contamination rate",
            "leading",
            "percentage",
            "lower",
            14,
            8,
            1,
            "Materials recovery facility",
            "close",
            1,
        ),
        Spec(
            "Fly-tips reported",
            "perverse",
            "count",
            "lower",
            950,
            800,
            60,
            "Street cleansing reports",
            "behind",
        ),
    ],
    "SN": [
        Spec(
            "Education, health and care plans issued within 20 weeks",
            "goal",
            "percentage",
            "higher",
            38,
            90,
            3,
            "SEND case management system",
            "behind",
            1,
        ),
        Spec(
            "Requests for assessment received",
            "leading",
            "count",
            "higher",
            60,
            70,
            8,
            "SEND case management system",
            "close",
            lag=2,
        ),
        Spec(
            "Appeals lodged with the tribunal",
            "perverse",
            "count",
            "lower",
            12,
            8,
            2,
            "SEND case management system",
            "close",
        ),
    ],
}

_COURSE_BIAS = {"ahead": 0.6, "close": 0.0, "behind": -0.9}
# The priority whose service sends its data late, by a few working days each period.
LATE_RETURNS = "SN"


def build_indicators(priority, prefix: str, specs: list[Spec], *, today: date, by) -> None:
    """Create the priority's indicators with their trajectories and data, if it has none."""
    if priority.indicators.exists():
        return
    for number, spec in enumerate(specs, start=1):
        code = f"{prefix}-{number:02d}"
        rng = random.Random(code)  # noqa: S311 - demo figures, not security
        scheme = Periods.of(spec.frequency)
        now = scheme.start(today)
        baseline_period = scheme.shift(now, -(36 if spec.frequency == Frequency.MONTHLY else 12))
        target_period = scheme.shift(now, 24 if spec.frequency == Frequency.MONTHLY else 8)
        if spec.cumulative:  # from one year's out-turn (its last month) to another's
            baseline_period = scheme.shift(scheme.year_start(baseline_period), -1)
            target_period = scheme.shift(scheme.year_start(target_period), 11)
        indicator = Indicator.objects.create(
            priority=priority,
            code=code,
            name=spec.name,
            kind=spec.kind,
            unit=spec.unit,
            decimal_places=spec.decimal_places,
            direction=spec.direction,
            frequency=spec.frequency,
            baseline_value=Decimal(str(spec.baseline)),
            baseline_period=baseline_period,
            target_value=Decimal(str(spec.target)),
            target_period=target_period,
            tolerance=Decimal(str(spec.tolerance)),
            source=spec.source,
            position=number,
            cumulative=spec.cumulative,
            profile=[str(weight) for weight in spec.profile],
            denominator=spec.denominator,
        )
        shape = Shape.SEASONAL if spec.profile else Shape.STRAIGHT
        planned = draw_trajectory(indicator, shape)
        set_trajectory(
            indicator,
            planned,
            by=by,
            reason="Agreed at the delivery plan workshop with the unit",
            check=False,
        )
        planned_values = {p: float(v) for p, v in planned.items()}
        _actuals(indicator, spec, planned_values, rng, today, by, late=prefix == LATE_RETURNS)


def _actuals(
    indicator, spec: Spec, planned: dict, rng: random.Random, today: date, by, *, late: bool
) -> None:
    scheme = indicator.periods
    last = scheme.shift(scheme.last_closed(today, 0), -spec.lag)
    periods = [p for p in planned if p <= last]
    better = 1 if spec.direction == "higher" else -1
    gaps = set(rng.sample(periods[1:-3], k=2)) if len(periods) > 8 else set()
    rows = []
    for index, period in enumerate(periods):
        if period in gaps:
            continue
        drift = _COURSE_BIAS[spec.course] * spec.tolerance * 2 * (index / len(periods))
        noise = rng.gauss(0, spec.tolerance * 0.8)
        value = planned[period] + better * drift + noise
        if spec.unit == "percentage":
            value = min(max(value, 0), 100)
        rows.append(
            Actual(
                indicator=indicator,
                period=period,
                value=_round(max(value, 0), spec),
                source=spec.source,
                as_at=scheme.shift(period, 1),
                provisional=index == len(periods) - 1,
                note="Provisional: validation not complete" if index == len(periods) - 1 else "",
                entered_by=by,
            )
        )
    _entered_on_their_days(indicator, rows, late=late)
    bulk_create_with_history(rows, Actual, default_user=by, default_change_reason="Demo data")
    # A revision: the third-latest figure was corrected after validation.
    if len(rows) > 3:
        revised = rows[-3]
        actual = Actual.objects.get(indicator=indicator, period=revised.period)
        actual.value = _round(float(actual.value) * 1.02, spec)
        actual.version += 1
        actual.note = "Revised after validation"
        actual._history_user = by
        actual._change_reason = "Revised after validation"
        actual.save()


def _entered_on_their_days(indicator: Indicator, rows: list[Actual], *, late: bool) -> None:
    """Date each figure's first entry (``entered_at`` and so its first historical record) as its
    service sent it: one to ``grace_days`` working days after its period closed, or, for a late
    service, two to six working days after it was due; never later than now."""
    rng = random.Random(f"{indicator.code} entered")  # noqa: S311 - demo dates, not security
    now = timezone.now()
    for actual in rows:
        if late:
            day = add_working_days(indicator.due_on(actual.period), rng.randint(2, 6))
        else:
            closed = indicator.periods.end(actual.period)
            day = add_working_days(closed, rng.randint(1, max(indicator.grace_days, 1)))
        moment = timezone.make_aware(datetime.combine(day, time(10, rng.randint(0, 59))))
        actual.entered_at = min(moment, now)
        actual._history_date = actual.entered_at  # type: ignore[attr-defined]


def _round(value: float, spec: Spec) -> Decimal:
    return round(Decimal(str(value)), spec.decimal_places)
