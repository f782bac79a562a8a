"""An indicator's history as people read it: who changed which value or trajectory, when, from
what to what, and why. One query for the actuals' history and one for the trajectory revisions,
however many there are."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from priorities.indicators.models import Actual, Indicator
from priorities.indicators.periods import PeriodError

ACTIONS = {"+": "Entered", "~": "Revised", "-": "Deleted"}


@dataclass(frozen=True)
class ActualChange:
    when: datetime
    who: object  # the user, or None when the change was made outside a request
    period_label: str
    action: str
    before: str
    after: str
    provisional: bool
    reason: str


@dataclass(frozen=True)
class PeriodChange:
    period_label: str
    before: str
    after: str


@dataclass(frozen=True)
class TrajectoryChange:
    when: datetime
    who: object
    reason: str
    changes: list[PeriodChange]


def actual_changes(indicator: Indicator) -> list[ActualChange]:
    """Every entry, revision and deletion of the indicator's actuals, newest first. The value
    before a change is the previous historical record of the same actual, found in the one
    ordered pass rather than one query per record."""
    records = (
        Actual.history.filter(indicator_id=indicator.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    last_value: dict[int, Decimal] = {}
    changes = []
    for record in records:
        before = last_value.get(record.id)
        deleted = record.history_type == "-"
        changes.append(
            ActualChange(
                when=record.history_date,
                who=record.history_user,
                period_label=indicator.period_label(record.period),
                action=ACTIONS.get(record.history_type, "Changed"),
                before=indicator.format_value(before),
                after="" if deleted else indicator.format_value(record.value),
                provisional=record.provisional and not deleted,
                reason=record.history_change_reason or "",
            )
        )
        last_value[record.id] = record.value
    return changes[::-1]


def trajectory_changes(indicator: Indicator) -> list[TrajectoryChange]:
    """Every revision of the trajectory, newest first, with the periods whose value changed."""
    revisions = indicator.trajectory_revisions.select_related("changed_by").order_by(
        "-changed_at", "-pk"
    )
    return [
        TrajectoryChange(
            when=revision.changed_at,
            who=revision.changed_by,
            reason=revision.reason,
            changes=[
                PeriodChange(
                    _period_label(indicator, code),
                    _value_text(indicator, before),
                    _value_text(indicator, after),
                )
                for code, before, after in revision.changes()
            ],
        )
        for revision in revisions
    ]


def _period_label(indicator: Indicator, code: str) -> str:
    try:
        return indicator.period_label(indicator.periods.parse(code))
    except PeriodError:
        # A revision recorded before the frequency changed: show the code as it was stored.
        return code


def _value_text(indicator: Indicator, value: str | None) -> str:
    if value is None:
        return ""
    try:
        return indicator.format_value(Decimal(value))
    except InvalidOperation:
        return value
