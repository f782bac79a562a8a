"""Walks every page a person can reach by following links from their home page, and measures
each at the widths people use: a page wider than its window scrolls sideways."""

import re
from collections.abc import Iterator
from urllib.parse import urldefrag, urlparse

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

WIDTHS = (1280, 390)
# Files and documents rather than pages (CSV, Excel, PDF, the stored HTML of an issued
# document, which has its own print layout), and sign-out.
NOT_PAGES = re.compile(
    r"(\.csv|\.xlsx|\.pdf|\.html|/pdf/|/csv/|/xlsx/|/html/|/file/|/download/|/export/|sign-out)"
)
MAX_PAGES = 120


def shape(path: str) -> str:
    """One page of each kind: `/stocktakes/3/` and `/stocktakes/4/` are the same layout, as
    are two priorities' plans or two indicators' pages."""
    path = re.sub(r"^/priorities/(?!import/|indicators/)[^/]+/", "/priorities/S/", path)
    path = re.sub(r"/indicators/[^/]+/", "/indicators/C/", path)
    return re.sub(r"/\d+(?=/)", "/N", path)


def reachable(
    page: Page, base_url: str, start: str = "/", refused: list[str] | None = None
) -> Iterator[str]:
    """Every same-site page linked from `start` and from the pages it links to, once per shape,
    breadth first. The page is left on each address as it is yielded. A link that answers
    anything but a page (403, 404) is added to `refused` with the page that showed it."""
    seen_shapes: set[str] = set()
    queue = [(start, "")]
    while queue and len(seen_shapes) < MAX_PAGES:
        path, linked_from = queue.pop(0)
        if shape(path) in seen_shapes:
            continue
        seen_shapes.add(shape(path))
        try:
            response = page.goto(base_url + path)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # a file, not a page
            raise
        if response is None or response.status != 200:
            if refused is not None:
                status = response.status if response else "no answer"
                refused.append(f"{path} ({status}), linked from {linked_from}")
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        yield path
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for href in hrefs:
            address = urlparse(urldefrag(href)[0])
            if f"{address.scheme}://{address.netloc}" != base_url:
                continue
            if NOT_PAGES.search(address.path) or address.query:
                continue
            if shape(address.path) not in seen_shapes:
                queue.append((address.path, path))


def overflow(page: Page) -> int:
    """How many pixels the document is wider than the window (0 when it fits)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


def duplicate_ids(page: Page) -> list[str]:
    return page.evaluate(
        """() => {
          const counts = {};
          for (const element of document.querySelectorAll("[id]")) {
            counts[element.id] = (counts[element.id] || 0) + 1;
          }
          return Object.keys(counts).filter((id) => counts[id] > 1).sort();
        }"""
    )
