"""Stamps of what has been written: for keys of the shared cache that change with the data.

A stamp of some tables is, for each table, its largest id and the number of its rows among the
latest thousand ids, read in one query. Tables that only grow, one row for every change
(django-simple-history's records of a model, the trajectories' revisions, the challenge log),
give a stamp that changes with every change to what they record. Which tables name what a page
keeps is the page's to say (priorities.indicators.kept, priorities.rounds.moderation); ``kept``
keeps it, one entry for each thing whatever the stamp.

Why the number of rows as well as the largest id: two transactions may commit out of the order
of their ids. A change written with id 100 and committed after another's id 101 would leave the
largest id as it was; the number of rows with ids in the window still grows when it commits.
Why only a window of the latest ids: counting every row would cost more with every change ever
made (1.3 ms for the 8,210 history rows of the benchmark's 10x council, growing with it); the
window costs the same at any size, read from the primary key's index. A change then goes unseen
only if a thousand other rows were written to its table and committed between its own write and
its commit, and only until the next change or the cache's timeout (CACHE_SECONDS).
"""

import hashlib
from collections.abc import Callable
from typing import cast

from django.core.cache import cache
from django.db import connection, models

WINDOW = 1000


def _table(model: type[models.Model]) -> tuple[str, str]:
    return model._meta.db_table, cast(str, model._meta.pk.column)


def stamp(*tables: type[models.Model]) -> str:
    """One query, whatever the number of tables: "latest.count" for each, joined by colons."""
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        # Names from the models, quoted; the window is this module's constant.
        f"SELECT MAX({quote(column)}), COUNT(*) FROM {quote(table)} "  # noqa: S608
        f"WHERE {quote(column)} > (SELECT COALESCE(MAX({quote(column)}), 0) - {WINDOW} "
        f"FROM {quote(table)})"
        for table, column in map(_table, tables)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        found = cursor.fetchall()
    return ":".join(f"{latest or 0}.{count}" for latest, count in found)


def kept[T](
    key: str, made_from: str, make: Callable[[], T], keep: Callable[[T], bool] | None = None
) -> T:
    """What is kept in the shared cache under ``key``, if it was made from ``made_from`` (a stamp,
    with whatever else names what it depends on); otherwise ``make()``'s value, kept there in
    its place. One entry per key, whatever the stamp: a change replaces what was kept rather
    than adding beside it, so the cache holds one entry for each thing kept (a priority's
    indicators, a round's grid), not one for every change ever made. ``keep`` may refuse to
    keep a value (one made from data read after ``made_from`` and found to differ from it)."""
    found = cache.get(key)
    if isinstance(found, tuple) and len(found) == 2 and found[0] == made_from:
        return found[1]
    value = make()
    if keep is None or keep(value):
        cache.set(key, (made_from, value))
    return value


def digest(*parts: object) -> str:
    """A short stamp of many parts (a grid's every entry and title, say), for ``kept``."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()
