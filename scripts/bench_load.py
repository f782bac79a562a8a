"""Serving and loading for `make bench`: gunicorn as deployed (sync workers, production
settings, gunicorn.conf.py) on a free loopback port, one signed-in analyst at a time requesting
each page interleaved with the bare Django page, and the crowd of twenty people reading.

Server time is gunicorn's own per request (its access log's `%(D)s`: from reading the request to
sending the response), so the application is not touched; the response time seen on loopback
is kept beside it. The crowd's figures are the response times people wait, queueing included."""

import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench_setup import BARE_PATH, BENCH_SETTINGS, ROOT, SCRIPTS, BenchError, progress

WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
ROUNDS = 5
PER_ROUND = max(1, int(os.environ.get("BENCH_REQUESTS", "60")) // ROUNDS)
TIMED_REQUESTS = PER_ROUND * ROUNDS  # per page and scale, and as many of the bare page beside
WARM_UP_REQUESTS = 5  # per page and scale: imports, templates and pool warm first
REQUEST_TIMEOUT = 30  # seconds; a hung server fails the run instead of stalling it
CROWD = int(os.environ.get("BENCH_CROWD", "20"))
CROWD_SECONDS = float(os.environ.get("BENCH_CROWD_SECONDS", "30"))
READING_SECONDS = (0.5, 1.5)

# The access log line gunicorn writes per request: status, microseconds, path, query string.
ACCESS_LOG_FORMAT = "%(s)s %(D)s %(U)s %(q)s"
WARM_UP_QUERY = "warm-up"
BARE = "bare Django"


@dataclass(frozen=True)
class Percentiles:
    p50: float
    p95: float

    @classmethod
    def of(cls, milliseconds: list[float]) -> "Percentiles":
        p95 = statistics.quantiles(milliseconds, n=20, method="inclusive")[-1]
        return cls(statistics.median(milliseconds), p95)


@dataclass(frozen=True)
class PageTimes:
    server: Percentiles
    loopback: Percentiles


@dataclass(frozen=True)
class CrowdTimes:
    people: int
    seconds: float
    requests: int
    errors: list[str]
    waited: Percentiles  # response time on loopback: what people wait, queueing included
    server: Percentiles

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def measure_pages(
    urls: dict[int, str], paths: dict[int, dict[str, str]], cookie: dict[int, str], workdir: Path
) -> dict[int, dict[str, PageTimes]]:
    """Each page's times per scale, the bare page's under BARE. ``urls``, ``paths`` and
    ``cookie``: each scale's database, page paths and the analyst's session."""
    logs = {factor: workdir / f"access-{factor}x.log" for factor in urls}
    with ExitStack() as servers:
        ports = {
            factor: servers.enter_context(serve(url, logs[factor])) for factor, url in urls.items()
        }
        loopback = load_in_rounds(ports, paths, cookie)
    # Read once the servers have stopped, so that every line is written.
    results = {}
    for factor in urls:
        server = read_access_log(logs[factor])
        targets = paths[factor] | {BARE: BARE_PATH}
        if missing := [path for path in targets.values() if path not in server]:
            raise BenchError(f"gunicorn's access log has no timed requests for {missing}.")
        results[factor] = {
            name: PageTimes(Percentiles.of(server[path]), Percentiles.of(loopback[factor][name]))
            for name, path in targets.items()
        }
    return results


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(database_url: str, access_log: Path) -> Iterator[int]:
    """gunicorn's sync workers as the README deploys them (gunicorn.conf.py included), with the
    bench settings; stopped on leaving, whatever happened."""
    port = free_port()
    command = [
        *(sys.executable, "-m", "gunicorn", "delivery_unit.wsgi"),
        *("--chdir", str(ROOT), "--pythonpath", str(SCRIPTS)),
        *("--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)),
        *("--access-logfile", str(access_log), "--access-logformat", ACCESS_LOG_FORMAT),
        *("--log-level", "warning"),
    ]
    environment = os.environ | {
        "DATABASE_URL": database_url,
        "DATABASE_POOL": "true",
        "DJANGO_SETTINGS_MODULE": BENCH_SETTINGS,
    }
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


class Browser:
    """One signed-in person: requests one after another on a kept-alive connection (http.client
    opens a new one by itself when the server closes it, as gunicorn's sync workers do)."""

    def __init__(self, port: int, cookie: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        self.cookie = cookie

    def get(self, target: str) -> tuple[int, float]:
        """The status and the response time in milliseconds."""
        start = time.perf_counter()
        self.connection.request("GET", target, headers={"Cookie": self.cookie})
        response = self.connection.getresponse()
        response.read()
        return response.status, (time.perf_counter() - start) * 1000

    def ok(self, target: str) -> float:
        status, milliseconds = self.get(target)
        if status != 200:
            raise BenchError(f"GET {target} answered {status}, not 200.")
        return milliseconds

    def close(self) -> None:
        self.connection.close()


def load_in_rounds(
    ports: dict[int, int], paths: dict[int, dict[str, str]], cookie: dict[int, str]
) -> dict[int, dict[str, list[float]]]:
    """Each page's loopback times (ms) per scale, one analyst at a time: in each round, every
    page at each scale in turn, each request followed by one of the bare page on the same server.
    Warm-up requests carry a query string so that the access log can leave them out."""
    browsers = {factor: Browser(port, cookie[factor]) for factor, port in ports.items()}
    times: dict[int, dict[str, list[float]]] = {factor: {BARE: []} for factor in ports}
    try:
        for factor, browser in browsers.items():
            for path in [*paths[factor].values(), BARE_PATH]:
                for _ in range(WARM_UP_REQUESTS):
                    browser.ok(f"{path}?{WARM_UP_QUERY}")
        names = list(next(iter(paths.values())))
        for number in range(1, ROUNDS + 1):
            progress(f"Round {number} of {ROUNDS}: {PER_ROUND} requests per page and scale")
            for name in names:
                for factor, browser in browsers.items():
                    page = times[factor].setdefault(name, [])
                    for _ in range(PER_ROUND):
                        page.append(browser.ok(paths[factor][name]))
                        times[factor][BARE].append(browser.ok(BARE_PATH))
    finally:
        for browser in browsers.values():
            browser.close()
    return times


def read_access_log(access_log: Path) -> dict[str, list[float]]:
    """Each path's server times in milliseconds, from the timed requests only."""
    times: dict[str, list[float]] = {}
    for line in access_log.read_text().splitlines():
        status, microseconds, path, *query = line.split()
        if status == "200" and not query:
            times.setdefault(path, []).append(int(microseconds) / 1000)
    return times


# The crowd -------------------------------------------------------------------------------


def measure_crowd(database_url: str, paths: list[str], cookies: list[str], workdir: Path):
    """Twenty people (BENCH_CROWD) at once for CROWD_SECONDS, each opening a main page then
    reading it for 0.5 to 1.5 s, on a server warmed up first."""
    log = workdir / "access-crowd.log"
    with serve(database_url, log) as port:
        browser = Browser(port, cookies[0])
        try:
            for path in paths:
                for _ in range(WARM_UP_REQUESTS):
                    browser.ok(f"{path}?{WARM_UP_QUERY}")
        finally:
            browser.close()
        progress(f"The crowd: {len(cookies)} people reading for {CROWD_SECONDS:.0f} s...")
        results: list[list[tuple[int, float]]] = [[] for _ in cookies]
        errors: list[str] = []
        deadline = time.monotonic() + CROWD_SECONDS
        people = [
            threading.Thread(
                target=_person,
                args=(port, cookie, paths, deadline, results[number], errors, number),
            )
            for number, cookie in enumerate(cookies)
        ]
        for person in people:
            person.start()
        for person in people:
            person.join()
    waited = [ms for person in results for status, ms in person]
    errors += [f"status {status}" for person in results for status, _ in person if status != 200]
    server = [ms for times in read_access_log(log).values() for ms in times]
    if not waited or not server:
        raise BenchError("The crowd made no requests.")
    return CrowdTimes(
        people=len(cookies),
        seconds=CROWD_SECONDS,
        requests=len(waited),
        errors=errors,
        waited=Percentiles.of(waited),
        server=Percentiles.of(server),
    )


def _person(port, cookie, paths, deadline, results, errors, seed) -> None:
    """One reader: a page, then 0.5 to 1.5 s reading it, until the deadline; starts at a random
    moment in the first second, as people do not arrive together."""
    chance = random.Random(seed)  # noqa: S311 (timing, not security)
    browser = Browser(port, cookie)
    time.sleep(chance.uniform(0, 1))
    try:
        while time.monotonic() < deadline:
            try:
                results.append(browser.get(chance.choice(paths)))
            except OSError as error:
                errors.append(f"{type(error).__name__}: {error}")
                browser.close()
                browser = Browser(port, cookie)
            time.sleep(chance.uniform(*READING_SECONDS))
    finally:
        browser.close()
