"""Checks on a page's HTML that every server-side test can make."""

from collections import Counter
from html.parser import HTMLParser


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.ids.extend(value for name, value in attrs if name == "id" and value)


def duplicate_ids(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    return sorted(value for value, count in Counter(parser.ids).items() if count > 1)
