"""Numbers read from a request, in one place: ASCII digits only.

Python's ``int()`` and ``str.isdigit()`` take far more than a person means by a number:
``int("١٢٣")`` is 123, ``"²".isdigit()`` is true and ``int("²")`` then fails, and a twenty-digit
id overflows a database integer. Every id, version number and value a request carries is read
here (ids, version numbers) or matched by ``NUMBER`` (values in the grid and the import).
"""

import re

# A decimal as people type it: an optional sign, digits with or without thousands commas, an
# optional fraction. ASCII digits only (re.ASCII: \d is [0-9]).
NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d*)?$", re.ASCII)
_DIGITS = re.compile(r"[0-9]{1,18}")  # below 2**63: fits every integer column


def parse_id(text: object) -> int | None:
    """The whole number in ``text`` (an id, a version number), or None if it is not one:
    ASCII digits only, no sign, no spaces, at most 18 digits."""
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str) or not _DIGITS.fullmatch(text):
        return None
    return int(text)


def is_number(text: str) -> bool:
    """Whether ``text`` is a decimal as ``NUMBER`` reads it, with at least one digit."""
    return bool(NUMBER.match(text)) and any("0" <= c <= "9" for c in text)
