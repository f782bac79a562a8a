"""The restore drill runs in `make test`: a backup of a populated database restores into a fresh
one with every table's rows, every issued document and every evidence file identical."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def test_a_backup_restores_identically():
    base = urlsplit(os.environ["DATABASE_URL"])
    drill = urlunsplit(base._replace(path=f"{base.path}_drill"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "scripts/restore_drill.py"],
        cwd=ROOT,
        env=env | {"DRILL_DATABASE_URL": drill},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Restore drill passed: the restored copy is identical." in result.stdout
    assert "Issued packs: 1, issued reports: 1" in result.stdout
    assert "Evidence files: 1" in result.stdout
