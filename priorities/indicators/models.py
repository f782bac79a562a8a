"""Indicators, their trajectories and actuals: "how will we know if we are on track?"

Kept apart from models.py's register and ratings for length; Django finds these models because
models.py imports them.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from delivery_unit.versioning import Stale, Versioned
from priorities.indicators.periods import (
    Frequency,
    format_period,
    label_period,
    last_closed_period,
    periods_between,
)


class Kind(models.TextChoices):
    GOAL = "goal", "Goal"
    LEADING = "leading", "Leading"
    PERVERSE = "perverse", "Perverse"


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENTAGE = "percentage", "Percentage"
    MONEY = "money", "Money (£)"
    DAYS = "days", "Days"
    RATE_PER_1000 = "rate_per_1000", "Rate per 1,000"
    WEEKS = "weeks", "Weeks"


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


class Indicator(Versioned):
    priority = models.ForeignKey(
        "priorities.Priority", on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(max_length=20, unique=True, help_text="For example TA-01.")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.GOAL)
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.COUNT)
    decimal_places = models.PositiveSmallIntegerField(default=0)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
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
        default=30, help_text="Days after a period closes before its missing data is overdue."
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = IndicatorQuerySet.as_manager()
    # Tolerance, direction and targets decide whether a priority is off trajectory.
    history = HistoricalRecords()

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
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("priorities:indicator", kwargs={"code": self.code})

    def period_code(self, period: date) -> str:
        return format_period(period, self.frequency)

    def period_label(self, period: date) -> str:
        return label_period(period, self.frequency)

    def trajectory_periods(self) -> list[date]:
        return periods_between(self.baseline_period, self.target_period, self.frequency)

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
        elif self.is_on(self.latest_value, self.planned_value):
            state = State.ON
        else:
            state = State.OFF
        due = last_closed_period(today, self.frequency, self.grace_days)
        overdue = None
        if due >= self.baseline_period and (period is None or period < due):
            overdue = (
                self.baseline_period
                if period is None
                else periods_between(period, due, self.frequency)[1]
            )
        return Reading(state, period, self.latest_value, self.planned_value, overdue)

    def format_value(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        text = f"{value:,.{self.decimal_places}f}"
        if self.unit == Unit.PERCENTAGE:
            return f"{text}%"
        if self.unit == Unit.MONEY:
            return f"£{text}"
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


_SHAPES = {
    Shape.STRAIGHT: lambda t: t,
    Shape.EARLY: lambda t: 1 - (1 - t) ** 2,
    Shape.LATE: lambda t: t**2,
}


def draw_trajectory(indicator: Indicator, shape: str = Shape.STRAIGHT) -> dict[date, Decimal]:
    """A planned value for every period from baseline to target, along the chosen curve,
    rounded to the indicator's decimal places."""
    periods = indicator.trajectory_periods()
    span = indicator.target_value - indicator.baseline_value
    curve = _SHAPES[Shape(shape)]
    last = max(len(periods) - 1, 1)
    quantum = Decimal(1).scaleb(-indicator.decimal_places)
    return {
        period: (indicator.baseline_value + span * Decimal(str(curve(index / last)))).quantize(
            quantum
        )
        for index, period in enumerate(periods)
    }


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
