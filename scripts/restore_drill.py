#!/usr/bin/env python
"""The restore drill: proves that a backup restores, byte for byte.

    DRILL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/delivery_unit_drill \
        .venv/bin/python scripts/restore_drill.py

Creates two PostgreSQL databases named from DRILL_DATABASE_URL (the name must contain "drill"):
<name>_source and <name>_restored. Fills the source with `migrate` and `load_demo` (which
includes an issued stocktake pack, an issued review report and an evidence file), backs it up
with scripts/backup, restores the backup into the second database and an empty media folder
with scripts/restore, then compares: every table's row count and a checksum of its contents
(md5 of its rows as text, in order), and the SHA-256 of every issued pack and report (PDF and
HTML) and of every evidence file. Prints what it compared; exits 1 on any difference. Drops
both databases at the end.
"""

import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent


def database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin(base: str, statement: sql.Composable) -> None:
    with psycopg.connect(database_url(base, "postgres"), autocommit=True) as connection:
        connection.execute(statement)


def run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603 (the drill runs its own scripts)
        command, cwd=ROOT, env=os.environ | env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def table_sums(url: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and an md5 of its rows as text, sorted: equal only if every row
    is equal."""
    sums = {}
    with psycopg.connect(url) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        for table in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                " FROM {} AS t"
            ).format(sql.Identifier(table))
            count, digest = connection.execute(query).fetchone()
            sums[table] = (count, digest)
    return sums


def document_hashes(url: str) -> dict[str, str]:
    """SHA-256 of each issued pack's and report's PDF and HTML, by table and number."""
    hashes = {}
    with psycopg.connect(url) as connection:
        for table, owner in (
            ("stocktakes_issuedpack", "stocktake_id"),
            ("reviews_issuedreport", "review_id"),
        ):
            query = sql.SQL("SELECT {}, number, pdf, html FROM {}").format(
                sql.Identifier(owner), sql.Identifier(table)
            )
            for parent, number, pdf, html in connection.execute(query):
                key = f"{table} {parent} v{number}"
                hashes[f"{key} pdf"] = hashlib.sha256(pdf).hexdigest()
                hashes[f"{key} html"] = hashlib.sha256(html).hexdigest()
    return hashes


def evidence_hashes(url: str, media_root: Path) -> dict[str, str]:
    """SHA-256 of every evidence file the database names, read from the media folder."""
    with psycopg.connect(url) as connection:
        names = [row[0] for row in connection.execute("SELECT file FROM reviews_evidence")]
    return {name: hashlib.sha256((media_root / name).read_bytes()).hexdigest() for name in names}


def main() -> int:
    base = os.environ.get(
        "DRILL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/delivery_unit_drill"
    )
    name = urlsplit(base).path.lstrip("/")
    if "drill" not in name:
        sys.exit("DRILL_DATABASE_URL's database name must contain 'drill': it is dropped.")
    source, restored = f"{name}_source", f"{name}_restored"
    source_url, restored_url = database_url(base, source), database_url(base, restored)
    started = time.monotonic()
    for database in (source, restored):
        admin(base, sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(database)))
        admin(base, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    try:
        with tempfile.TemporaryDirectory(prefix="restore-drill-") as scratch:
            scratch = Path(scratch)
            source_media, restored_media = scratch / "media", scratch / "restored-media"
            app = {
                "DATABASE_URL": source_url,
                "MEDIA_ROOT": str(source_media),
                "DEBUG": "true",
                "TASKS_BACKEND": "immediate",
                "DATABASE_POOL": "false",
            }
            python = sys.executable
            run([python, "manage.py", "migrate", "--no-input"], app)
            run([python, "manage.py", "load_demo", "--not-production"], app)
            folder = run(["scripts/backup", str(scratch / "backups")], app).strip()
            run(
                ["scripts/restore", folder],
                {"DATABASE_URL": restored_url, "MEDIA_ROOT": str(restored_media)},
            )

            before, after = table_sums(source_url), table_sums(restored_url)
            documents = document_hashes(source_url)
            evidence = evidence_hashes(source_url, source_media)
            problems = [
                f"table {table}: {before[table]} before, {after.get(table)} after"
                for table in before
                if before[table] != after.get(table)
            ]
            problems += [f"table {table} appeared" for table in after.keys() - before.keys()]
            restored_documents = document_hashes(restored_url)
            problems += [
                f"{key}: SHA-256 differs"
                for key in documents
                if documents[key] != restored_documents.get(key)
            ]
            restored_evidence = evidence_hashes(restored_url, restored_media)
            problems += [
                f"evidence {key}: SHA-256 differs"
                for key in evidence
                if evidence[key] != restored_evidence.get(key)
            ]
            packs = sum(1 for key in documents if key.startswith("stocktakes") and "pdf" in key)
            reports = sum(1 for key in documents if key.startswith("reviews") and "pdf" in key)
            if not (packs and reports and evidence):
                problems.append("the source lacks an issued pack, an issued report or evidence")
            sizes = {path.name: path.stat().st_size for path in Path(folder).iterdir()}
    finally:
        for database in (source, restored):
            admin(base, sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(database)))

    rows = sum(count for count, _ in before.values())
    print(
        f"Backup: database.dump {sizes['database.dump']:,} bytes, "
        f"media.tar.gz {sizes['media.tar.gz']:,} bytes"
    )
    print(f"Tables compared: {len(before)} ({rows:,} rows), row counts and content checksums")
    print(f"Issued packs: {packs}, issued reports: {reports} (PDF and HTML SHA-256 each)")
    print(f"Evidence files: {len(evidence)} (SHA-256 each)")
    print(f"Took {time.monotonic() - started:.0f} s")
    if problems:
        print("RESTORE DRILL FAILED:")
        for problem in problems:
            print(f"  {problem}")
        return 1
    print("Restore drill passed: the restored copy is identical.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
