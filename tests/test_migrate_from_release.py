"""A database holding the demo at the last released schema migrates to this one without losing
or changing a row.

tests/data/release-demo.sql.gz was made by scripts/make-release-dump (the released code, migrated,
`load_demo --scale 1`, pg_dump). It is restored into a database of its own, `manage.py migrate`
runs on it as a deployment would, and every table's row count and a checksum of its contents
must be as before, under the table's new name where a model moved app.
"""

import gzip
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
DUMP = ROOT / "tests" / "data" / "release-demo.sql.gz"

# Models that moved app since the release, so their tables were renamed.
RENAMED = {
    f"priorities_{name}": f"assessment_{name}"
    for name in [
        "framework",
        "judgementarea",
        "level",
        "scorecard",
        "judgement",
        "historicaljudgement",
        "challenge",
    ]
}
# Tables created since the release: the edit history of models that had none, and the record
# of hand-overs, by (app, model). They must be there, and empty (a migration writes no history);
# each new model gets a content type and four permissions, and nothing else is new.
NEW_MODELS = {
    ("delivery_unit", "historicaluser"),
    ("delivery_unit", "handedover"),
    ("priorities", "historicalpriority"),
    ("priorities", "historicalpriority_service_staff"),
    ("priorities", "historicalindicator"),
    ("plans", "historicaldeliveryplan"),
    ("plans", "historicaldeliveryplan_writers"),
    ("reviews", "historicalteammember"),
    ("reviews", "historicalevidence"),
    ("stocktakes", "historicalstocktake"),
    ("stocktakes", "historicalstocktake_chairs"),
    ("stocktakes", "historicalstocktake_attendees"),
}
NEW_TABLES = {f"{app}_{model}" for app, model in NEW_MODELS}
# Tables whose rows a migration is meant to change, compared on their own below.
OWN_CHECKS = {"django_migrations", "django_content_type", "auth_permission"}
# Columns added since the release: the rows are compared on the columns they had before, and
# these are the only new ones.
ADDED_COLUMNS = {"delivery_unit_user": {"oidc_subject"}}


def _server() -> dict:
    database = settings.DATABASES["default"]
    return {
        "host": database.get("HOST") or "127.0.0.1",
        "port": database.get("PORT") or 5432,
        "user": database.get("USER") or "postgres",
        "password": database.get("PASSWORD") or None,
    }


def _connect(dbname: str) -> psycopg.Connection:
    return psycopg.connect(dbname=dbname, autocommit=True, **_server())


@pytest.fixture
def release_database():
    """A database restored from the release dump, dropped afterwards."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("The release dump is a PostgreSQL dump.")
    name = f"delivery_unit_release_{uuid.uuid4().hex[:12]}"
    with _connect("postgres") as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        server = _server()
        environment = {**os.environ, "PGPASSWORD": server["password"] or ""}
        subprocess.run(
            [
                shutil.which("psql") or "psql",
                "--quiet",
                "--no-psqlrc",
                "--set=ON_ERROR_STOP=1",
                f"--host={server['host']}",
                f"--port={server['port']}",
                f"--username={server['user']}",
                f"--dbname={name}",
            ],
            input=gzip.decompress(DUMP.read_bytes()),
            env=environment,
            check=True,
            capture_output=True,
        )
        yield name
    finally:
        with _connect("postgres") as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _columns(connection: psycopg.Connection) -> dict[str, list[str]]:
    """Every table's columns, in their order."""
    found: dict[str, list[str]] = {}
    for table, column in connection.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
    ):
        found.setdefault(table, []).append(column)
    return found


def _tables(
    connection: psycopg.Connection, columns: dict[str, list[str]]
) -> dict[str, tuple[int, str]]:
    """Every table's row count and the md5 of its rows (the given columns, as text), in order."""
    found = {}
    for name, names in columns.items():
        row = sql.SQL("ROW({})::text").format(
            sql.SQL(", ").join(sql.Identifier("t", column) for column in names)
        )
        query = sql.SQL(
            "SELECT count(*), md5(coalesce(string_agg({row}, E'\\n' ORDER BY {row}), '')) "
            "FROM {table} AS t"
        ).format(row=row, table=sql.Identifier(name))
        count, checksum = connection.execute(query).fetchone()
        found[name] = (count, checksum)
    return found


def _content_types(connection: psycopg.Connection) -> set[tuple]:
    return set(connection.execute("SELECT id, app_label, model FROM django_content_type"))


def _permissions(connection: psycopg.Connection) -> set[tuple]:
    return set(
        connection.execute("SELECT id, codename, content_type_id, name FROM auth_permission")
    )


def _released_name(name: str) -> str:
    return {new: old for old, new in RENAMED.items()}.get(name, name)


def _migrate(name: str) -> None:
    server = _server()
    user = server["user"] + (f":{server['password']}" if server["password"] else "")
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{user}@{server['host']}:{server['port']}/{name}",
        "DATABASE_POOL": "false",
        "DEBUG": "true",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
    )


def test_the_released_demo_migrates_without_losing_or_changing_a_row(release_database):
    with _connect(release_database) as connection:
        columns_before = _columns(connection)
        before = _tables(connection, columns_before)
        types_before = _content_types(connection)
        permissions_before = _permissions(connection)
    assert before["priorities_priority"][0] > 0, "the dump holds the demo"
    assert before["priorities_judgement"][0] > 0, "the dump holds judgements to move"

    _migrate(release_database)

    with _connect(release_database) as connection:
        columns_after = _columns(connection)
        # Compared on the columns each table had at the release, under its new name.
        after = _tables(
            connection,
            {
                RENAMED.get(name, name): names
                for name, names in columns_before.items()
                if RENAMED.get(name, name) in columns_after
            },
        )
        added = {
            name: set(names) - set(columns_before.get(_released_name(name), []))
            for name, names in columns_after.items()
        }
        types_after = _content_types(connection)
        permissions_after = _permissions(connection)
        new_rows = {
            name: connection.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(name))
            ).fetchone()[0]
            for name in NEW_TABLES & set(columns_after)
        }
        applied = {
            row[0] for row in connection.execute("SELECT app || '.' || name FROM django_migrations")
        }

    expected = {RENAMED.get(name, name): value for name, value in before.items()}
    assert set(columns_after) == set(expected) | NEW_TABLES, (
        "no table is lost, none is left behind, and the only new ones are named above"
    )
    assert not NEW_TABLES & set(expected), "the new tables were not in the release"
    assert new_rows == dict.fromkeys(NEW_TABLES, 0), "the new tables start empty"
    assert {name: new for name, new in added.items() if new and name not in NEW_TABLES} == (
        ADDED_COLUMNS
    ), "the only new columns are the ones named above"
    for name, names in columns_before.items():
        assert set(names) <= set(columns_after[RENAMED.get(name, name)]), f"{name} lost a column"
    for name in sorted(set(expected) - OWN_CHECKS):
        assert after[name] == expected[name], f"{name}: (rows, md5) changed in the migration"

    # The moved models' content types now name their new app (same ids, so permissions,
    # history and generic links still reach them); no other content type changed.
    moved = {old.removeprefix("priorities_") for old in RENAMED}
    relabelled = {
        (id_, "assessment" if app == "priorities" and model in moved else app, model)
        for id_, app, model in types_before
    }
    old_ids = {id_ for id_, _, _ in types_before}
    assert {row for row in types_after if row[0] in old_ids} == relabelled
    new_types = {row for row in types_after if row[0] not in old_ids}
    assert {(app, model) for _, app, model in new_types} == NEW_MODELS

    # Every permission the release had is there unchanged; the new ones are the new models'
    # four each.
    new_type_ids = {id_ for id_, _, _ in new_types}
    assert {row for row in permissions_after if row[2] not in new_type_ids} == permissions_before
    new_permissions = [row for row in permissions_after if row[2] in new_type_ids]
    assert len(new_permissions) == 4 * len(NEW_MODELS)
    assert "assessment.0001_initial" in applied
    assert after["django_migrations"][0] > before["django_migrations"][0]
