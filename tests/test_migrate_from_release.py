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
# Tables whose rows a migration is meant to change, compared on their own below.
OWN_CHECKS = {"django_migrations", "django_content_type"}


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


def _tables(connection: psycopg.Connection) -> dict[str, tuple[int, str]]:
    """Every table's row count and the md5 of its rows, as text, in order."""
    names = [
        row[0]
        for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    ]
    found = {}
    for name in names:
        query = sql.SQL(
            "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) "
            "FROM {} AS t"
        ).format(sql.Identifier(name))
        count, checksum = connection.execute(query).fetchone()
        found[name] = (count, checksum)
    return found


def _content_types(connection: psycopg.Connection) -> set[tuple]:
    return set(connection.execute("SELECT id, app_label, model FROM django_content_type"))


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
        before = _tables(connection)
        types_before = _content_types(connection)
    assert before["priorities_priority"][0] > 0, "the dump holds the demo"
    assert before["priorities_judgement"][0] > 0, "the dump holds judgements to move"

    _migrate(release_database)

    with _connect(release_database) as connection:
        after = _tables(connection)
        types_after = _content_types(connection)
        applied = {
            row[0] for row in connection.execute("SELECT app || '.' || name FROM django_migrations")
        }

    expected = {RENAMED.get(name, name): value for name, value in before.items()}
    assert set(after) == set(expected), "no table is lost and none is left behind"
    for name in sorted(set(expected) - OWN_CHECKS):
        assert after[name] == expected[name], f"{name}: (rows, md5) changed in the migration"

    # The moved models' content types now name their new app (same ids, so permissions,
    # history and generic links still reach them); no other content type changed.
    moved = {old.removeprefix("priorities_") for old in RENAMED}
    relabelled = {
        (id_, "assessment" if app == "priorities" and model in moved else app, model)
        for id_, app, model in types_before
    }
    assert types_after == relabelled
    assert "assessment.0001_initial" in applied
    assert after["django_migrations"][0] > before["django_migrations"][0]
