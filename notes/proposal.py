"""What the application proposes for a month's note: the month's changes, gathered from every app
below and written as Markdown that the unit edits and adds its own words to.

``gather()`` reads each part in a fixed number of queries; ``propose()`` writes them out. Names
people typed (titles, descriptions) are escaped so that they read as typed in the Markdown."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from plans.models import Milestone
from priorities.indicators.models import Actual, Indicator, Reading, TrajectoryPoint
from priorities.rounds.report import Report, Row, delivery_report
from reviews.models import IssuedReport
from stocktakes.models import Action, AgendaItem, Stocktake

# Far enough back to find the last two periods of an annual indicator.
LOOK_BACK = timedelta(days=3 * 366)


def month_end(month: date) -> date:
    return next_month(month) - timedelta(days=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


@dataclass
class TrajectoryChange:
    indicator: Indicator
    period: date
    now_on: bool  # True: came back on trajectory; False: went off it


@dataclass
class LateData:
    indicator: Indicator
    reading: Reading


@dataclass
class Month:
    """The month's changes, as of ``as_of`` (the month's last day, or today within it)."""

    month: date
    as_of: date
    report: Report
    rating_changes: list[Row] = field(default_factory=list)
    went_off: list[TrajectoryChange] = field(default_factory=list)
    came_back: list[TrajectoryChange] = field(default_factory=list)
    late: list[LateData] = field(default_factory=list)
    missed: list[Milestone] = field(default_factory=list)
    due_next: list[Milestone] = field(default_factory=list)
    overdue_actions: list[Action] = field(default_factory=list)
    reports: list[IssuedReport] = field(default_factory=list)
    next_stocktake: Stocktake | None = None
    agenda: list[AgendaItem] = field(default_factory=list)


def gather(month: date, *, today: date | None = None) -> Month:
    today = today or timezone.localdate()
    as_of = min(today, month_end(month))
    report = delivery_report()
    found = Month(month=month, as_of=as_of, report=report)
    found.rating_changes = [
        row
        for row in report.rows
        if row.overall.change is not None and row.overall.change.direction in {"up", "down"}
    ]
    found.rating_changes.sort(key=lambda row: row.priority.title)
    _trajectory_changes(found)
    indicators = Indicator.objects.with_latest().select_related("priority__lead")
    for indicator in indicators.order_by("priority__title", "position", "code"):
        reading = indicator.reading(today=as_of)
        if reading.overdue_since is not None:
            found.late.append(LateData(indicator, reading))
    milestones = (
        Milestone.objects.current()
        .not_done()
        .select_related("owner", "plan_version__plan__priority")
        .order_by("due", "pk")
    )
    found.missed = list(milestones.filter(due__lt=as_of))
    found.due_next = list(
        milestones.filter(due__gte=next_month(month), due__lte=month_end(next_month(month)))
    )
    found.overdue_actions = list(
        Action.objects.overdue(as_of)
        .select_related("owner", "priority", "stocktake")
        .order_by("due_date", "pk")
    )
    found.reports = list(
        IssuedReport.objects.filter(
            number=1, issued_at__date__gte=month, issued_at__date__lte=month_end(month)
        )
        .select_related("review")
        .order_by("issued_at")
    )
    found.next_stocktake = (
        Stocktake.objects.filter(
            date__gt=as_of, status__in=[Stocktake.Status.PLANNING, Stocktake.Status.PACK_ISSUED]
        )
        .order_by("date", "pk")
        .first()
    )
    if found.next_stocktake is not None:
        found.agenda = list(found.next_stocktake.ordered_agenda())
    return found


def _trajectory_changes(found: Month) -> None:
    """Indicators whose last two periods' data differ in state: off trajectory now after being
    on it, or back on it after being off. Watch indicators never set a priority's state, so
    they are left out."""
    indicators = {
        indicator.pk: indicator
        for indicator in Indicator.objects.exclude(kind="perverse").select_related("priority")
    }
    last_two: dict[int, list[Actual]] = {}
    for actual in Actual.objects.filter(
        indicator_id__in=indicators, period__gte=found.as_of - LOOK_BACK, period__lte=found.as_of
    ).order_by("indicator_id", "-period"):
        kept = last_two.setdefault(actual.indicator_id, [])
        if len(kept) < 2:
            kept.append(actual)
    pairs = {(a.indicator_id, a.period) for kept in last_two.values() for a in kept}
    planned: dict[tuple[int, date], Decimal] = {
        (point.indicator_id, point.period): point.value
        for point in TrajectoryPoint.objects.filter(
            indicator_id__in=last_two, period__in={period for _, period in pairs}
        )
    }
    for indicator_id, kept in last_two.items():
        if len(kept) < 2:
            continue
        indicator = indicators[indicator_id]
        states = []
        for actual in kept:
            plan = planned.get((indicator_id, actual.period))
            states.append(None if plan is None else indicator.is_on(actual.value, plan))
        now, before = states
        if now is None or before is None or now == before:
            continue
        change = TrajectoryChange(indicator, kept[0].period, now_on=now)
        (found.came_back if now else found.went_off).append(change)
    for changes in (found.went_off, found.came_back):
        changes.sort(key=lambda change: (change.indicator.priority.title, change.indicator.code))


_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def escape(text: object) -> str:
    """Text people typed, to read as typed in Markdown: on one line, its Markdown characters
    escaped. It never starts a line (each item is written after a marker or words)."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def propose(month: date, *, today: date | None = None) -> str:
    """The note's proposed text, in Markdown, with a placeholder for the unit's own words."""
    found = gather(month, today=today)
    return write(found)


def write(found: Month) -> str:
    lines: list[str] = [
        "# Summary",
        "",
        "Write the unit's summary of the month here: what matters most, and what the Chief "
        "Executive and the Leader are asked to do.",
        "",
        "# Ratings that changed",
        "",
    ]
    report = found.report
    if report.round is None:
        lines.append("No assessment round has been agreed yet.")
    elif not found.rating_changes:
        lines.append(f"No overall rating changed in {escape(report.round.name)}.")
    else:
        since = f" (since {escape(report.previous_round.name)})" if report.previous_round else ""
        lines.append(f"Overall ratings that changed in {escape(report.round.name)}{since}:")
        lines.append("")
        for row in found.rating_changes:
            level = row.overall.judgement.chosen if row.overall.judgement else None
            change = row.overall.change
            lines.append(
                f"- **{escape(row.priority.title)}**: {escape(level.label if level else '')} "
                f"({escape(change.words if change else '')})"
            )
    lines += ["", "# Indicators off or back on trajectory", ""]
    if not found.went_off and not found.came_back:
        lines += ["No indicator went off or came back on trajectory.", ""]
    for title, changes in (
        ("Went off trajectory", found.went_off),
        ("Came back on trajectory", found.came_back),
    ):
        if changes:
            lines += [f"{title}:", ""]
            lines += [
                f"- {escape(change.indicator)} ({escape(change.indicator.priority.title)}), "
                f"{escape(change.indicator.period_label(change.period))}"
                for change in changes
            ]
            lines.append("")
    lines += ["# Data late", ""]
    if not found.late:
        lines.append(f"No data was overdue on {_day(found.as_of)}.")
    else:
        lines += [f"Overdue on {_day(found.as_of)}:", ""]
        for late in found.late:
            indicator, reading = late.indicator, late.reading
            since = indicator.period_label(reading.overdue_since) if reading.overdue_since else ""
            due = f", due {_day(reading.due_on)}" if reading.due_on else ""
            days = reading.working_days_late
            lines.append(
                f"- {escape(indicator)} ({escape(indicator.priority.title)}, "
                f"{escape(indicator.priority.lead)}): {escape(since)}{due}, "
                f"{days} working day{'s' if days != 1 else ''} late"
            )
    lines += ["", "# Milestones missed", ""]
    lines += _milestones(found.missed, "No milestone is past its due date.")
    lines += ["", f"# Milestones due in {next_month(found.month):%B %Y}", ""]
    lines += _milestones(found.due_next, "No milestone falls due.")
    lines += ["", "# Actions overdue", ""]
    if not found.overdue_actions:
        lines.append("No action from a stocktake is overdue.")
    for action in found.overdue_actions:
        about = f" ({escape(action.priority.title)})" if action.priority else ""
        lines.append(
            f"- {escape(action.description)}{about}: {escape(action.owner)}, "
            f"due {_day(action.due_date)}, from {escape(action.stocktake.title)}"
        )
    lines += ["", "# Reviews that reported", ""]
    if not found.reports:
        lines.append("No priority review reported this month.")
    for issued in found.reports:
        lines.append(
            f"- {escape(issued.review.title)}: report issued {_day(issued.issued_at.date())}"
        )
    lines += ["", "# The next stocktake", ""]
    stocktake = found.next_stocktake
    if stocktake is None:
        lines.append("No stocktake is planned yet.")
    else:
        lines.append(f"{escape(stocktake.title)}, {_day(stocktake.date)}. The agenda:")
        lines.append("")
        lines += [
            f"{number}. {escape(item.title)}"
            + (f": {escape(item.purpose)}" if item.purpose else "")
            for number, item in enumerate(found.agenda, start=1)
        ] or ["No items on the agenda yet."]
    return "\n".join(lines).strip() + "\n"


def _milestones(milestones: list[Milestone], none: str) -> list[str]:
    if not milestones:
        return [none]
    return [
        f"- {escape(milestone.title)} ({escape(milestone.plan_version.plan.priority.title)}, "
        f"{escape(milestone.owner or 'no owner')}): due {_day(milestone.due)}, "
        f"{milestone.get_status_display().lower()}"
        for milestone in milestones
    ]
