"""A county of a million persons is a 1.4 GB SQLite file: every connection maps as much of it as SQLite
can (0x7fff0000 bytes), so the coverage run's passes over persons, records and facts past the first
gigabyte read pages from the OS cache instead of one system call each."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

MOST_SQLITE_MAPS = 0x7FFF0000

SHOW = ("import django; django.setup(); from django.db import connection; c = connection.cursor();"
        " c.execute('PRAGMA mmap_size'); print(c.fetchone()[0])")


def test_a_sqlite_connection_maps_the_most_sqlite_can(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOUWANG_")}
    env |= {"DJANGO_SETTINGS_MODULE": "shouwang.settings", "SHOUWANG_VAR_DIR": str(tmp_path / "var"),
            "SHOUWANG_DATABASE_URL": f"sqlite:///{tmp_path / 'county.sqlite3'}"}
    result = subprocess.run([sys.executable, "-c", SHOW], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) == MOST_SQLITE_MAPS
