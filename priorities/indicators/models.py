"""Indicators, their trajectories and actuals: "how will we know if we are on track?"

Kept apart from models.py's register and ratings for length; Django finds these models because
models.py imports them.
"""

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from delivery_unit.versioning import Stale, Versioned
from delivery_unit.workdays import working_days_after
from priorities.indicators.periods import Frequency, Periods, YearBasis

if TYPE_CHECKING:
    from delivery_unit.models import User


class Kind(models.TextChoices):
    GOAL = "goal", "Goal"
    LEADING = "leading", "Leading"
    # A watch on harm done by chasing the target: shown beside the priority's state as a
    # warning, never making the priority off trajectory by itself.
    PERVERSE = "perverse", "Perverse (a watch)"


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENTAGE = "percentage", "Percentage"
    MONEY = "money", "Money (£)"
    DAYS = "days", "Days"
    RATE_PER_1000 = "rate_per_1000", "Rate per 1,000"
    RATE_PER_10000 = "rate_per_10000", "Rate per 10,000"
    WEEKS = "weeks", "Weeks"


RATES: dict[str, str] = {Unit.RATE_PER_1000: "per 1,000", Unit.RATE_PER_10000: "per 10,000"}


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class State(models.TextChoices):
    ON = "on", "On trajectory"
    OFF = "off", "Off trajectory"
    NO_DATA = "no_data", "No data"


class IndicatorQuerySet(models.QuerySet):
    def with_latest(self) -> "IndicatorQuerySet":
        """Annotate the latest actual and the trajectory for its period: enough to give the
        state of any number of indicators in one query."""
        latest = Actual.objects.filter(indicator=OuterRef("pk")).order_by("-period")
        return self.annotate(
            latest_period=Subquery(latest.values("period")[:1]),
            latest_value=Subquery(latest.values("value")[:1]),
            latest_as_at=Subquery(latest.values("as_at")[:1]),
            latest_provisional=Subquery(latest.values("provisional")[:1]),
        ).annotate(
            planned_value=Subquery(
                TrajectoryPoint.objects.filter(
                    indicator=OuterRef("pk"), period=OuterRef("latest_period")
                ).values("value")[:1]
            )
        )


@dataclass(frozen=True)
class Reading:
    """An indicator's state as people read it."""

    state: State
    period: date | None
    actual: Decimal | None
    planned: Decimal | None
    overdue_since: date | None  # the first period whose data is overdue, if any
    due_on: date | None = None  # the day that period's data was due
    working_days_late: int = 0  # working days since then, up to today


class Indicator(Versioned):
    priority = models.ForeignKey(
        "priorities.Priority", on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(max_length=20, unique=True, help_text="For example TA-01.")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.GOAL)
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.COUNT)
    denominator = models.CharField(
        max_length=100,
        blank=True,
        help_text="For a rate, what it is per: for example children aged under 18.",
    )
    cumulative = models.BooleanField(
        default=False,
        help_text="Counts up through the year: each value is the year to date, starting again "
        "when the year starts.",
    )
    profile = models.JSONField(
        default=list,
        blank=True,
        help_text="A seasonal profile typed by the unit: one weight for each month of the year, "
        "from its first month. Empty: last year's monthly pattern is used.",
    )
    decimal_places = models.PositiveSmallIntegerField(default=0)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    year = models.CharField(
        max_length=10,
        choices=YearBasis.choices,
        default=YearBasis.REPORTING,
        help_text="The year its quarters and years are counted in.",
    )
    periods_to_confirm = models.BooleanField(
        default=False,
        help_text="Its data was kept against calendar periods that do not fit the council's "
        "year: the unit checks them and confirms.",
    )
    baseline_value = models.DecimalField(max_digits=16, decimal_places=4)
    baseline_period = models.DateField()
    target_value = models.DecimalField(max_digits=16, decimal_places=4)
    target_period = models.DateField()
    tolerance = models.DecimalField(
        max_digits=16,
        decimal_places=4,
        default=0,
        help_text="How far from the trajectory still counts as on trajectory, in the unit.",
    )
    source = models.CharField(max_length=300, blank=True)
    grace_days = models.PositiveSmallIntegerField(
        default=20,
        help_text="Working days after a period closes (weekends and bank holidays skipped) "
        "before its data is due.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = IndicatorQuerySet.as_manager()
    # Tolerance, direction and targets decide whether a priority is off trajectory.
    history = HistoricalRecords()

    # Set by IndicatorQuerySet.with_latest, on the rows it gives only.
    latest_period: date | None
    latest_value: Decimal | None
    latest_as_at: date | None
    latest_provisional: bool | None
    planned_value: Decimal | None

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decimal_places__lte=4), name="indicator_decimal_places_max_4"
            ),
            models.CheckConstraint(
                condition=models.Q(target_period__gt=models.F("baseline_period")),
                name="indicator_target_after_baseline",
            ),
            models.CheckConstraint(
                condition=models.Q(tolerance__gte=0), name="indicator_tolerance_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(frequency__in=["monthly", "quarterly", "annual"]),
                name="indicator_frequency_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(direction__in=["higher", "lower"]),
                name="indicator_direction_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(year__in=["reporting", "academic", "calendar"]),
                name="indicator_year_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("priorities:indicator", kwargs={"code": self.code})

    @property
    def periods(self) -> Periods:
        """Its periods' labels and boundaries, in its frequency and year."""
        return Periods.of(self.frequency, self.year)

    def period_code(self, period: date) -> str:
        return self.periods.code(period)

    def period_label(self, period: date) -> str:
        return self.periods.label(period)

    def trajectory_periods(self) -> list[date]:
        return self.periods.between(self.baseline_period, self.target_period)

    @property
    def is_watch(self) -> bool:
        """A perverse indicator: a watch on harm, never the priority's state by itself."""
        return self.kind == Kind.PERVERSE

    @property
    def unit_words(self) -> str:
        """ "Rate per 10,000 children aged under 18", "Percentage"."""
        words = self.get_unit_display()
        if self.unit in RATES and self.denominator:
            words += f" {self.denominator}"
        return words

    def is_on(self, actual: Decimal, planned: Decimal) -> bool:
        """At least as good as planned, allowing the tolerance, in the better direction."""
        if self.direction == Direction.HIGHER:
            return actual >= planned - self.tolerance
        return actual <= planned + self.tolerance

    def reading(self, today: date | None = None) -> Reading:
        """The state from the ``with_latest`` annotations (no query)."""
        today = today or timezone.localdate()
        period = self.latest_period
        if period is None or self.planned_value is None:
            state = State.NO_DATA
        # The latest actual's value is never null where its period is not.
        elif self.is_on(cast(Decimal, self.latest_value), self.planned_value):
            state = State.ON
        else:
            state = State.OFF
        scheme = self.periods
        due = scheme.last_closed(today, self.grace_days)
        overdue, due_on, late = None, None, 0
        if due >= self.baseline_period and (period is None or period < due):
            overdue = self.baseline_period if period is None else scheme.shift(period, 1)
            due_on = scheme.due(overdue, self.grace_days)
            late = working_days_after(due_on, today)
        return Reading(state, period, self.latest_value, self.planned_value, overdue, due_on, late)

    def due_on(self, period: date) -> date:
        """The day a period's data is due: the grace in working days after it closes."""
        return self.periods.due(period, self.grace_days)

    def format_value(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        text = f"{value:,.{self.decimal_places}f}"
        if self.unit == Unit.PERCENTAGE:
            return f"{text}%"
        if self.unit == Unit.MONEY:
            return f"£{text}"
        if self.unit in RATES:
            return f"{text} {RATES[self.unit]}"
        return text


class TrajectoryPoint(models.Model):
    """The planned value for one period. Changes go through ``Indicator``-level revisions
    (``TrajectoryRevision``), so that moving the goalposts is always visible."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="trajectory")
    period = models.DateField()
    value = models.DecimalField(max_digits=16, decimal_places=4)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="trajectory_one_value_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.value}"


class TrajectoryRevision(models.Model):
    """Who changed a trajectory, when and why, with every value before and after."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="trajectory_revisions"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="trajectory_reason_given")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} trajectory changed {self.changed_at:%Y-%m-%d}"

    def changes(self) -> list[tuple[str, str | None, str | None]]:
        """(period, before, after) for each period whose value changed."""
        periods = sorted(set(self.before) | set(self.after))
        return [
            (period, self.before.get(period), self.after.get(period))
            for period in periods
            if self.before.get(period) != self.after.get(period)
        ]


class Shape(models.TextChoices):
    STRAIGHT = "straight", "A straight line"
    EARLY = "early", "Faster progress early, slowing towards the target"
    LATE = "late", "Slower progress early, speeding up towards the target"
    SEASONAL = (
        "seasonal",
        "A straight line shaped by the seasons: last year's pattern, or the profile typed",
    )


_SHAPES = {
    Shape.STRAIGHT: lambda t: t,
    Shape.EARLY: lambda t: 1 - (1 - t) ** 2,
    Shape.LATE: lambda t: t**2,
    Shape.SEASONAL: lambda t: t,
}


class NoProfile(ValueError):
    """A seasonal shape with neither a typed profile nor a full year of data to take one from."""


def seasonal_weights(indicator: Indicator, profile: list | None = None) -> list[Decimal]:
    """One weight for each period of the year, from its first, averaging 1: the profile typed
    (one figure a month), else the pattern of the latest full year of actuals, else NoProfile.
    For a cumulative indicator the pattern is of what each period adds to the year to date."""
    scheme = indicator.periods
    per_year = 12 // scheme.step
    profile = profile or indicator.profile
    if profile:
        months = [Decimal(str(weight)) for weight in profile]
        step = scheme.step
        weights = [sum(months[i * step : (i + 1) * step], Decimal(0)) for i in range(per_year)]
    else:
        weights = _last_years_pattern(indicator, per_year)
    total = sum(weights)
    if not total:
        raise NoProfile("The profile adds up to nothing: give each month a weight")
    return [weight * per_year / total for weight in weights]


def _last_years_pattern(indicator: Indicator, per_year: int) -> list[Decimal]:
    scheme = indicator.periods
    actuals = dict(indicator.actuals.values_list("period", "value"))
    years = sorted({scheme.year_start(period) for period in actuals}, reverse=True)
    for year in years:
        periods = [scheme.shift(year, n) for n in range(per_year)]
        if all(period in actuals for period in periods):
            values = [actuals[period] for period in periods]
            if indicator.cumulative:
                values = [values[0], *(b - a for a, b in itertools.pairwise(values))]
            return values
    raise NoProfile(
        "There is no full year of data to take last year's pattern from: type a profile"
    )


def draw_trajectory(
    indicator: Indicator, shape: str = Shape.STRAIGHT, *, profile: list | None = None
) -> dict[date, Decimal]:
    """A planned value for every period from baseline to target, along the chosen curve,
    rounded to the indicator's decimal places.

    Seasonal: the straight line times each period's seasonal weight, so that a winter peak is
    planned for rather than called off trajectory. Cumulative (year to date): the year's total
    moves from baseline to target along the curve, year by year, and within each year the plan
    climbs to it from the year's start (evenly, or by the seasonal weights)."""
    periods = indicator.trajectory_periods()
    span = indicator.target_value - indicator.baseline_value
    curve = _SHAPES[Shape(shape)]
    quantum = Decimal(1).scaleb(-indicator.decimal_places)
    scheme = indicator.periods
    weights = None
    if shape == Shape.SEASONAL:
        weights = seasonal_weights(indicator, profile)
    if indicator.cumulative:
        return _cumulative(indicator, periods, curve, weights, quantum)
    last = max(len(periods) - 1, 1)
    values = {}
    for index, period in enumerate(periods):
        value = indicator.baseline_value + span * Decimal(str(curve(index / last)))
        if weights:
            value *= weights[scheme.number_in_year(period) - 1]
        values[period] = value.quantize(quantum)
    return values


def _cumulative(indicator, periods, curve, weights, quantum) -> dict[date, Decimal]:
    scheme = indicator.periods
    per_year = 12 // scheme.step
    weights = weights or [Decimal(1)] * per_year
    climbed = [sum(weights[: k + 1]) / sum(weights) for k in range(per_year)]

    def months(day: date) -> int:
        return day.year * 12 + day.month

    def year_end(day: date) -> int:
        return months(scheme.shift(scheme.year_start(day), per_year - 1))

    first, last = year_end(indicator.baseline_period), year_end(indicator.target_period)
    span = indicator.target_value - indicator.baseline_value
    values = {}
    for period in periods:
        t = (year_end(period) - first) / (last - first) if last > first else 1
        year_total = indicator.baseline_value + span * Decimal(str(curve(t)))
        share = climbed[scheme.number_in_year(period) - 1]
        values[period] = (year_total * share).quantize(quantum)
    return values


def set_trajectory(
    indicator: Indicator,
    values: dict[date, Decimal],
    *,
    by,
    reason: str,
    based_on: int | None = None,
    check: bool = True,
) -> "TrajectoryRevision":
    """Replace the trajectory with ``values``, recording who, when, why, before and after. All
    or nothing. ``based_on`` is the latest revision the editor saw: if another came since,
    Stale (with that revision), so that nobody moves the goalposts over someone else's change
    unseen."""
    with transaction.atomic():
        Indicator.objects.select_for_update().get(pk=indicator.pk)
        latest = indicator.trajectory_revisions.order_by("-changed_at", "-pk").first()
        if check and (latest.pk if latest else None) != based_on:
            raise Stale(latest)
        current = {p.period: p.value for p in indicator.trajectory.all()}
        revision = TrajectoryRevision.objects.create(
            indicator=indicator,
            changed_by=by,
            reason=reason,
            before={indicator.period_code(k): str(v) for k, v in sorted(current.items())},
            after={indicator.period_code(k): str(v) for k, v in sorted(values.items())},
        )
        indicator.trajectory.exclude(period__in=list(values)).delete()
        TrajectoryPoint.objects.bulk_create(
            [TrajectoryPoint(indicator=indicator, period=p, value=v) for p, v in values.items()],
            update_conflicts=True,
            unique_fields=["indicator", "period"],
            update_fields=["value"],
        )
        return revision


class Actual(Versioned):
    """A value for one period. A revision replaces the value and the history keeps the earlier
    one, with who and when."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    period = models.DateField()
    value = models.DecimalField(max_digits=16, decimal_places=4)
    source = models.CharField(max_length=300, blank=True)
    as_at = models.DateField(null=True, blank=True, help_text="The date the figure was true at.")
    provisional = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    entered_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()
    # Set before a save, for the history's record of who changed it and why.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="actual_one_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.value}"


def record_actual(
    indicator: Indicator,
    period: date,
    *,
    value: Decimal,
    by,
    version: int | None = None,
    check_version: bool = True,
    source: str | None = None,
    as_at: date | None = None,
    provisional: bool | None = None,
    note: str | None = None,
    reason: str = "",
) -> tuple["Actual", bool]:
    """Enter or revise one value. ``version`` is the version the person saw (None: they saw no
    value); if it is not the current one, Stale, so that nobody overwrites a value they
    have not seen. An import, whose preview showed the change, passes ``check_version=False``.
    Fields passed as None are left as they are. Returns the actual and whether it changed."""
    with transaction.atomic():
        # Lock the indicator, not only the actual: when the period has no value yet there is no
        # row to lock, and two people entering the first value at once would both pass the check.
        Indicator.objects.select_for_update().filter(pk=indicator.pk).exists()
        current = (
            Actual.objects.select_for_update().filter(indicator=indicator, period=period).first()
        )
        if check_version and version != (current.version if current else None):
            raise Stale(current)
        actual = current or Actual(indicator=indicator, period=period, value=value)
        new = {
            "value": value,
            "source": source if source is not None else actual.source,
            "as_at": as_at if as_at is not None else actual.as_at,
            "provisional": provisional if provisional is not None else actual.provisional,
            "note": note if note is not None else actual.note,
        }
        if current is not None and all(getattr(current, k) == v for k, v in new.items()):
            return current, False
        for key, field_value in new.items():
            setattr(actual, key, field_value)
        actual.version = (current.version + 1) if current else 1
        actual.entered_by = by
        actual.entered_at = timezone.now()
        actual._history_user = by
        actual._change_reason = reason or ("Revised" if current else "Entered")
        actual.save()
        return actual, True


class ActualImport(models.Model):
    """An uploaded file of actuals, kept between its preview and its confirmation.

    The rows are stored as the file gave them (text, with their line numbers), never the file
    itself, so that confirming validates them again against the data as it is then."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        APPLIED = "applied", "Imported"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The uploaded file's name, for people to recognise it: shown and quoted, never used as a path.
    filename = models.CharField(max_length=200)
    columns = models.JSONField(default=list)
    rows = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    applied_at = models.DateTimeField(null=True, blank=True)
    # Counts of new, revised and unchanged rows when the import was applied.
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "applied"]),
                name="actualimport_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending", applied_at__isnull=True)
                | models.Q(status="applied", applied_at__isnull=False),
                name="actualimport_applied_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Import of {self.filename} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("priorities:import_preview", kwargs={"pk": self.pk})
