"""The stocktake pack's cost (whole pipeline beside WeasyPrint alone on the same HTML, and packs
by agenda size) and the time to import 10,000 rows, for `make bench`. Import only after
django.setup()."""

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from bench_setup import BenchError, progress

PACK_REPEATS = int(os.environ.get("BENCH_PACK_REPEATS", "7"))
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
# Packs of these many agenda priorities are timed in the largest council.
AGENDA_SIZES = (10, 30)
AGENDA_PACK_REPEATS = int(os.environ.get("BENCH_AGENDA_PACK_REPEATS", "3"))
PACK_TARGET = 1.25


@dataclass(frozen=True)
class PackTimes:
    agenda_items: int
    pipeline_ms: float
    weasyprint_ms: float

    @property
    def ratio(self) -> float:
        return self.pipeline_ms / self.weasyprint_ms


@dataclass(frozen=True)
class AgendaPackTimes:
    """A pack of a given agenda: gathering its data and rendering the HTML, WeasyPrint alone on
    that HTML, and the whole pipeline; its pages and size."""

    agenda_items: int
    gather_html_ms: float
    weasyprint_ms: float
    pipeline_ms: float
    pages: int
    kilobytes: int

    @property
    def ratio(self) -> float:
        return self.pipeline_ms / self.weasyprint_ms


@dataclass(frozen=True)
class ImportTimes:
    change: str  # every row of the file is new, revised or unchanged
    rows: int
    kilobytes: int
    preview_ms: float
    apply_ms: float


def time_pack(stocktake) -> PackTimes:
    """Median of PACK_REPEATS runs each, alternated so that drift touches both alike."""
    from delivery_unit.pdf import render_pdf
    from stocktakes.packs import render_pack_html, render_pack_pdf

    html = render_pack_html(stocktake)
    # Untimed first runs: WeasyPrint loads fonts once per process, as a serving worker has.
    render_pack_pdf(stocktake)
    render_pdf(html)
    pipeline, weasyprint = [], []
    for _ in range(PACK_REPEATS):
        pipeline.append(milliseconds(partial(render_pack_pdf, stocktake)))
        weasyprint.append(milliseconds(partial(render_pdf, html)))
    return PackTimes(
        agenda_items=stocktake.agenda.count(),
        pipeline_ms=statistics.median(pipeline),
        weasyprint_ms=statistics.median(weasyprint),
    )


def time_agenda_packs(analyst) -> list[AgendaPackTimes]:
    """Packs of 10 and 30 agenda priorities, each item with its purpose, questions and decisions
    needed: gathering and HTML, WeasyPrint alone on that HTML, and both together (medians)."""
    from datetime import date

    from delivery_unit.pdf import render_pdf_with_pages
    from priorities.models import Priority
    from stocktakes.models import AgendaItem, Stocktake
    from stocktakes.packs import render_pack_html

    priorities = list(
        Priority.objects.filter(status=Priority.Status.ACTIVE).order_by("pk")[: max(AGENDA_SIZES)]
    )
    results = []
    for size in AGENDA_SIZES:
        stocktake = Stocktake.plan(
            title=f"Benchmark pack of {size}",
            date=date(2099, 1, 1),
            priorities=priorities[:size],
            by=analyst,
        )
        AgendaItem.objects.filter(stocktake=stocktake).update(
            purpose="Off trajectory for three months; the chairs asked for a recovery plan.",
            questions="What is driving the gap?\nWhat will close it, and when?\nWhat do you need?",
            decisions_needed="Agree the recovery plan.",
        )

        def pipeline(stocktake=stocktake):
            return render_pdf_with_pages(render_pack_html(stocktake))

        html = render_pack_html(stocktake)
        pdf, pages = pipeline()  # untimed: fonts load once per process
        gathered, weasyprint, whole = [], [], []
        for _ in range(AGENDA_PACK_REPEATS):
            gathered.append(milliseconds(partial(render_pack_html, stocktake)))
            weasyprint.append(milliseconds(partial(render_pdf_with_pages, html)))
            whole.append(milliseconds(pipeline))
        results.append(
            AgendaPackTimes(
                agenda_items=size,
                gather_html_ms=statistics.median(gathered),
                weasyprint_ms=statistics.median(weasyprint),
                pipeline_ms=statistics.median(whole),
                pages=pages,
                kilobytes=round(len(pdf) / 1024),
            )
        )
        stocktake.delete()
    return results


def milliseconds(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return (time.perf_counter() - start) * 1000


def time_imports(analyst_pk: int, factor: int) -> list[ImportTimes]:
    """New rows, then revised ones, then the revised file again (so unchanged), as the unit
    analyst, in the working database that holds the largest council."""
    from bench_council import new_rows_file, revised_rows_file

    from delivery_unit.models import User
    from priorities.indicators.imports import Change

    analyst = User.objects.get(pk=analyst_pk)
    progress(f"{factor}x: timing imports of {IMPORT_ROWS:,} rows...")
    times = [time_import(new_rows_file(IMPORT_ROWS), Change.NEW, analyst)]
    revised = revised_rows_file(IMPORT_ROWS)
    times.append(time_import(revised, Change.REVISED, analyst))
    times.append(time_import(revised, Change.UNCHANGED, analyst))
    return times


def time_import(data: bytes, change: str, user) -> ImportTimes:
    """One import as `manage.py import_actuals` runs it, its preview timed apart from its write.
    Refuses to report figures for a file that did not do what it was meant to."""
    from priorities.indicators.imports import apply_import, plan_import, read_file

    start = time.perf_counter()
    upload = read_file(data)
    plan = plan_import(upload, user)
    preview_ms = (time.perf_counter() - start) * 1000
    if plan.problems or plan.count(change) != IMPORT_ROWS:
        raise BenchError(
            f"The {change} import file gave {plan.counts} and {len(plan.problems)} problems "
            f"(first: {plan.problems[:1]}), not {IMPORT_ROWS} {change} rows."
        )
    start = time.perf_counter()
    apply_import(upload, user, filename=f"bench-{change}.csv")
    apply_ms = (time.perf_counter() - start) * 1000
    return ImportTimes(change, IMPORT_ROWS, round(len(data) / 1024), preview_ms, apply_ms)


# Serving and loading -----------------------------------------------------------------------
