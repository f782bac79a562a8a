"""Stamps of what has been written: for keys of the shared cache that change with the data.

A stamp of some tables is each table's largest id and number of rows, read in one query. Tables
that only grow, one row for every change (django-simple-history's records of a model, the
trajectories' revisions, the challenge log), give a stamp that changes with every change to what
they record. The number of rows as well as the largest id, because two transactions may commit
out of the order of their ids. Which tables name what a page keeps is the page's to say
(priorities.indicators.kept, priorities.rounds.moderation).
"""

from typing import cast

from django.db import connection, models


def _table(model: type[models.Model]) -> tuple[str, str]:
    return model._meta.db_table, cast(str, model._meta.pk.column)


def stamp(*tables: type[models.Model]) -> str:
    """One query, whatever the number of tables: "latest.count" for each, joined by colons."""
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT MAX({quote(column)}), COUNT(*) FROM {quote(table)}"  # noqa: S608 (model names)
        for table, column in map(_table, tables)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        found = cursor.fetchall()
    return ":".join(f"{latest or 0}.{count}" for latest, count in found)
