"""What pages work out from the indicators' figures, kept in the shared cache under one stamp.

Every change to an indicator, an actual or a trajectory leaves a row behind: an indicator's or an
actual's history record (django-simple-history records every save and delete through the models,
and the imports' and the demo's bulk writes record theirs with ``bulk_history_create``), or a
trajectory's revision (``set_trajectory`` is the only writer of trajectory points, and records
one in the same transaction). So the largest id and the number of rows of those three tables
change with every change to the figures, and together with the day (a reading depends on today:
which period is due, how many working days late), the place whose bank holidays count and the
month the council's year starts, they name what was worked out from the figures: a priority's
standing, an indicator's chart and table (delivery_unit.stamps). A writer that went round the
history would leave kept values out of date until the next change or the cache's timeout
(CACHE_SECONDS): tests/test_kept_figures.py checks each way the figures are written.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from delivery_unit.stamps import kept, stamp
from priorities.indicators.charts import charted, indicator_chart
from priorities.indicators.models import Actual, Indicator, State, TrajectoryRevision

# Changed whenever what is kept changes shape. Every `migrate`, so every release, also empties
# the cache (delivery_unit.apps), as does every `flush`.
_KEPT_VERSION = 1


def figures_stamp(today: date | None = None) -> str:
    """One query: the stamp of the indicators' and actuals' history and of the trajectories'
    revisions, with the day, the bank holidays' place and the month the council's year starts
    (which names the quarters and sets when each period's data is due)."""
    tables = stamp(Actual.history.model, Indicator.history.model, TrajectoryRevision)
    today = today or timezone.localdate()
    calendar = f"{settings.BANK_HOLIDAYS}:{settings.REPORTING_YEAR_START_MONTH}"
    return f"{_KEPT_VERSION}:{today.isoformat()}:{calendar}:{tables}"


@dataclass(frozen=True)
class ShownIndicators:
    """A priority's indicators as its page and its rating page show them, rendered: each
    indicator's card (state, definition, chart, summary, latest figures) and its state in a line
    of the rating page's aside. Neither depends on who reads them."""

    states: tuple[str, ...]  # each indicator's state (State's value), in the page's order
    cards: str
    state_items: str

    @property
    def count(self) -> int:
        return len(self.states)

    @property
    def on_trajectory(self) -> int:
        return self.states.count(State.ON)

    @property
    def state(self) -> str:
        """The worst state of all its indicators, watch indicators included."""
        if State.OFF in self.states:
            return "off"
        return "on" if State.ON in self.states else "no_data"

    @property
    def cards_html(self) -> SafeString:
        # Rendered by this application's templates and kept in its own cache table.
        return mark_safe(self.cards)  # noqa: S308

    @property
    def state_items_html(self) -> SafeString:
        return mark_safe(self.state_items)  # noqa: S308


def shown_indicators(priority) -> ShownIndicators:
    """The priority's indicators, from the shared cache when its figures have not changed since
    they were rendered (one query for the stamp, one for the cache); otherwise three queries to
    chart them, and one to keep them."""

    def make() -> ShownIndicators:
        indicators = charted(priority.indicators.order_by("position", "code"))
        charts = [indicator_chart(indicator) for indicator in indicators]
        context = {"indicators": charts}
        return ShownIndicators(
            states=tuple(str(chart.reading.state) for chart in charts),
            cards=render_to_string("priorities/_indicators.html#cards", context),
            state_items=render_to_string("priorities/_indicators.html#state-items", context),
        )

    return kept(f"shown-indicators:{_KEPT_VERSION}:{priority.pk}", figures_stamp(), make)
