"""`make bench`: page times under concurrent load at 1x and 10x the demo, the pack's cost, and the
time to import 10,000 rows.

The script creates a PostgreSQL database (BENCH_DATABASE_URL), migrates it, and for each scale
builds the council there with `load_demo --scale 1` and `--scale 10` (bench_council.py says what
1x and 10x hold), times the stocktake pack and copies the database for that scale. It then serves
each copy with gunicorn as deployed (DEBUG off, sync workers, the psycopg pool on) on a free
loopback port, and concurrent clients, each signed in with its own session, request every main
page. The requests come in rounds, each page at 1x then at 10x, so that other work on the machine
weighs on both scales alike.

For each page it prints median and 95th-percentile times twice: the server's own time per
request (gunicorn's access log `%(D)s`, so the application is not touched) and the response time
on loopback seen by the clients. For the pack it prints the whole pipeline (queries, template,
WeasyPrint) beside WeasyPrint alone on the same HTML; and, in the largest council, packs of 10
and 30 agenda priorities with their time split into gathering the data and rendering the HTML,
WeasyPrint alone on that HTML, and the whole pipeline, with each PDF's pages and size.

Before serving, in the working database (which still holds the 10x council, already copied), it
times importing three CSV files of 10,000 rows through the code that `manage.py import_actuals`
and the browser import share (priorities/indicators/imports.py): every row new (periods before the
council's data), every row revised (the latest 10,000 actuals as the export writes them, each
value raised by one), and that file again, every row unchanged. Each file is imported once, as
the unit analyst, since importing changes the data; the preview (read_file and plan_import) is
timed apart from applying (apply_import, which checks again under lock and writes, keeping every
earlier value in history). Every database it made is dropped.

A benchmark, not a test: it exits 0 once the figures are printed, and marks each target missed.
Environment: BENCH_DATABASE_URL (its name must contain "bench", as it is dropped), BENCH_CLIENTS,
BENCH_WORKERS, BENCH_REQUESTS (timed, per page and scale), BENCH_PACK_REPEATS,
BENCH_AGENDA_PACK_REPEATS, BENCH_IMPORT_ROWS.
"""

import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/delivery_unit_bench"
SCALES = (1, 10)
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
ROUNDS = 5
PER_CLIENT = max(1, int(os.environ.get("BENCH_REQUESTS", "200")) // (ROUNDS * CLIENTS))
TIMED_REQUESTS = PER_CLIENT * CLIENTS * ROUNDS  # per page and scale
WARM_UP_REQUESTS = 10  # per client, page and scale: imports, templates and pool warm first
PACK_REPEATS = int(os.environ.get("BENCH_PACK_REPEATS", "7"))
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
# Packs of these many agenda priorities are timed in the largest council.
AGENDA_SIZES = (10, 30)
AGENDA_PACK_REPEATS = int(os.environ.get("BENCH_AGENDA_PACK_REPEATS", "3"))
REQUEST_TIMEOUT = 30  # seconds; a hung server fails the run instead of stalling it

P95_TARGET_MS = 100.0
GROWTH_TARGET = 1.5
PACK_TARGET = 1.25

# The access log line gunicorn writes per request: status, microseconds, path, query string.
ACCESS_LOG_FORMAT = "%(s)s %(D)s %(U)s %(q)s"
WARM_UP_QUERY = "warm-up"


class BenchError(Exception):
    """The benchmark could not measure what it set out to (not a missed target)."""


@dataclass(frozen=True)
class Percentiles:
    p50: float
    p95: float

    @classmethod
    def of(cls, milliseconds: list[float]) -> "Percentiles":
        p95 = statistics.quantiles(milliseconds, n=20, method="inclusive")[-1]
        return cls(statistics.median(milliseconds), p95)


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


@dataclass(frozen=True)
class Scale:
    """One council size, built and copied into its own database, ready to serve."""

    factor: int
    database_url: str
    description: str
    paths: dict[str, str]  # page name: path
    cookies: list[str]  # one signed-in session per client
    pack: PackTimes
    analyst_pk: int
    agenda_packs: list[AgendaPackTimes]


@dataclass(frozen=True)
class PageTimes:
    server: Percentiles
    loopback: Percentiles


def main() -> int:
    started = time.perf_counter()
    # Other work on the machine (a test run, say) shares its cores: say how busy it was.
    load_before = os.getloadavg()[0]
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    copies = {factor: copy_url(database_url, factor) for factor in SCALES}
    with tempfile.TemporaryDirectory() as workdir:
        configure_environment(database_url, workdir)
        try:
            create_database(database_url)
            setup_django()
            scales = [prepare(factor, copies[factor]) for factor in SCALES]
            # The working database still holds the last (largest) council, already copied.
            imports = time_imports(scales[-1])
            pages = measure_pages(scales, Path(workdir))
        finally:
            drop_databases([database_url, *copies.values()])
    print_report(scales, pages, imports, load_before)
    print(f"\nmake bench took {time.perf_counter() - started:.0f} s.")
    return 0


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def configure_environment(database_url: str, static_root: str) -> None:
    """Production settings, except plain HTTP on loopback and no manifest (pages are timed
    without their static files, so no collectstatic; an empty STATIC_ROOT keeps WhiteNoise from
    warning). Set before Django starts, and inherited by gunicorn."""
    os.environ.update(
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        STATIC_MANIFEST="false",
        STATIC_ROOT=static_root,
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="delivery_unit.settings",
        # The script's own connection needs no pool (one thread); gunicorn turns it back on.
        DATABASE_POOL="false",
    )
    sys.path.insert(0, str(ROOT))


# Databases ---------------------------------------------------------------------------------


def database_name(database_url: str) -> str:
    name = urlsplit(database_url).path.lstrip("/")
    if "bench" not in name:
        raise BenchError(f"Refusing to drop and recreate {name!r}: its name must contain 'bench'.")
    return name


def copy_url(database_url: str, factor: int) -> str:
    path = f"/{database_name(database_url)}_{factor}x"
    return urlunsplit(urlsplit(database_url)._replace(path=path))


def run_on_server(database_url: str, statement: sql.Composable) -> None:
    """On the server's maintenance database: a database cannot create or drop itself."""
    params = conninfo_to_dict(database_url) | {"dbname": "postgres"}
    with psycopg.connect(**params, autocommit=True) as connection:
        connection.execute(statement)


def create_database(database_url: str, template_url: str | None = None) -> None:
    drop_databases([database_url])
    name = sql.Identifier(database_name(database_url))
    if template_url is None:
        run_on_server(database_url, sql.SQL("CREATE DATABASE {}").format(name))
    else:
        template = sql.Identifier(database_name(template_url))
        statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(name, template)
        run_on_server(database_url, statement)


def drop_databases(database_urls: list[str]) -> None:
    for url in database_urls:
        name = sql.Identifier(database_name(url))
        run_on_server(url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


# Councils ----------------------------------------------------------------------------------


def setup_django() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    progress("Migrating the benchmark database...")
    call_command("migrate", interactive=False, verbosity=0)


def prepare(factor: int, database_url: str) -> Scale:
    """Build the council in the working database, time its pack, and copy it for serving."""
    from bench_council import build_council
    from django.core.management import call_command
    from django.db import connections

    progress(f"{factor}x: building the council...")
    call_command("flush", interactive=False, verbosity=0)
    council = build_council(factor)
    description = describe_council()
    paths = page_paths(council)
    cookies = [make_session(council.analyst) for _ in range(CLIENTS)]
    progress(f"{factor}x: timing the stocktake pack...")
    pack = time_pack(council.stocktake)
    agenda_packs = []
    if factor == SCALES[-1]:
        progress(f"{factor}x: timing packs of {' and '.join(map(str, AGENDA_SIZES))} priorities...")
        agenda_packs = time_agenda_packs(council.analyst)
    # A database is copied only while nobody is connected to it.
    connections.close_all()
    create_database(database_url, template_url=os.environ["DATABASE_URL"])
    return Scale(
        factor, database_url, description, paths, cookies, pack, council.analyst.pk, agenda_packs
    )


def describe_council() -> str:
    from plans.models import PlanSection, PlanVersion
    from priorities.indicators.models import Actual, Indicator, TrajectoryPoint
    from priorities.models import Priority
    from priorities.rounds.models import RoundEntry
    from stocktakes.models import AgendaItem, Stocktake

    return (
        f"{Priority.objects.count()} priorities, {Indicator.objects.count()} indicators, "
        f"{TrajectoryPoint.objects.count()} trajectory points, {Actual.objects.count()} actuals "
        f"({Actual.history.count()} history rows), {RoundEntry.objects.count()} round ratings, "
        f"{PlanVersion.objects.count()} plan versions ({PlanSection.history.count()} section "
        "history rows), "
        f"{Stocktake.objects.count()} stocktakes with {AgendaItem.objects.count()} agenda items"
    )


def page_paths(council) -> dict[str, str]:
    from django.urls import reverse

    from priorities.rounds.models import Round

    agreed = Round.objects.agreed().newest_first().first()
    in_progress = Round.objects.filter(status=Round.Status.OPEN).first()
    return {
        "home": reverse("home"),
        "delivery report": reverse("assessment:report"),
        "moderation": reverse("assessment:moderation", kwargs={"pk": agreed.pk}),
        "rating": reverse(
            "assessment:entry", kwargs={"pk": in_progress.pk, "slug": council.priority.slug}
        ),
        "rating history": reverse(
            "priorities:rating_history", kwargs={"slug": council.priority.slug}
        ),
        "register": reverse("priorities:register"),
        "priority": council.priority.get_absolute_url(),
        "indicator": reverse("priorities:indicator", kwargs={"code": council.indicator.code}),
        "data": reverse("priorities:data", kwargs={"slug": council.priority.slug}),
        "plan": reverse("plans:detail", kwargs={"slug": council.priority.slug}),
        "stocktakes": reverse("stocktakes:list"),
        "stocktake": council.stocktake.get_absolute_url(),
    }


def make_session(user) -> str:
    """A signed-in session made directly, as Django's login() would, so that Argon2 stays out of
    the way. One per client: every request saves its session, and clients sharing one would
    queue on its row."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "delivery_unit.signin.PasswordBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


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


def time_imports(scale: Scale) -> list[ImportTimes]:
    """New rows, then revised ones, then the revised file again (so unchanged), as the unit
    analyst, in the working database that holds ``scale``'s council."""
    from bench_council import new_rows_file, revised_rows_file

    from delivery_unit.models import User
    from priorities.indicators.imports import Change

    analyst = User.objects.get(pk=scale.analyst_pk)
    progress(f"{scale.factor}x: timing imports of {IMPORT_ROWS:,} rows...")
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


def measure_pages(scales: list[Scale], workdir: Path) -> dict[int, dict[str, PageTimes]]:
    logs = {scale.factor: workdir / f"access-{scale.factor}x.log" for scale in scales}
    with ExitStack() as servers:
        ports = {
            scale.factor: servers.enter_context(serve(scale.database_url, logs[scale.factor]))
            for scale in scales
        }
        loopback = load_in_rounds(scales, ports)
    # Read once the servers have stopped, so that every line is written.
    return {
        scale.factor: page_times(scale, read_access_log(logs[scale.factor]), loopback[scale.factor])
        for scale in scales
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(database_url: str, access_log: Path) -> Iterator[int]:
    """gunicorn's sync workers as the README deploys them, one per client so that no request
    waits for a free worker; stopped on leaving, whatever happened."""
    port = free_port()
    command = [
        *(sys.executable, "-m", "gunicorn", "delivery_unit.wsgi"),
        *("--chdir", str(ROOT), "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)),
        *("--access-logfile", str(access_log), "--access-logformat", ACCESS_LOG_FORMAT),
        *("--log-level", "warning"),
    ]
    environment = os.environ | {"DATABASE_URL": database_url, "DATABASE_POOL": "true"}
    server = subprocess.Popen(command, cwd=ROOT, env=environment)  # noqa: S603 (our own command)
    try:
        wait_until_healthy(server, port)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_healthy(server: subprocess.Popen, port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited with status {server.returncode} at start-up.")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request("GET", "/health/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass  # not listening yet
        finally:
            connection.close()
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer /health/ within {timeout:.0f} s.")


def load_in_rounds(scales: list[Scale], ports: dict[int, int]) -> dict[int, dict[str, list[float]]]:
    """Each page's loopback times (ms) per scale. Warm-up requests carry a query string so
    that the access log can leave them out."""
    times: dict[int, dict[str, list[float]]] = {scale.factor: {} for scale in scales}
    for scale in scales:
        for path in scale.paths.values():
            load(ports[scale.factor], f"{path}?{WARM_UP_QUERY}", scale.cookies, WARM_UP_REQUESTS)
    for number in range(1, ROUNDS + 1):
        progress(f"Round {number} of {ROUNDS}: {PER_CLIENT * CLIENTS} requests per page and scale")
        for name in scales[0].paths:
            for scale in scales:
                page = load(ports[scale.factor], scale.paths[name], scale.cookies, PER_CLIENT)
                times[scale.factor].setdefault(name, []).extend(page)
    return times


def load(port: int, target: str, cookies: list[str], per_client: int) -> list[float]:
    """One client per cookie, all at once, each sending ``per_client`` requests."""
    with ThreadPoolExecutor(max_workers=len(cookies)) as pool:
        runs = pool.map(partial(client, port, target, count=per_client), cookies)
        return [ms for times in runs for ms in times]


def client(port: int, target: str, cookie: str, *, count: int) -> list[float]:
    """One browser: requests one after another on a kept-alive connection (http.client opens a
    new one by itself when the server closes it, as gunicorn's sync workers do)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    times = []
    try:
        for _ in range(count):
            start = time.perf_counter()
            connection.request("GET", target, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            times.append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                raise BenchError(f"GET {target} answered {response.status}, not 200.")
    finally:
        connection.close()
    return times


def read_access_log(access_log: Path) -> dict[str, list[float]]:
    """Each path's server times in milliseconds, from the timed requests only."""
    times: dict[str, list[float]] = {}
    for line in access_log.read_text().splitlines():
        status, microseconds, path, *query = line.split()
        if status == "200" and not query:
            times.setdefault(path, []).append(int(microseconds) / 1000)
    return times


def page_times(
    scale: Scale, server: dict[str, list[float]], loopback: dict[str, list[float]]
) -> dict[str, PageTimes]:
    if missing := [path for path in scale.paths.values() if path not in server]:
        raise BenchError(f"gunicorn's access log has no timed requests for {missing}.")
    return {
        name: PageTimes(Percentiles.of(server[path]), Percentiles.of(loopback[name]))
        for name, path in scale.paths.items()
    }


# Report ------------------------------------------------------------------------------------


def mark(met: bool) -> str:
    return "ok" if met else "MISSED"


def print_report(
    scales: list[Scale],
    pages: dict[int, dict[str, PageTimes]],
    imports: list[ImportTimes],
    load_before: float,
) -> None:
    small, large = scales
    print(f"\nBenchmark: 1x and {large.factor}x the demo council, on PostgreSQL")
    print(
        f"  Machine: {os.cpu_count()} cores, load average {load_before:.1f} at the start "
        "(anything above 0 is other work competing with the benchmark for the cores)."
    )
    for scale in scales:
        print(f"  {scale.factor}x: {scale.description}")
    print(
        f"  Load: gunicorn with {WORKERS} sync workers per scale (DEBUG off, psycopg pool on); "
        f"{CLIENTS} concurrent clients, each with its own session as a unit analyst; "
        f"{TIMED_REQUESTS} timed requests per page and scale, in {ROUNDS} rounds alternating "
        f"the scales, after {WARM_UP_REQUESTS * CLIENTS} untimed ones."
    )
    print(
        "\nServer time per request, ms (gunicorn's own: from reading the request to sending "
        "the response)"
    )
    before, after = pages[small.factor], pages[large.factor]
    server = {name: (before[name].server, after[name].server) for name in large.paths}
    missed = print_page_table(small, large, server, with_targets=True)
    print(
        "\nResponse time on loopback, ms (seen by the clients, which share the cores with the "
        "server; for comparison, no targets)"
    )
    loopback = {name: (before[name].loopback, after[name].loopback) for name in large.paths}
    print_page_table(small, large, loopback, with_targets=False)
    missed += print_pack_table(scales)
    missed += print_agenda_pack_table(large)
    print_import_table(large, imports)
    print("\nTargets: " + ("all met." if not missed else f"{len(missed)} MISSED:"))
    for line in missed:
        print(f"  MISSED {line}")


def print_page_table(
    small: Scale,
    large: Scale,
    rows: dict[str, tuple[Percentiles, Percentiles]],
    *,
    with_targets: bool,
) -> list[str]:
    """One line per page (its times at the small and the large scale); with targets, a mark
    beside each figure, and the list of those missed."""
    x1, x10 = f"{small.factor}x", f"{large.factor}x"
    targets = f"  p95<{P95_TARGET_MS:.0f}ms  growth<{GROWTH_TARGET}" if with_targets else ""
    print(
        f"{'page':<11}{'path':<44}{x1 + ' p50':>8}{x1 + ' p95':>8}{x10 + ' p50':>9}"
        f"{x10 + ' p95':>9}{f'p95 {x10}/{x1}':>12}{targets}"
    )
    missed = []
    for name, (before, after) in rows.items():
        growth = after.p95 / before.p95
        line = (
            f"{name:<11}{large.paths[name]:<44}{before.p50:>8.1f}{before.p95:>8.1f}"
            f"{after.p50:>9.1f}{after.p95:>9.1f}{growth:>12.2f}"
        )
        if with_targets:
            line += f"  {mark(after.p95 < P95_TARGET_MS):<10}{mark(growth < GROWTH_TARGET)}"
            if after.p95 >= P95_TARGET_MS:
                missed.append(f"{name}: p95 {after.p95:.1f} ms at {x10}, target < 100 ms")
            if growth >= GROWTH_TARGET:
                missed.append(f"{name}: p95 grew {growth:.2f}x from {x1} to {x10}, target < 1.5")
        print(line)
    return missed


def print_pack_table(scales: list[Scale]) -> list[str]:
    print(
        f"\nStocktake pack, ms (median of {PACK_REPEATS}): whole pipeline (render_pack_pdf) "
        "beside WeasyPrint alone on the same HTML (render_pdf)"
    )
    header = f"{'scale':<7}{'agenda':>7}{'pipeline':>10}{'WeasyPrint':>12}{'ratio':>7}"
    print(f"{header}  ratio<={PACK_TARGET}")
    missed = []
    for scale in scales:
        pack = scale.pack
        met = pack.ratio <= PACK_TARGET
        print(
            f"{f'{scale.factor}x':<7}{pack.agenda_items:>7}{pack.pipeline_ms:>10.0f}"
            f"{pack.weasyprint_ms:>12.0f}{pack.ratio:>7.2f}  {mark(met)}"
        )
        if not met:
            missed.append(f"pack at {scale.factor}x: pipeline {pack.ratio:.2f}x WeasyPrint alone")
    return missed


def print_agenda_pack_table(scale: Scale) -> list[str]:
    print(
        f"\nPacks by agenda size at {scale.factor}x, ms (median of {AGENDA_PACK_REPEATS}): "
        "gathering the data and rendering the HTML, WeasyPrint alone on that HTML, the whole "
        "pipeline; the PDF's pages and size"
    )
    print(
        f"{'agenda':>7}{'gather+HTML':>13}{'WeasyPrint':>12}{'pipeline':>10}{'ratio':>7}"
        f"{'pages':>7}{'KB':>7}  ratio<={PACK_TARGET}"
    )
    missed = []
    for pack in scale.agenda_packs:
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


def print_import_table(scale: Scale, imports: list[ImportTimes]) -> None:
    print(
        f"\nImporting a CSV file at {scale.factor}x, ms (one run each, as the unit analyst; no "
        "target): reading, checking and previewing (read_file + plan_import) beside applying "
        "(apply_import: checks again under lock, then writes with history)"
    )
    print(f"{'rows':>7}  {'each row':<10}{'file KB':>8}{'preview':>10}{'apply':>10}{'total':>10}")
    for run in imports:
        print(
            f"{run.rows:>7}  {run.change:<10}{run.kilobytes:>8}{run.preview_ms:>10.0f}"
            f"{run.apply_ms:>10.0f}{run.preview_ms + run.apply_ms:>10.0f}"
        )


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        # Not a missed target: the figures could not be measured at all.
        sys.exit(f"make bench could not measure: {error}")
