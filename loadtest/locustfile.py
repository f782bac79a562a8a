"""The load test: signed-in people doing what they do, in realistic proportions.

Run by scripts/loadtest (`make loadtest`), against gunicorn with production settings on the 10x
council (`load_demo --scale 10`). Readers read the register, priorities and the delivery report;
analysts draft ratings with autosave; leads enter grid values and edit plan sections; one unit
member issues a stocktake pack part-way through, laid out by the worker.

Besides Locust's own figures it counts saves: a 409 is a conflicting save (each simulated person
works on their own things, so any 409 is a fault), and a save whose text is not there when read
back is a lost save. Both are printed at the end and written to loadtest-saves.txt.
"""

import html
import itertools
import os
import re
import time
from datetime import date
from html.parser import HTMLParser

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("DEMO_PASSWORD", "delivery-demo")
PACK_AFTER_SECONDS = float(os.environ.get("PACK_AFTER_SECONDS", "240"))
SAVES = {"saved": 0, "conflicts": 0, "lost": 0, "pack_seconds": None, "pack_status": "not run"}
LOST: dict[str, int] = {}  # lost saves by kind: "data grid", "plan section", "rating"
_numbers = itertools.count()


class Form(HTMLParser):
    """The fields of the first form on a page whose action contains ``action`` (or any form)."""

    def __init__(self, action: str = "") -> None:
        super().__init__()
        self.want, self.inside, self.done = action, False, False
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and self.want in (a.get("action") or ""):
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.fields[name] = a.get("value", "on")
            elif kind != "submit":
                self.fields[name] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_of(html: str, action: str = "") -> dict[str, str]:
    parser = Form(action)
    parser.feed(html)
    return parser.fields


CELL_LABEL = re.compile(r'<label class="govuk-visually-hidden" for="(cell-[^"]+)">([^<]*)</label>')


def period_end(input_id: str, label: str) -> tuple[int, int] | None:
    """The (year, month) after a grid cell's period: its first month from the input's id
    (`cell-<indicator>-2026-10`), its length from the label's period words ("Nov 2026" a month,
    "2026/27 Q3" a quarter, "2026/27" a year of the council's reporting year, whatever month
    that year starts in)."""
    first = re.search(r"-(\d{4})-(\d{2})$", input_id)
    words = label.rsplit(", ", 1)[-1]
    if first is None:
        return None
    if re.fullmatch(r"[A-Z][a-z]{2} \d{4}", words):
        months = 1
    elif re.fullmatch(r"\d{4}/\d{2} Q[1-4]", words):
        months = 3
    elif re.fullmatch(r"\d{4}/\d{2}", words):
        months = 12
    else:
        return None
    index = int(first[1]) * 12 + int(first[2]) - 1 + months
    return index // 12, index % 12 + 1


def closed_cells(page: str) -> list[str]:
    """The grid's inputs for periods that have ended: a lead enters a figure once its period
    closes (the grid refuses one for a period still running, with the date it can be entered)."""
    today = date.today()
    names = []
    for input_id, label in CELL_LABEL.findall(page):
        end = period_end(input_id, html.unescape(label))
        if end is not None and end <= (today.year, today.month):
            names.append("a-" + input_id.removeprefix("cell-"))
    return names


def lost(kind: str) -> None:
    SAVES["lost"] += 1
    LOST[kind] = LOST.get(kind, 0) + 1


class Person(HttpUser):
    abstract = True
    usernames: list[str] = []

    def on_start(self) -> None:
        self.number = next(_numbers)
        self.username = self.usernames[self.number % len(self.usernames)]
        page = self.client.get("/sign-in/", name="sign in")
        token = form_of(page.text, "").get("csrfmiddlewaretoken", "")
        self.client.post(
            "/sign-in/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="sign in",
            headers={"Referer": self.host + "/sign-in/"},
        )
        self.csrf = self.client.cookies.get("csrftoken", "")

    def post(self, url: str, data: dict, name: str, htmx: bool = False):
        headers = {"X-CSRFToken": self.csrf, "Referer": self.host + url}
        if htmx:
            headers["HX-Request"] = "true"
        with self.client.post(
            url, data, headers=headers, name=name, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code == 409:
                SAVES["conflicts"] += 1
                response.success()  # counted as a conflict, not as an error
            elif response.status_code < 400:
                SAVES["saved"] += 1
                response.success()
            else:
                response.failure(f"{response.status_code}")
            return response


class Reader(Person):
    """Leadership and the unit reading: the register, a priority, the delivery report."""

    weight = 5
    wait_time = between(2, 6)
    usernames = ["chief", "leader", "unitlead"]

    def on_start(self) -> None:
        super().on_start()
        register = self.client.get("/priorities/", name="register")
        self.slugs = sorted(set(re.findall(r'href="/priorities/([a-z0-9-]+)/"', register.text)))

    @task(3)
    def register(self):
        self.client.get("/priorities/", name="register")

    @task(4)
    def priority(self):
        slug = self.slugs[int(time.time() * 1000) % len(self.slugs)]
        self.client.get(f"/priorities/{slug}/", name="priority")

    @task(2)
    def report(self):
        self.client.get("/assessment/report/", name="delivery report")

    @task(1)
    def home(self):
        self.client.get("/", name="home")


class Analyst(Person):
    """Drafting a priority's rating in the open round: autosave on each change."""

    weight = 2
    wait_time = between(3, 8)
    usernames = ["analyst"]

    def on_start(self) -> None:
        super().on_start()
        rounds = self.client.get("/assessment/rounds/", name="rounds")
        found = re.findall(r'href="(/assessment/rounds/\d+/)"', rounds.text)
        self.entry = None
        for round_url in found:
            page = self.client.get(round_url, name="round")
            entries = sorted(set(re.findall(rf'href="({round_url}[a-z0-9-]+/)"', page.text)))
            drafts = [
                url
                for url in entries
                if url.rsplit("/", 2)[1] not in {"moderation", "start-moderation", "agree"}
            ]
            if drafts:
                self.entry = drafts[self.number % len(drafts)]
                break

    @task
    def draft_rating(self):
        if self.entry is None:
            return
        page = self.client.get(self.entry, name="rating entry")
        fields = form_of(page.text, self.entry)
        rationale = next((k for k in fields if k.endswith("-rationale")), None)
        if rationale is None or "version" not in fields:
            return  # proposed already: nothing to draft
        text = f"Drafted by person {self.number} at {time.time():.3f}."
        fields[rationale] = text
        response = self.post(self.entry, fields, "rating autosave", htmx=True)
        if response.status_code < 400:
            again = self.client.get(self.entry, name="rating entry")
            if text not in again.text:
                lost("rating")


class Lead(Person):
    """A priority lead entering data in the grid and editing a section of a draft plan."""

    weight = 3
    wait_time = between(3, 8)
    usernames = ["lead", "lead2", "lead3", "lead4"]

    def on_start(self) -> None:
        super().on_start()
        # The home page lists the priorities this person leads, each linking to its plan: look
        # only at those (the register lists all eighty, and under load a search through it took
        # the whole run, so no save was posted).
        home = self.client.get("/", name="home")
        slugs = sorted(set(re.findall(r'href="/priorities/([a-z0-9-]+)/plan/"', home.text)))
        self.grids, self.sections = [], []
        # Stop at the first priority this lead may enter data for and the first draft section,
        # starting at a different place for each person.
        start = (self.number * 3) % max(len(slugs), 1)
        for slug in slugs[start:] + slugs[:start]:
            if self.grids and self.sections:
                break
            if not self.grids:
                grid = self.client.get(f"/priorities/{slug}/data/", name="data grid")
                if 'class="app-grid-form"' in grid.text:
                    self.grids.append(slug)
            if not self.sections:
                plan = self.client.get(f"/priorities/{slug}/plan/", name="plan")
                self.sections += re.findall(
                    rf'href="(/priorities/{slug}/plan/versions/\d+/sections/[a-z_]+/)"', plan.text
                )
        self.sections = sorted(set(self.sections))

    @task(2)
    def enter_data(self):
        if not self.grids:
            return
        slug = self.grids[self.number % len(self.grids)]
        url = f"/priorities/{slug}/data/"
        page = self.client.get(url, name="data grid")
        fields = form_of(page.text, url)
        cells = sorted(k for k in closed_cells(page.text) if k in fields)
        if not cells:
            return
        cell = cells[(self.number * 7) % len(cells)]
        value = str(1000 + (int(time.time()) % 997))
        fields[cell] = value
        response = self.post(url, fields, "data grid save")
        if response.status_code < 400:
            again = self.client.get(url, name="data grid")
            # The grid shows a stored figure as the plan reads: "1,234", "12.5%", "£1,234".
            shown = form_of(again.text, url).get(cell, "")
            if re.sub(r"[,%£]", "", shown) != value:
                lost("data grid")

    @task(1)
    def edit_section(self):
        if not self.sections:
            return
        url = self.sections[self.number % len(self.sections)]
        page = self.client.get(url, name="plan section")
        fields = form_of(page.text, url)
        if "text" not in fields:
            return
        text = f"Revised by person {self.number} at {time.time():.3f}."
        fields["text"] = text
        response = self.post(url, fields, "plan section save")
        if response.status_code < 400:
            again = self.client.get(url, name="plan section")
            if text not in again.text:
                lost("plan section")

    @task(2)
    def read(self):
        self.client.get("/", name="home")


class PackIssuer(Person):
    """One unit member who issues the planned stocktake's pack part-way through the run."""

    fixed_count = 1
    wait_time = between(5, 10)
    usernames = ["unitlead"]

    def on_start(self) -> None:
        super().on_start()
        self.started = time.monotonic()
        self.issued = False

    @task
    def issue_pack(self):
        if self.issued or time.monotonic() - self.started < PACK_AFTER_SECONDS:
            self.client.get("/stocktakes/", name="stocktakes")
            return
        self.issued = True
        listing = self.client.get("/stocktakes/", name="stocktakes")
        for pk in sorted(set(re.findall(r'href="/stocktakes/(\d+)/"', listing.text)), key=int):
            detail = f"/stocktakes/{pk}/"
            page = self.client.get(detail, name="stocktake")
            if f"/stocktakes/{pk}/pack/generate/" not in page.text:
                continue  # held already: its pack is fixed
            issued = [int(n) for n in re.findall(rf"/stocktakes/{pk}/pack/v(\d+)\.pdf", page.text)]
            following = max(issued, default=0) + 1
            data = {"issue": "yes"} | (
                {"reason": "Issued again in the load test."} if issued else {}
            )
            began = time.monotonic()
            self.post(f"/stocktakes/{pk}/pack/generate/", data, "pack issue")
            SAVES["pack_status"] = f"version {following} queued"
            while time.monotonic() - began < 300:
                time.sleep(2)
                state = self.client.get(detail, name="stocktake")
                if f"/stocktakes/{pk}/pack/v{following}.pdf" in state.text:
                    SAVES["pack_seconds"] = round(time.monotonic() - began, 1)
                    SAVES["pack_status"] = f"version {following} issued"
                    break
            return


@events.test_stop.add_listener
def _report(environment, **kwargs) -> None:
    lines = [
        f"saves accepted: {SAVES['saved']}",
        f"conflicting saves (409): {SAVES['conflicts']}",
        f"lost saves (not there when read back): {SAVES['lost']}"
        + (f" ({', '.join(f'{kind}: {n}' for kind, n in sorted(LOST.items()))})" if LOST else ""),
        f"pack: {SAVES['pack_status']}, {SAVES['pack_seconds']} s from request to issued",
    ]
    print("\n".join(lines))
    with open("loadtest-saves.txt", "w") as out:
        out.write("\n".join(lines) + "\n")
