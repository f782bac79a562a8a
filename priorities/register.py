"""The priority register: each priority with its lead, latest rating, state against trajectory
and how fresh its data is; filtered, sorted, searched, shown a page at a time and exported."""

from dataclasses import dataclass
from datetime import date

import django_filters
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from delivery_unit.models import Role, User
from delivery_unit.stamps import kept
from priorities.indicators.kept import figures_stamp
from priorities.indicators.models import Indicator, State
from priorities.models import Likelihood, Priority


@dataclass(frozen=True)
class Standing:
    """A priority's indicators summed up in words."""

    state: State
    on: int
    off: int
    no_data: int
    overdue: int
    latest_as_at: date | None
    working_days_late: int = 0  # the most late of the overdue indicators
    watch_off: tuple[str, ...] = ()  # the codes of watch (perverse) indicators off trajectory

    @property
    def watch_words(self) -> str:
        """ "Watch: TA-04 off trajectory": a warning beside the state, never the state."""
        if not self.watch_off:
            return ""
        return f"Watch: {', '.join(self.watch_off)} off trajectory"

    @property
    def overdue_words(self) -> str:
        """ "2 indicators overdue, up to 3 working days late", or "" when none is."""
        if not self.overdue:
            return ""
        words = f"{self.overdue} indicator{'s' if self.overdue != 1 else ''} overdue"
        late = self.working_days_late
        if late:
            words += f", {'up to ' if self.overdue > 1 else ''}{late} working day"
            words += f"{'s' if late != 1 else ''} late"
        return words

    @property
    def summary(self) -> str:
        total = self.on + self.off + self.no_data
        if total == 0:
            return "No indicators yet"
        return f"{self.on} of {total} on trajectory"


def standing(priority: Priority, today: date | None = None) -> Standing:
    """From the prefetched ``indicators`` annotated ``with_latest`` (no query)."""
    today = today or timezone.localdate()  # once, not once per indicator
    indicators = list(priority.indicators.all())
    readings = [indicator.reading(today) for indicator in indicators]
    # Watch indicators warn beside the state; they never make a priority off trajectory.
    counted = [r for i, r in zip(indicators, readings, strict=True) if not i.is_watch]
    counts = {state: sum(r.state == state for r in counted) for state in State}
    if counts[State.OFF]:
        state = State.OFF
    elif counts[State.ON]:
        state = State.ON
    else:
        state = State.NO_DATA
    dates = [i.latest_as_at for i in priority.indicators.all() if i.latest_as_at]
    return Standing(
        state=state,
        on=counts[State.ON],
        off=counts[State.OFF],
        no_data=counts[State.NO_DATA],
        overdue=sum(r.overdue_since is not None for r in readings),
        latest_as_at=max(dates) if dates else None,
        working_days_late=max((r.working_days_late for r in readings), default=0),
        watch_off=tuple(
            i.code
            for i, r in zip(indicators, readings, strict=True)
            if i.is_watch and r.state == State.OFF
        ),
    )


# The standing of a priority with no indicators; also of one added since the standings were kept
# (adding its first indicator changes the figures' stamp).
NO_INDICATORS = Standing(State.NO_DATA, on=0, off=0, no_data=0, overdue=0, latest_as_at=None)


def standings(today: date | None = None) -> dict[int, Standing]:
    """Every priority's standing by its id, from the shared cache while the figures are
    unchanged (two queries: the stamp, the cache); otherwise worked out from every priority's
    indicators (three queries) and kept. A priority missing from it has no indicators: read it
    with ``.get(pk, NO_INDICATORS)``."""
    day = today or timezone.localdate()

    def make() -> dict[int, Standing]:
        indicators = Indicator.objects.with_latest().order_by("position", "code")
        with_indicators = Priority.objects.prefetch_related(Prefetch("indicators", indicators))
        return {priority.pk: standing(priority, day) for priority in with_indicators}

    return kept("standings:1", figures_stamp(day), make)


def register_queryset() -> QuerySet[Priority]:
    indicators = Indicator.objects.with_latest().order_by("position", "code")
    return (
        Priority.objects.with_latest_rating()
        .select_related("lead", "analyst", "portfolio_holder")
        .prefetch_related(Prefetch("indicators", queryset=indicators))
    )


# Enough to see a portfolio's priorities together; few enough that a page costs the same at 80
# priorities as at 8.
PRIORITIES_PER_PAGE = 25

# A review's phases before it is closed (reviews.Review.Status).
UNDER_REVIEW = ["scoping", "fieldwork", "analysis", "reporting", "follow_up"]

# The likelihood scale from worst to best, for sorting by rating.
RATING_ORDER = [Likelihood.RED, Likelihood.AMBER_RED, Likelihood.AMBER_GREEN, Likelihood.GREEN]


class ThenByTitle(django_filters.OrderingFilter):
    """The chosen order (title when none is), then title and id: priorities that tie (one lead's,
    or all those paused) keep one order, so that each page holds the same priorities every time
    it is asked for and none is shown on two pages or on none."""

    def filter(self, qs: QuerySet, value: list[str] | None) -> QuerySet:
        chosen = [self.get_ordering_value(param) for param in value or [] if param]
        return qs.order_by(*chosen, "title", "pk")


class RegisterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Find a priority", method="find")
    status = django_filters.ChoiceFilter(
        label="Status", choices=Priority.Status.choices, empty_label="Any status"
    )
    lead = django_filters.ModelChoiceFilter(
        label="Priority lead",
        queryset=User.objects.filter(role=Role.PRIORITY_LEAD).order_by("first_name", "last_name"),
        empty_label="Any lead",
    )
    # Worked out from the data in Python (see ``rows``), so declared here only for the form.
    state = django_filters.ChoiceFilter(
        label="State", choices=State.choices, empty_label="Any state", method="no_filter"
    )
    review = django_filters.ChoiceFilter(
        label="Priority review",
        choices=[("under_review", "Under review now"), ("reviewed", "Reviewed at any time")],
        empty_label="Any",
        method="by_review",
    )
    sort = ThenByTitle(
        label="Sort by",
        empty_label="Title",
        fields=(("title", "title"), ("lead__first_name", "lead"), ("status", "status")),
        field_labels={"title": "Title", "lead__first_name": "Lead", "status": "Status"},
    )

    class Meta:
        model = Priority
        fields = ["q", "status", "lead", "state", "review"]

    def find(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        words = value.split()
        for word in words[:8]:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(code__iexact=word)
                | Q(aspiration__icontains=word)
                | Q(services__icontains=word)
                | Q(lead__first_name__icontains=word)
                | Q(lead__last_name__icontains=word)
            )
        return queryset

    def by_review(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Priorities with a review still running (not yet closed after its follow-up), or with
        any review. Read through the reverse relation: reviews sit below priorities."""
        reviewed = Priority.objects.filter(reviews__isnull=False)
        if value == "under_review":
            reviewed = reviewed.filter(reviews__status__in=UNDER_REVIEW)
        return queryset.filter(pk__in=reviewed.values("pk"))

    def no_filter(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset


def rows(filterset: RegisterFilter) -> list[tuple[Priority, Standing]]:
    """Every row of the register: filtered in the database, then by state from the data."""
    wanted = filterset.form.cleaned_data.get("state")
    result = [(priority, standing(priority)) for priority in filterset.qs]
    if wanted:
        result = [(p, s) for p, s in result if s.state == wanted]
    return result


def page_of_rows(filterset: RegisterFilter, number: str | None) -> Page:
    """One page of the register's rows (a number out of range or not a number gives the last or
    the first). The database gives that page's priorities and their indicators alone, and the
    standing is worked out for those only; but the state filter is worked out from the standing,
    so with it every matching priority's standing is needed to filter before the page is cut."""
    if not filterset.is_valid():
        return Paginator([], PRIORITIES_PER_PAGE).get_page(1)
    if filterset.form.cleaned_data.get("state"):
        return Paginator(rows(filterset), PRIORITIES_PER_PAGE).get_page(number)
    page = Paginator(filterset.qs, PRIORITIES_PER_PAGE).get_page(number)
    page.object_list = [(priority, standing(priority)) for priority in page.object_list]
    return page


EXPORT_COLUMNS = [
    "code",
    "title",
    "status",
    "lead",
    "unit analyst",
    "cabinet member",
    "likelihood of delivery",
    "rated",
    "state",
    "indicators on trajectory",
    "indicators off trajectory",
    "indicators with no data",
    "indicators overdue",
    "data as at",
]


def export_row(priority: Priority, standing: Standing) -> list:
    return [
        priority.code or "",
        priority.title,
        priority.get_status_display(),
        str(priority.lead or ""),
        str(priority.analyst or ""),
        priority.cabinet_member_name,
        Likelihood(priority.latest_likelihood).label if priority.latest_likelihood else "",
        priority.latest_rated_at.isoformat() if priority.latest_rated_at else "",
        standing.state.label,
        standing.on,
        standing.off,
        standing.no_data,
        standing.overdue,
        standing.latest_as_at.isoformat() if standing.latest_as_at else "",
    ]
