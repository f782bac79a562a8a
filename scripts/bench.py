"""`make bench`: every main page at 1x and 10x the demo beside a bare Django page, twenty people
reading the 10x council at once, the stocktake pack's cost, and the time to import 10,000 rows.

The script creates a PostgreSQL database (BENCH_DATABASE_URL; its name must contain "bench", as
it is dropped), migrates it, and for each scale builds the council there with `load_demo --scale
1` and `--scale 10` (bench_council.py says what 1x and 10x hold), times the stocktake pack and
copies the database for that scale. It then serves each copy with gunicorn as deployed (2 sync
workers, production settings and gunicorn.conf.py) plus the bare Django page (bench_settings.py,
bench_urls.py: one query of 30 rows rendered as a table by Django's template engine, never in
production URLs), and one signed-in unit analyst requests every page, each request followed by
one of the bare page on the same server, in rounds alternating the scales, so that other work on
the machine weighs on the page, the bare page and both scales alike (bench_load.py).

For each page it prints median and 95th-percentile times, the server's own (gunicorn's access
log) and on loopback, its median at 10x over the bare page's (target: at most 10) and its p95's
growth from 1x to 10x (target: at most 1.5), each marked met or MISSED. Then twenty people read
the 10x council at once, each opening a main page and reading it 0.5 to 1.5 s (about 17 requests
a second): p95 of what they wait under 100 ms and no errors. For the pack it prints the whole
pipeline beside WeasyPrint alone on the same HTML, and packs of 10 and 30 agenda priorities
(bench_packs.py); and it times importing 10,000 rows new, revised and unchanged in the working
database, which still holds the 10x council. Every database it made is dropped.

A benchmark, not a test: it exits 0 once the figures are printed, and marks each target missed.
Environment: BENCH_DATABASE_URL, BENCH_WORKERS (2), BENCH_REQUESTS (timed, per page and scale:
60), BENCH_CROWD (20), BENCH_CROWD_SECONDS (30), BENCH_PACKS and BENCH_IMPORTS ("false" leaves
them out, for quick runs while working on pages), BENCH_PACK_REPEATS,
BENCH_AGENDA_PACK_REPEATS, BENCH_IMPORT_ROWS.
"""

import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench_setup import (
    BenchError,
    configure_environment,
    copy_url,
    create_database,
    drop_databases,
    make_session,
    progress,
    setup_django,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/delivery_unit_bench"
SCALES = (1, 10)
PACKS = os.environ.get("BENCH_PACKS", "true").lower() != "false"
IMPORTS = os.environ.get("BENCH_IMPORTS", "true").lower() != "false"


@dataclass(frozen=True)
class Scale:
    """One council size, built and copied into its own database, ready to serve."""

    factor: int
    database_url: str
    description: str
    paths: dict[str, str]  # page name: path
    cookies: list[str]  # signed-in sessions of the unit analyst: one per person
    analyst_pk: int
    pack: object | None
    agenda_packs: list


def main() -> int:
    started = time.perf_counter()
    # Other work on the machine (a test run, say) shares its cores: say how busy it was.
    load_before = os.getloadavg()[0]
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    copies = {factor: copy_url(database_url, f"{factor}x") for factor in SCALES}
    with tempfile.TemporaryDirectory() as workdir:
        configure_environment(database_url, workdir)
        try:
            create_database(database_url)
            setup_django()
            scales = [prepare(factor, copies[factor]) for factor in SCALES]
            # The working database still holds the last (largest) council, already copied.
            imports = []
            if IMPORTS:
                from bench_packs import time_imports

                imports = time_imports(scales[-1].analyst_pk, scales[-1].factor)
            pages, crowd = measure(scales, Path(workdir))
        finally:
            drop_databases([database_url, *copies.values()])
    report(scales, pages, crowd, imports, load_before)
    print(f"\nmake bench took {time.perf_counter() - started:.0f} s.")
    return 0


def prepare(factor: int, database_url: str) -> Scale:
    """Build the council in the working database, time its pack, and copy it for serving."""
    from bench_council import build_council, describe_council, page_paths
    from bench_load import CROWD
    from django.core.management import call_command
    from django.db import connections

    progress(f"{factor}x: building the council...")
    call_command("flush", interactive=False, verbosity=0)
    council = build_council(factor)
    cookies = [make_session(council.analyst) for _ in range(max(1, CROWD))]
    pack, agenda_packs = None, []
    if PACKS:
        from bench_packs import AGENDA_SIZES, time_agenda_packs, time_pack

        progress(f"{factor}x: timing the stocktake pack...")
        pack = time_pack(council.stocktake)
        if factor == SCALES[-1]:
            sizes = " and ".join(map(str, AGENDA_SIZES))
            progress(f"{factor}x: timing packs of {sizes} priorities...")
            agenda_packs = time_agenda_packs(council.analyst)
    description = describe_council()
    paths = page_paths(council)
    # A database is copied only while nobody is connected to it.
    connections.close_all()
    create_database(database_url, template_url=os.environ["DATABASE_URL"])
    return Scale(
        factor,
        database_url,
        description,
        paths,
        cookies,
        council.analyst.pk,
        pack,
        agenda_packs,
    )


def measure(scales: list[Scale], workdir: Path):
    from bench_load import CROWD, measure_crowd, measure_pages

    pages = measure_pages(
        {scale.factor: scale.database_url for scale in scales},
        {scale.factor: scale.paths for scale in scales},
        {scale.factor: scale.cookies[0] for scale in scales},
        workdir,
    )
    large = scales[-1]
    crowd = None
    if CROWD:
        crowd = measure_crowd(
            large.database_url, list(large.paths.values()), large.cookies[:CROWD], workdir
        )
    return pages, crowd


def report(scales: list[Scale], pages, crowd, imports, load_before: float) -> None:
    import bench_report

    large = scales[-1]
    bench_report.print_header({s.factor: s.description for s in scales}, load_before)
    missed = bench_report.print_pages(pages, large.paths)
    if crowd is not None:
        missed += bench_report.print_crowd(crowd, large.factor)
    if PACKS:
        missed += bench_report.print_pack_table({s.factor: s.pack for s in scales})
        missed += bench_report.print_agenda_pack_table(large.factor, large.agenda_packs)
    if IMPORTS:
        bench_report.print_import_table(large.factor, imports)
    bench_report.print_targets(missed)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        # Not a missed target: the figures could not be measured at all.
        sys.exit(f"make bench could not measure: {error}")
