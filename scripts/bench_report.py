"""What `make bench` prints: each page beside the bare Django page, the crowd, the packs and the
imports, with every target marked met or MISSED."""

import os

from bench_load import (
    BARE,
    CROWD_SECONDS,
    PER_ROUND,
    READING_SECONDS,
    ROUNDS,
    TIMED_REQUESTS,
    WARM_UP_REQUESTS,
    WORKERS,
    CrowdTimes,
    PageTimes,
)
from bench_packs import AGENDA_PACK_REPEATS, PACK_REPEATS, PACK_TARGET, AgendaPackTimes, ImportTimes

RATIO_TARGET = 10.0  # median at 10x within ten times the bare Django page's
GROWTH_TARGET = 1.5  # p95 growing at most this much from 1x to 10x
CROWD_P95_TARGET_MS = 100.0


def mark(met: bool) -> str:
    return "met" if met else "MISSED"


def print_header(descriptions: dict[int, str], load_before: float) -> None:
    small, large = descriptions
    print(f"\nBenchmark: {small}x and {large}x the demo council, on PostgreSQL")
    print(
        f"  Machine: {os.cpu_count()} cores, load average {load_before:.1f} at the start "
        "(anything above 0 is other work competing with the benchmark for the cores)."
    )
    for factor, description in descriptions.items():
        print(f"  {factor}x: {description}")
    print(
        f"  Load: gunicorn with {WORKERS} sync workers per scale (production settings, "
        f"gunicorn.conf.py); one signed-in unit analyst at a time; {TIMED_REQUESTS} timed "
        f"requests per page and scale in {ROUNDS} rounds ({PER_ROUND} a page, alternating the "
        f"scales), each followed by one of the bare Django page, after {WARM_UP_REQUESTS} "
        "untimed ones."
    )


def print_pages(pages: dict[int, dict[str, PageTimes]], paths: dict[str, str]) -> list[str]:
    """Server times (gunicorn's own) with the targets, then loopback times for comparison."""
    small, large = pages
    missed = []
    for kind in ("server", "loopback"):
        if kind == "server":
            print("\nServer time per request, ms (gunicorn's own), with the targets")
        else:
            print("\nResponse time on loopback, ms (seen by the client; for comparison)")
        bare = getattr(pages[large][BARE], kind).p50
        print(
            f"{'page':<16}{'path':<42}{'1x p50':>8}{'1x p95':>8}{'10x p50':>9}{'10x p95':>9}"
            f"{'/bare':>7}{'growth':>8}"
            + (f"  /bare<={RATIO_TARGET:.0f}  growth<={GROWTH_TARGET}" if kind == "server" else "")
        )
        for name, path in [*paths.items(), (BARE, "/bench/bare/")]:
            before = getattr(pages[small][name], kind)
            after = getattr(pages[large][name], kind)
            ratio, growth = after.p50 / bare, after.p95 / before.p95
            line = (
                f"{name:<16}{path:<42}{before.p50:>8.1f}{before.p95:>8.1f}{after.p50:>9.1f}"
                f"{after.p95:>9.1f}{ratio:>7.1f}{growth:>8.2f}"
            )
            if kind == "server" and name != BARE:
                line += f"  {mark(ratio <= RATIO_TARGET):<9}{mark(growth <= GROWTH_TARGET)}"
                if ratio > RATIO_TARGET:
                    missed.append(f"{name}: median {ratio:.1f}x the bare page at {large}x")
                if growth > GROWTH_TARGET:
                    missed.append(f"{name}: p95 grew {growth:.2f}x from {small}x to {large}x")
            print(line)
    return missed


def print_crowd(crowd: CrowdTimes, factor: int) -> list[str]:
    low, high = READING_SECONDS
    print(
        f"\nThe crowd at {factor}x: {crowd.people} signed-in people for {CROWD_SECONDS:.0f} s, "
        f"each opening a main page then reading it {low}-{high} s; ms"
    )
    print(
        f"{'requests':>9}{'per s':>7}{'waited p50':>12}{'waited p95':>12}{'server p50':>12}"
        f"{'server p95':>12}{'errors':>8}  p95<{CROWD_P95_TARGET_MS:.0f}ms, no errors"
    )
    met = crowd.waited.p95 < CROWD_P95_TARGET_MS and not crowd.errors
    print(
        f"{crowd.requests:>9}{crowd.rate:>7.1f}{crowd.waited.p50:>12.1f}{crowd.waited.p95:>12.1f}"
        f"{crowd.server.p50:>12.1f}{crowd.server.p95:>12.1f}{len(crowd.errors):>8}  {mark(met)}"
    )
    for error in crowd.errors[:5]:
        print(f"  error: {error}")
    if met:
        return []
    return [f"the crowd: p95 {crowd.waited.p95:.1f} ms waited, {len(crowd.errors)} errors"]


def print_pack_table(packs: dict[int, object]) -> list[str]:
    print(
        f"\nStocktake pack, ms (median of {PACK_REPEATS}): whole pipeline (render_pack_pdf) "
        "beside WeasyPrint alone on the same HTML (render_pdf)"
    )
    header = f"{'scale':<7}{'agenda':>7}{'pipeline':>10}{'WeasyPrint':>12}{'ratio':>7}"
    print(f"{header}  ratio<={PACK_TARGET}")
    missed = []
    for factor, pack in packs.items():
        met = pack.ratio <= PACK_TARGET
        print(
            f"{f'{factor}x':<7}{pack.agenda_items:>7}{pack.pipeline_ms:>10.0f}"
            f"{pack.weasyprint_ms:>12.0f}{pack.ratio:>7.2f}  {mark(met)}"
        )
        if not met:
            missed.append(f"pack at {factor}x: pipeline {pack.ratio:.2f}x WeasyPrint alone")
    return missed


def print_agenda_pack_table(factor: int, agenda_packs: list[AgendaPackTimes]) -> list[str]:
    print(
        f"\nPacks by agenda size at {factor}x, ms (median of {AGENDA_PACK_REPEATS}): "
        "gathering the data and rendering the HTML, WeasyPrint alone on that HTML, the whole "
        "pipeline; the PDF's pages and size"
    )
    print(
        f"{'agenda':>7}{'gather+HTML':>13}{'WeasyPrint':>12}{'pipeline':>10}{'ratio':>7}"
        f"{'pages':>7}{'KB':>7}  ratio<={PACK_TARGET}"
    )
    missed = []
    for pack in agenda_packs:
        met = pack.ratio <= PACK_TARGET
        print(
            f"{pack.agenda_items:>7}{pack.gather_html_ms:>13.0f}{pack.weasyprint_ms:>12.0f}"
            f"{pack.pipeline_ms:>10.0f}{pack.ratio:>7.2f}{pack.pages:>7}{pack.kilobytes:>7}"
            f"  {mark(met)}"
        )
        if not met:
            missed.append(
                f"pack of {pack.agenda_items}: pipeline {pack.ratio:.2f}x WeasyPrint alone"
            )
    return missed


def print_import_table(factor: int, imports: list[ImportTimes]) -> None:
    print(
        f"\nImporting a CSV file at {factor}x, ms (one run each, as the unit analyst; no "
        "target): reading, checking and previewing (read_file + plan_import) beside applying "
        "(apply_import: checks again under lock, then writes with history)"
    )
    print(f"{'rows':>7}  {'each row':<10}{'file KB':>8}{'preview':>10}{'apply':>10}{'total':>10}")
    for run in imports:
        print(
            f"{run.rows:>7}  {run.change:<10}{run.kilobytes:>8}{run.preview_ms:>10.0f}"
            f"{run.apply_ms:>10.0f}{run.preview_ms + run.apply_ms:>10.0f}"
        )


def print_targets(missed: list[str]) -> None:
    print("\nTargets: " + ("all met." if not missed else f"{len(missed)} MISSED:"))
    for line in missed:
        print(f"  MISSED {line}")
