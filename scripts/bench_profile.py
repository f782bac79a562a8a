"""`make bench-profile`: where the time goes in the slowest pages of the 10x council.

It builds the 10x council (bench_council.py) in its own PostgreSQL database (BENCH_DATABASE_URL
with "_profile" added; dropped at the end), then, in this process with production settings and
the unit analyst signed in, times every main page (median of BENCH_PROFILE_REQUESTS after a
warm-up) and profiles the slowest BENCH_PROFILE_PAGES of them with pyinstrument over that many
requests each, writing an HTML profile (open it in a browser) and a text one per page, and
timings.txt with every page's median, into PROFILE_DIR (docs/profile-after by default).
BENCH_PROFILE_KEEP=true keeps that database and profiles the council already in it on the next
run (quicker while working on a page; a change of the demo data needs it dropped).
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_setup import (
    ROOT,
    BenchError,
    configure_environment,
    copy_url,
    create_database,
    database_exists,
    drop_databases,
    progress,
    setup_django,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/delivery_unit_bench"
FACTOR = 10
REQUESTS = int(os.environ.get("BENCH_PROFILE_REQUESTS", "10"))
PAGES = int(os.environ.get("BENCH_PROFILE_PAGES", "5"))
WARM_UP = 3
KEEP = os.environ.get("BENCH_PROFILE_KEEP", "false").lower() == "true"


def main() -> int:
    base = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    database_url = copy_url(base, "profile")
    folder = Path(os.environ.get("PROFILE_DIR", ROOT / "docs" / "profile-after"))
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        configure_environment(database_url, workdir)
        built = KEEP and database_exists(database_url)
        try:
            if not built:
                create_database(database_url)
            setup_django()
            profile(folder, built=built)
        finally:
            from django.db import connections

            connections.close_all()
            if not KEEP:
                drop_databases([database_url])
    return 0


def profile(folder: Path, *, built: bool) -> None:
    from bench_council import build_council, describe_council, page_paths, the_council
    from django.test import Client
    from pyinstrument import Profiler

    if built:
        council = the_council()
    else:
        progress(f"{FACTOR}x: building the council...")
        council = build_council(FACTOR)
    paths = page_paths(council)
    client = Client()
    client.force_login(council.analyst)

    def get(path: str) -> tuple[float, float]:
        """Wall-clock and CPU milliseconds: on a shared machine the process's own CPU time is
        the steadier measure of the Python work (the database's time is in the wall clock)."""
        start, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        if response.status_code != 200:
            raise BenchError(f"GET {path} answered {response.status_code}, not 200.")
        return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000

    progress("Timing every page...")
    medians, cpu = {}, {}
    for name, path in paths.items():
        for _ in range(WARM_UP):
            get(path)
        wall, used = zip(*(get(path) for _ in range(REQUESTS)), strict=True)
        medians[name], cpu[name] = statistics.median(wall), statistics.median(used)
    slowest = sorted(cpu, key=cpu.get, reverse=True)[:PAGES]
    lines = [
        f"In-process times at {FACTOR}x ({describe_council()}), production settings, "
        f"median of {REQUESTS} requests after {WARM_UP}, ms; load average "
        f"{os.getloadavg()[0]:.1f}:",
        f"{'wall':>8}{'CPU':>8}  page",
        *(f"{medians[name]:>8.1f}{cpu[name]:>8.1f}  {name:<16}{paths[name]}" for name in paths),
        f"Profiled (the {PAGES} slowest): {', '.join(slowest)}",
    ]
    (folder / "timings.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    for name in slowest:
        progress(f"Profiling {name}...")
        profiler = Profiler(interval=0.0005)
        with profiler:
            for _ in range(REQUESTS):
                get(paths[name])
        slug = name.replace(" ", "-")
        (folder / f"{slug}.html").write_text(profiler.output(renderer=html_renderer()))
        (folder / f"{slug}.txt").write_text(
            profiler.output_text(unicode=True, color=False, short_mode=False)
        )
    print(f"Profiles written to {folder}.")


def html_renderer():
    """pyinstrument's HTML, its call tree merged and pruned of frames under 0.5% of the time, so
    that a profile of ten requests stays a file of a few hundred kilobytes."""
    from pyinstrument import processors
    from pyinstrument.renderers import HTMLRenderer

    renderer = HTMLRenderer()
    renderer.preprocessors = [
        processors.remove_importlib,
        processors.remove_tracebackhide,
        processors.aggregate_repeated_calls,
        processors.merge_consecutive_self_time,
        processors.remove_unnecessary_self_time_nodes,
        processors.remove_irrelevant_nodes,
    ]
    renderer.preprocessor_options = {"filter_threshold": 0.005}
    return renderer


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        sys.exit(f"make bench-profile could not measure: {error}")
