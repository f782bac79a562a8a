"""Import actuals from a CSV or XLSX file: the same checks and the same all-or-nothing write as
the browser import (priorities/indicators/imports.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from delivery_unit.models import User
from delivery_unit.versioning import Stale
from priorities.indicators.imports import (
    MAX_BYTES,
    MAX_SIZE_LABEL,
    ImportFileError,
    ImportRefused,
    apply_import,
    plan_import,
    read_file,
)


class Command(BaseCommand):
    help = (
        "Import actuals from a CSV or XLSX file (columns indicator, period, value, and optional "
        "source, as_at, provisional, note). All or nothing: if any row is bad, every bad row is "
        "listed with its line number and nothing is written."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The CSV or XLSX file.")
        parser.add_argument(
            "--user",
            help="Import as this user (their permissions apply and the history names them). "
            "Without it, the import is the system's and may enter data for every indicator.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and say what would change."
        )

    def handle(self, *args, file: str, user: str | None, dry_run: bool, **options) -> None:
        path = Path(file)
        by = None
        if user:
            try:
                by = User.objects.get(username=user)
            except User.DoesNotExist:
                raise CommandError(f"There is no user called {user!r}.") from None
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        if len(data) > MAX_BYTES:
            raise CommandError(f"{file}: the file must be smaller than {MAX_SIZE_LABEL}.")
        try:
            upload = read_file(data)
            if dry_run:
                plan = plan_import(upload, by)
            else:
                plan = apply_import(upload, by, filename=path.name)
        except ImportFileError as error:
            raise CommandError(f"{file}: {error}. Nothing was imported.") from None
        except ImportRefused as refused:
            plan = refused.plan
        except Stale:
            raise CommandError(
                f"{file}: the data changed while it was being imported, so nothing was "
                "imported. Run the command again."
            ) from None
        if plan.problems:
            for problem in plan.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(
                f"{file}: {len(plan.problems)} problem{'s' if len(plan.problems) != 1 else ''}"
                ", so nothing was imported."
            )
        for note in plan.period_notes:
            self.stdout.write(f"{file}: {note}")
        counts = plan.counts
        verb = "Checked (dry run, nothing written)" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {file}: {counts['new']} new, {counts['revised']} revised, "
            f"{counts['unchanged']} unchanged."
        )
