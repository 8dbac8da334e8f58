"""Settings come from SHOUWANG_* variables; a bad value stops start-up with a message naming the variable.

Settings are read once per process, so these tests start a fresh Python for each configuration.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from shouwang.env import ConfigError, env_bool, secret_key

SHOW = "import django; django.setup(); from django.conf import settings; print({expr})"


def run_shouwang(tmp_path: Path, expr: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SHOUWANG_")}
    clean |= {"DJANGO_SETTINGS_MODULE": "shouwang.settings", "SHOUWANG_VAR_DIR": str(tmp_path / "var"), **env}
    code = SHOW.format(expr=expr)
    return subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60)


def test_bad_debug_value_stops_start_up_naming_the_variable(tmp_path):
    result = run_shouwang(tmp_path, "settings.DEBUG", SHOUWANG_DEBUG="maybe")
    assert result.returncode != 0
    assert "SHOUWANG_DEBUG" in result.stderr and "'maybe'" in result.stderr


@pytest.mark.parametrize("url", ["nonsense", "mysqlx://db/shouwang", "postgres://u:p@host:notaport/db",
                                 "postgres://u:p@host:5432/"])
def test_bad_database_url_stops_start_up_naming_the_variable(tmp_path, url):
    result = run_shouwang(tmp_path, "settings.DATABASES", SHOUWANG_DATABASE_URL=url)
    assert result.returncode != 0
    assert "SHOUWANG_DATABASE_URL" in result.stderr


def test_the_shouwang_command_reports_a_bad_setting_without_a_traceback(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SHOUWANG_")}
    clean |= {"SHOUWANG_VAR_DIR": str(tmp_path / "var"), "SHOUWANG_DEBUG": "perhaps"}
    shouwang = Path(sys.executable).parent / "shouwang"
    result = subprocess.run([str(shouwang), "check"], env=clean, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "SHOUWANG_DEBUG='perhaps'" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_accepts_the_usual_spellings(monkeypatch):
    for raw, expected in [("1", True), ("TRUE", True), ("yes", True), ("on", True), ("0", False), ("off", False)]:
        monkeypatch.setenv("SHOUWANG_DEBUG", raw)
        assert env_bool("SHOUWANG_DEBUG") is expected
    monkeypatch.setenv("SHOUWANG_DEBUG", "2")
    with pytest.raises(ConfigError, match="SHOUWANG_DEBUG"):
        env_bool("SHOUWANG_DEBUG")


def test_default_sqlite_database_runs_in_wal_mode(tmp_path):
    expr = ("settings.DATABASES['default']['NAME'], "
            "__import__('django.db').db.connection.cursor().execute('PRAGMA journal_mode').fetchone()[0]")
    result = run_shouwang(tmp_path, expr)
    assert result.returncode == 0, result.stderr
    assert str(tmp_path / "var" / "shouwang.sqlite3") in result.stdout
    assert result.stdout.split()[-1] == "wal"


def test_secret_key_is_generated_once_under_var_and_reused(tmp_path):
    first = run_shouwang(tmp_path, "settings.SECRET_KEY")
    second = run_shouwang(tmp_path, "settings.SECRET_KEY")
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    key_file = tmp_path / "var" / "secret_key"
    assert first.stdout.strip() == second.stdout.strip() == key_file.read_text().strip()
    assert len(first.stdout.strip()) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_configured_secret_key_wins_and_must_be_long(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOUWANG_SECRET_KEY", "x" * 40)
    assert secret_key(tmp_path) == "x" * 40
    assert not (tmp_path / "secret_key").exists()
    monkeypatch.setenv("SHOUWANG_SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="SHOUWANG_SECRET_KEY"):
        secret_key(tmp_path)
