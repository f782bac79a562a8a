"""The delivery report: every priority in the latest agreed round on one page, each judgement area
in words and colour, the change since the round before, the lead's self-assessment beside the
unit's rating, and the state of the data against trajectory. Also each priority's rating history.

Both are built in a fixed number of queries, whatever the number of priorities or rounds."""

from dataclasses import dataclass
from functools import cached_property
from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from assessment.models import (
    Challenge,
    ChosenLevel,
    Judgement,
    JudgementArea,
    Level,
    judgements_in_full,
)
from delivery_unit.models import User
from delivery_unit.pdf import render_pdf
from delivery_unit.stamps import digest, kept, stamp
from priorities.indicators.kept import figures_stamp
from priorities.indicators.models import Indicator
from priorities.models import Priority
from priorities.register import NO_INDICATORS, Standing, standing, standings
from priorities.rounds.models import Round, RoundEntry


@dataclass(frozen=True)
class Change:
    """How a rating moved since the previous agreed round, in words for every reader."""

    direction: str  # "up", "down", "same" or "new"
    before: Level | None

    @property
    def words(self) -> str:
        if self.direction == "new":
            return "New this round"
        if self.direction == "same":
            return "No change"
        before = cast(Level, self.before)  # None only when new
        return f"{'Up' if self.direction == 'up' else 'Down'} from {before.label}"

    @property
    def arrow(self) -> str:
        return {"up": "▲", "down": "▼", "same": "=", "new": "●"}[self.direction]


def change(now: Judgement | None, before: Judgement | None) -> Change | None:
    if now is None or now.chosen is None:
        return None
    previous = before.chosen if before is not None else None
    if previous is None:
        return Change("new", None)
    step = now.chosen.position - previous.position
    return Change("up" if step > 0 else "down" if step < 0 else "same", previous)


@dataclass
class Cell:
    area: JudgementArea
    judgement: Judgement | None
    change: Change | None
    previous: Judgement | None = None


@dataclass
class Row:
    entry: RoundEntry
    cells: list[Cell]
    overall: Cell
    standing: Standing | None = None
    challengeable: bool = False
    # The row's rating cells and self-assessment as the screen's table renders them, when they
    # come from the shared cache (report_on_screen); "" renders them from ``cells``.
    ratings_html: str = ""

    @property
    def priority(self):
        return self.entry.priority

    @property
    def self_assessment(self):
        return getattr(self.entry, "self_assessment", None)

    @cached_property
    def gap(self) -> int | None:
        """Steps between the unit's overall rating and the lead's own view (asked three times
        per row by the page: worked out once)."""
        return voice_gap(self.overall.judgement, self.self_assessment)


def voice_gap(overall: Judgement | None, self_assessment) -> int | None:
    if overall is None or overall.chosen is None or self_assessment is None:
        return None
    theirs = overall.area.level(self_assessment.level)
    return abs(overall.chosen.position - theirs.position) if theirs else None


# A gap of this many steps between the two voices is highlighted.
NOTABLE_GAP = 2


@dataclass
class Report:
    round: Round | None
    previous_round: Round | None
    areas: list[JudgementArea]
    rows: list[Row]
    # The table as the screen shows it, rendered and kept (report_for_page); "" for the others.
    table_html: str = ""


SORTS = {"likelihood": "Likelihood of delivery", "change": "Change since last round"}


def _entries(
    round_: Round,
    areas: list[JudgementArea],
    *,
    agreed_only: bool = True,
    with_indicators: bool = False,
    ratings_only: bool = False,
    count_challenges: bool = False,
) -> list[RoundEntry]:
    """The round's entries with their judgements. Each judgement is given its area from
    ``areas`` (the round's framework, loaded once with its levels) rather than a copy of its own:
    hundreds of cells share a handful of areas.

    The moderation grid shows neither a judgement's texts nor its challenges, only how many
    there were: ``ratings_only`` leaves the texts unread, ``count_challenges`` counts the
    challenges (``challenge_count``) rather than loading them. A cell's page reads them when the
    cell is opened."""
    judgements = Judgement.objects.all()
    if ratings_only:
        judgements = judgements.defer("rationale", "change_reason")
    if count_challenges:
        judgements = judgements.annotate(challenge_count=Count("challenges"))
    entries = (
        round_.entries.exclude(status=RoundEntry.Status.EXCLUDED)
        .select_related("priority__lead", "self_assessment", "scorecard")
        .prefetch_related(Prefetch("scorecard__judgements", queryset=judgements))
    )
    if agreed_only:
        entries = entries.filter(status=RoundEntry.Status.AGREED)
    if with_indicators:
        entries = entries.prefetch_related(
            Prefetch(
                "priority__indicators",
                queryset=Indicator.objects.with_latest().order_by("position", "code"),
            )
        )
    by_id = {area.pk: area for area in areas}
    loaded = list(entries)
    for entry in loaded:
        for judgement in entry.scorecard.judgements.all():
            judgement.area = by_id[judgement.area_id]
    return loaded


def round_rows(
    round_: Round,
    *,
    agreed_only: bool = True,
    with_standing: bool = False,
    ratings_only: bool = False,
) -> tuple[list[JudgementArea], Round | None, list[Row]]:
    """Each priority in the round against every area, with the previous agreed round's rating
    beside each cell: a fixed number of queries for any number of priorities. ``ratings_only``:
    each judgement's level and number of challenges, without its texts (see ``_entries``)."""
    previous_round = round_.previous_agreed()
    areas = round_.framework.ordered_areas()
    before: dict[int, RoundEntry] = {}
    if previous_round is not None:
        earlier_areas = (
            areas
            if previous_round.framework_id == round_.framework_id
            else previous_round.framework.ordered_areas()
        )
        before = {
            e.priority_id: e
            for e in _entries(previous_round, earlier_areas, ratings_only=ratings_only)
        }
    rows = []
    for entry in _entries(
        round_,
        areas,
        agreed_only=agreed_only,
        with_indicators=with_standing,
        ratings_only=ratings_only,
        count_challenges=ratings_only,
    ):
        earlier = before.get(entry.priority_id)
        # Each scorecard's judgements by area, read once rather than searched for every area.
        now = _by_key(entry)
        then = _by_key(earlier) if earlier else {}
        cells = []
        for area in areas:
            judgement, previous = now.get(area.key), then.get(area.key)
            cells.append(Cell(area, judgement, change(judgement, previous), previous))
        overall = next((cell for cell in cells if cell.area.is_overall), cells[-1])
        found = standing(entry.priority) if with_standing else None
        rows.append(Row(entry, cells, overall, found))
    return areas, previous_round, rows


def _by_key(entry: RoundEntry) -> dict[str, Judgement]:
    return {judgement.area.key: judgement for judgement in entry.scorecard.judgements.all()}


def delivery_report(round_: Round | None = None, *, sort: str = "likelihood") -> Report:
    """The report for ``round_``, by default the latest agreed round."""
    if round_ is None:
        round_ = Round.objects.agreed().select_related("framework").newest_first().first()
    if round_ is None:
        return Report(None, None, [], [])
    areas, previous_round, rows = round_rows(round_, with_standing=True)
    rows.sort(key=_sort_key(sort))
    return Report(round_, previous_round, areas, rows)


# The delivery report on screen (its page and leadership's home page), from the shared cache.
#
# An agreed round's ratings never change but by a recorded amendment, and what each cell shows
# (the rating, its change since the previous agreed round, the lead's self-assessment and the gap
# between the two voices) depends on nothing else: so they are worked out once, kept in the cache
# as plain values under a key naming the round, when it was agreed, the previous agreed round and
# the latest challenge or amendment made in either, and rebuilt into the report's rows without
# reading a single judgement. The priorities' titles and leads and their standing against
# trajectory, which change with every edit and every figure entered, are read live.


@dataclass(frozen=True)
class _Rated:
    """What the cache keeps of one agreed entry: plain values, no model instances."""

    priority_id: int
    levels: tuple[str | None, ...]  # per area, in the areas' order: the chosen level's value
    # Per area, the change since the previous agreed round: its direction and the level before
    # as (label, position), None where nothing was rated.
    changes: tuple[tuple[str, str, int] | tuple[str, None, None] | None, ...]
    self_level: str | None
    html: str  # the row's rating cells and self-assessment, rendered (_report_table.html)


@dataclass(frozen=True)
class _RatedRound:
    previous_round_id: int | None
    entries: tuple[_Rated, ...]


# Changed whenever what the cache keeps (_Rated) changes shape. Every `migrate`, so every
# release, also empties the cache (delivery_unit.apps), as does every `flush`.
_KEPT_VERSION = 5


def _cache_key(round_: Round, previous_round: Round | None) -> str:
    rounds = [round_.pk] + ([previous_round.pk] if previous_round else [])
    # The number of challenges and amendments as well as the latest's id: two amendments
    # committed out of the order of their ids still change the count.
    made = Challenge.objects.filter(judgement__scorecard__entry__round_id__in=rounds).aggregate(
        latest=Max("pk"), count=Count("pk")
    )
    agreed = round_.agreed_at.timestamp() if round_.agreed_at else 0
    return (
        f"delivery-report:{_KEPT_VERSION}:{round_.pk}:{agreed}:"
        f"{previous_round.pk if previous_round else 0}:{made['latest'] or 0}:{made['count']}"
    )


def _kept_change(moved: Change | None):
    if moved is None:
        return None
    if moved.before is None:
        return (moved.direction, None, None)
    return (moved.direction, moved.before.label, moved.before.position)


def _rated(round_: Round) -> _RatedRound:
    """Worked out from the judgements, as round_rows does: on a miss of the cache only."""
    _, previous_round, rows = round_rows(round_)
    entries = []
    for row in rows:
        assessment = row.self_assessment
        entries.append(
            _Rated(
                priority_id=row.entry.priority_id,
                levels=tuple(
                    cell.judgement.level if cell.judgement else None for cell in row.cells
                ),
                changes=tuple(_kept_change(cell.change) for cell in row.cells),
                self_level=assessment.level if assessment else None,
                html=render_to_string(
                    "priorities/_report_table.html#ratings",
                    {"row": row, "notable_gap": NOTABLE_GAP},
                ),
            )
        )
    return _RatedRound(previous_round.pk if previous_round else None, tuple(entries))


@dataclass(frozen=True)
class _Shown(ChosenLevel):
    """A kept rating as the screen's table reads it (``chosen``, ``label``): in place of a
    Judgement, whose model instance costs more to make than the rest of the row."""

    area: JudgementArea
    level: str


@dataclass(frozen=True)
class _Before:
    """The level a kept change moved from, as Change reads it (``label``, ``position``)."""

    label: str
    position: int


@dataclass(frozen=True)
class _Entry:
    """A kept entry as the screen's table reads it: its priority and the lead's view."""

    priority: Priority
    self_assessment: "_View | None"


@dataclass(frozen=True)
class _View:
    level: str


def _cell(area: JudgementArea, level: str | None, kept) -> Cell:
    judgement = None if level is None else cast(Judgement, _Shown(area, level))
    moved = None
    if kept is not None:
        direction, label, position = kept
        before = None if label is None else cast(Level, _Before(label, position))
        moved = Change(direction, before)
    return Cell(area, judgement, moved)


def _latest_agreed() -> tuple[Round | None, Round | None]:
    round_ = Round.objects.agreed().select_related("framework").newest_first().first()
    return round_, round_.previous_agreed() if round_ else None


def report_on_screen(*, sort: str = "likelihood") -> Report:
    """The latest agreed round's delivery report for the page and the home page: the same rows
    as ``delivery_report`` (without the judgements' rationales, which neither shows), with the
    ratings from the shared cache and the rest read live."""
    round_, previous_round = _latest_agreed()
    if round_ is None:
        return Report(None, None, [], [])
    return _on_screen(round_, previous_round, _cache_key(round_, previous_round), sort)


def _on_screen(round_: Round, previous_round: Round | None, key: str, sort: str) -> Report:
    areas = round_.framework.ordered_areas()
    rated = cache.get(key)
    if rated is None:
        rated = _rated(round_)
        cache.set(key, rated)
    by_id = Priority.objects.select_related("lead").in_bulk(
        [found.priority_id for found in rated.entries]
    )
    standing_of = standings()
    rows = []
    for found in rated.entries:
        priority = by_id.get(found.priority_id)
        if priority is None:
            continue
        view = None if found.self_level is None else _View(found.self_level)
        entry = cast(RoundEntry, _Entry(priority, view))
        cells = [
            _cell(area, level, kept)
            for area, level, kept in zip(areas, found.levels, found.changes, strict=True)
        ]
        overall = next((cell for cell in cells if cell.area.is_overall), cells[-1])
        # Rendered by this application from the judgements and kept in its own cache table.
        html = mark_safe(found.html)  # noqa: S308
        found_standing = standing_of.get(priority.pk, NO_INDICATORS)
        rows.append(Row(entry, cells, overall, found_standing, ratings_html=html))
    rows.sort(key=_sort_key(sort))
    return Report(round_, previous_round, areas, rows)


def report_for_page(*, sort: str = "likelihood") -> Report:
    """The screen's report with its table rendered (``table_html``) and kept in the shared cache
    whole, under the ratings' key (above), the figures' stamp (the standing against trajectory),
    a stamp of the priorities' and people's history (titles, addresses, leads and their names)
    and the sort: from the cache, the page reads neither a priority nor a figure. ``rows`` is
    empty: the two pages that show the report show only its table."""
    round_, previous_round = _latest_agreed()
    if round_ is None:
        return Report(None, None, [], [])
    ratings_key = _cache_key(round_, previous_round)
    made_from = digest(
        ratings_key, figures_stamp(), stamp(Priority.history.model, User.history.model)
    )

    def make() -> str:
        found = _on_screen(round_, previous_round, ratings_key, sort)
        context = {"report": found, "sort": sort, "sorts": SORTS, "notable_gap": NOTABLE_GAP}
        return render_to_string("priorities/_report_table.html", context)

    html = kept(f"delivery-report-table:{_KEPT_VERSION}:{sort}", made_from, make)
    # Rendered by this application's template and kept in its own cache table.
    table = mark_safe(html)  # noqa: S308
    return Report(round_, previous_round, [], [], table_html=table)


def _position(cell: Cell) -> int:
    chosen = cell.judgement.chosen if cell.judgement else None
    return chosen.position if chosen else 0


def _sort_key(sort: str):
    if sort == "change":
        steps = {"down": 0, "new": 1, "same": 2, "up": 3}

        def by_change(row: Row):
            moved = row.overall.change
            size = (
                -abs(_position(row.overall) - moved.before.position)
                if moved and moved.before
                else 0
            )
            return (steps[moved.direction] if moved else 4, size, row.priority.title)

        return by_change
    return lambda row: (_position(row.overall), row.priority.title)


@dataclass
class HistoryRound:
    entry: RoundEntry
    cells: list[Cell]


def rating_history(priority, user) -> list[HistoryRound]:
    """Every round the priority was in that ``user`` may see, newest first, each area with its
    change from the round before and the challenges and amendments made to it."""
    entries = (
        RoundEntry.objects.visible_to(user)
        .filter(priority=priority)
        .select_related("round", "self_assessment__assessed_by", "proposed_by")
        .prefetch_related(judgements_in_full())
        .order_by("round__date", "round__pk")
    )
    history: list[HistoryRound] = []
    previous: RoundEntry | None = None
    for entry in entries:
        cells = []
        for judgement in entry.scorecard.ordered_judgements():
            before = previous.scorecard.judgement_for(judgement.area.key) if previous else None
            cells.append(Cell(judgement.area, judgement, change(judgement, before)))
        history.append(HistoryRound(entry, cells))
        if entry.status == RoundEntry.Status.AGREED:
            previous = entry
    return list(reversed(history))


def render_report_pdf(found: Report) -> bytes:
    """The delivery report on paper: one landscape A4 page for up to twelve priorities, laid out
    from the same template as the stocktake pack's report page."""
    html = render_to_string(
        "priorities/print/report.html",
        {
            "report": found,
            "notable_gap": NOTABLE_GAP,
            "council_name": settings.COUNCIL_NAME,
            "marking": settings.PACK_MARKING,
            "generated_at": timezone.now(),
        },
    )
    return render_pdf(html)
