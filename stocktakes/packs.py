"""The stocktake pack: gathered from the agenda and the latest data, laid out by WeasyPrint.

``gather()`` reads everything the pack shows in a fixed number of queries, whatever the agenda's
length; ``render_pack_html()`` and ``render_pack_pdf()`` turn it into the document. Issuing (in
``stocktakes/tasks.py``) keeps the exact bytes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from delivery_unit.pdf import render_pdf
from plans.models import Milestone, Risk
from priorities.indicators.charts import IndicatorChart, charted, indicator_chart
from priorities.indicators.models import Indicator, State
from priorities.models import Priority
from priorities.rounds.report import NOTABLE_GAP, Report, Row, delivery_report
from stocktakes.models import Action, AgendaItem, Stocktake

# Milestones due up to this long after the meeting are in the pack, with every missed one.
MILESTONE_HORIZON = timedelta(weeks=8)
TOP_RISKS = 3


@dataclass
class PackItem:
    """One agenda item with everything the pack says about it."""

    number: int
    item: AgendaItem
    starts_at: time | None
    # The priority's row in the latest agreed round: every area with its change and rationale,
    # and the lead's self-assessment.
    row: Row | None = None
    charts: list[IndicatorChart] = field(default_factory=list)
    open_actions: list[Action] = field(default_factory=list)
    # From the delivery plan's newest version: milestones missed or due by the next weeks, and
    # the open risks with the highest likelihood times impact.
    milestones: list[Milestone] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"item-{self.number}"

    @property
    def priority(self) -> Priority | None:
        return self.item.priority

    @property
    def overall(self):
        return self.row.overall if self.row else None

    @property
    def notable_gap(self) -> bool:
        return bool(self.row and self.row.gap is not None and self.row.gap >= NOTABLE_GAP)

    @property
    def off_trajectory(self) -> int:
        return sum(
            chart.reading.state == State.OFF and not chart.indicator.is_watch
            for chart in self.charts
        )


def _start_times(stocktake: Stocktake, items: list[AgendaItem]) -> list[time | None]:
    if stocktake.start_time is None:
        return [None] * len(items)
    clock = datetime.combine(stocktake.date, stocktake.start_time)
    starts: list[time | None] = []
    for item in items:
        starts.append(clock.time())
        clock += timedelta(minutes=item.minutes)
    return starts


def gather(stocktake: Stocktake, *, today: date | None = None) -> dict:
    """Everything the pack shows, in a fixed number of queries for any agenda."""
    today = today or timezone.localdate()
    items = list(stocktake.ordered_agenda())
    priority_ids = [item.priority_id for item in items if item.priority_id]

    # The one-page delivery report from the latest agreed round; its rows give each agenda
    # priority's ratings, changes and the lead's self-assessment.
    report: Report = delivery_report()
    rows = {row.priority.pk: row for row in report.rows}

    charts: dict[int, list[IndicatorChart]] = {}
    for indicator in charted(
        Indicator.objects.filter(priority_id__in=priority_ids).order_by("position", "code")
    ):
        charts.setdefault(indicator.priority_id, []).append(indicator_chart(indicator, today=today))

    # Milestones not done and due before MILESTONE_HORIZON after the meeting (or already missed);
    # the TOP_RISKS open risks of each plan by likelihood times impact.
    milestones: dict[int, list[Milestone]] = {}
    for milestone in (
        Milestone.objects.current()
        .not_done()
        .filter(
            plan_version__plan__priority_id__in=priority_ids,
            due__lte=stocktake.date + MILESTONE_HORIZON,
        )
        .select_related("owner", "plan_version__plan")
        .order_by("due", "pk")
    ):
        milestones.setdefault(milestone.plan_version.plan.priority_id, []).append(milestone)
    risks: dict[int, list[Risk]] = {}
    for risk in (
        Risk.objects.current()
        .open()
        .with_score()
        .filter(plan_version__plan__priority_id__in=priority_ids)
        .select_related("plan_version__plan")
        .order_by("-score", "-impact", "pk")
    ):
        top = risks.setdefault(risk.plan_version.plan.priority_id, [])
        if len(top) < TOP_RISKS:
            top.append(risk)

    # Every action still open from an earlier stocktake comes back until it is closed.
    open_actions = list(
        Action.objects.open()
        .filter(stocktake__date__lt=stocktake.date)
        .exclude(stocktake=stocktake)
        .select_related("owner", "priority", "stocktake")
        .order_by("due_date", "pk")
    )
    by_priority: dict[int, list[Action]] = {}
    for action in open_actions:
        if action.priority_id:
            by_priority.setdefault(action.priority_id, []).append(action)

    pack_items = []
    for number, (item, starts_at) in enumerate(
        zip(items, _start_times(stocktake, items), strict=True), start=1
    ):
        pack_items.append(
            PackItem(
                number=number,
                item=item,
                starts_at=starts_at,
                row=rows.get(item.priority_id),
                charts=charts.get(item.priority_id, []),
                open_actions=by_priority.get(item.priority_id, []),
                milestones=milestones.get(item.priority_id, []),
                risks=risks.get(item.priority_id, []),
            )
        )
    return {
        "stocktake": stocktake,
        "chairs": list(stocktake.chairs.order_by("last_name", "first_name")),
        "items": pack_items,
        "open_actions": open_actions,
        "total_minutes": sum(item.minutes for item in items),
        "marking": stocktake.marking,
        "council_name": settings.COUNCIL_NAME,
        "generated_at": timezone.now(),
        "today": today,
        "report": report,
        "notable_gap": NOTABLE_GAP,
    }


def render_pack_html(stocktake: Stocktake, *, version: int | None = None, context=None) -> str:
    context = dict(context or gather(stocktake))
    context["version"] = version
    return render_to_string("stocktakes/pack.html", context)


def render_pack_pdf(stocktake: Stocktake, *, version: int | None = None) -> bytes:
    return render_pdf(render_pack_html(stocktake, version=version))
