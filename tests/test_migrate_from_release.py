"""A database holding the demo at the last released schema migrates to this one without losing
or changing a row.

tests/data/release-demo.sql.gz was made by scripts/make-release-dump (the released code, migrated,
`load_demo --scale 1`, pg_dump). It is restored into a database of its own, `manage.py migrate`
runs on it as a deployment would, and every table's row count and a checksum of its contents
must be as before, under the table's new name where a model moved app.
"""

import gzip
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

from priorities.indicators.periods import Periods

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
# Tables created since the release: the edit history of models that had none, the record of
# hand-overs, and the rhythm's, by (app, model). They must be there, and empty (a migration
# writes no history); each new model gets a content type and four permissions, and nothing
# else is new.
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
    # The unit's rhythm: what was sent and each person's choice of reminders, calendar feeds,
    # and the monthly notes.
    ("rhythm", "reminderpreference"),
    ("rhythm", "sentmessage"),
    ("forward_look", "calendarfeed"),
    ("notes", "monthlynote"),
    ("notes", "historicalmonthlynote"),
    ("notes", "issuednote"),
}
# ... and the shared cache's table (settings.CACHES), which no model describes.
NEW_TABLES = {f"{app}_{model}" for app, model in NEW_MODELS} | {"delivery_unit_cache"}
# Tables whose rows a migration is meant to change, compared on their own below: the trajectory
# revisions' period labels move from calendar quarters to the council's reporting year.
OWN_CHECKS = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "priorities_trajectoryrevision",
}
# Columns added since the release: the rows are compared on the columns they had before, and
# these are the only new ones.
ADDED_COLUMNS = {
    "delivery_unit_user": {"oidc_subject"},
    # The cabinet member as a person (linked where one matches the name typed: nobody in the
    # released demo, whose cabinet members had no accounts).
    "priorities_priority": {"portfolio_holder_id"},
    "priorities_indicator": {
        "year",
        "periods_to_confirm",
        "cumulative",
        "profile",
        "denominator",
    },
}
# A value a data migration changes: service staff, who carried the priority lead role,
# get their own. These are the people with that role who lead no priority and are named on one
# as service staff or write a plan.
SERVICE_STAFF = """
    SELECT id FROM delivery_unit_user
    WHERE role = 'priority_lead'
      AND id NOT IN (SELECT lead_id FROM priorities_priority WHERE lead_id IS NOT NULL)
      AND (id IN (SELECT user_id FROM priorities_priority_service_staff)
           OR id IN (SELECT user_id FROM plans_deliveryplan_writers))
"""


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


_REVISIONS = (
    "SELECT r.id, r.changed_at, r.reason, r.changed_by_id, r.indicator_id, i.frequency, "
    "r.before, r.after FROM priorities_trajectoryrevision r "
    "JOIN priorities_indicator i ON i.id = r.indicator_id ORDER BY r.id"
)


def _old_month(code: str) -> str:
    """The first month of a period as the release labelled it: 2025-04, 2025-Q2, 2025."""
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", code):
        return f"{match[1]}-{(int(match[2]) - 1) * 3 + 1:02d}"
    return code if "-" in code else f"{code}-01"


def _new_month(code: str, frequency: str, year: str) -> str:
    scheme = Periods.of(frequency, year)
    return scheme.parse(code).strftime("%Y-%m")


def _by_month(labels: dict, month_of) -> dict:
    return {month_of(code): value for code, value in labels.items()}


def test_the_released_demo_migrates_without_losing_or_changing_a_row(release_database):
    with _connect(release_database) as connection:
        columns_before = _columns(connection)
        before = _tables(connection, columns_before)
        types_before = _content_types(connection)
        revisions_before = list(connection.execute(_REVISIONS))
        permissions_before = _permissions(connection)
        service_staff = {row[0] for row in connection.execute(SERVICE_STAFF)}
        grace_before = dict(connection.execute("SELECT id, grace_days FROM priorities_indicator"))
    assert before["priorities_priority"][0] > 0, "the dump holds the demo"
    assert service_staff, "the dump holds service staff with the priority lead role"
    assert before["priorities_judgement"][0] > 0, "the dump holds judgements to move"

    _migrate(release_database)

    with _connect(release_database) as connection:
        moved_roles = set(
            connection.execute("SELECT id FROM delivery_unit_user WHERE role = 'service_staff'")
        )
        assert moved_roles == {(pk,) for pk in service_staff}
        # With that one change undone, every row is as it was.
        connection.execute(
            "UPDATE delivery_unit_user SET role = 'priority_lead' WHERE role = 'service_staff'"
        )
        # The other: each indicator's grace in calendar days becomes the working days it spans
        # (the release's 30 days, 21 working days); undone too before the rows are compared.
        grace_after = dict(connection.execute("SELECT id, grace_days FROM priorities_indicator"))
        assert set(grace_before.values()) == {30}, "the released demo used the default"
        assert grace_after == dict.fromkeys(grace_before, 21)
        for pk, days in grace_before.items():
            connection.execute(
                "UPDATE priorities_indicator SET grace_days = %s WHERE id = %s", (days, pk)
            )
        assert not list(
            connection.execute(
                "SELECT id FROM priorities_priority WHERE portfolio_holder_id IS NOT NULL"
            )
        ), "nobody in the released demo matched a cabinet member's name"
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
        revisions_after = list(connection.execute(_REVISIONS))
        years = dict(connection.execute("SELECT id, year FROM priorities_indicator"))
        flagged = connection.execute(
            "SELECT count(*) FROM priorities_indicator WHERE periods_to_confirm"
        ).fetchone()[0]

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

    # Every trajectory revision keeps its values against the same months: only the labels of
    # quarters moved, from calendar quarters (2025-Q2) to the reporting year's (2025/26 Q1).
    # The demo's calendar quarters are all reporting-year quarters, so none is left to confirm.
    assert flagged == 0
    assert set(years.values()) == {"reporting"}
    assert len(revisions_after) == len(revisions_before)
    relabelled_revisions = 0
    for old, new in zip(revisions_before, revisions_after, strict=True):
        assert old[:6] == new[:6], "only the labels change"
        frequency, year = old[5], years[old[4]]
        for old_labels, new_labels in ((old[6], new[6]), (old[7], new[7])):
            assert _by_month(old_labels, _old_month) == _by_month(
                new_labels, lambda code, f=frequency, y=year: _new_month(code, f, y)
            )
            relabelled_revisions += old_labels != new_labels
    assert relabelled_revisions > 0, "the dump holds quarterly revisions to relabel"
    assert after["django_migrations"][0] > before["django_migrations"][0]
