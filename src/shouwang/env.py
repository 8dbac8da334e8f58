"""Typed readers for SHOUWANG_* environment variables that fail loudly on bad values."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


class ConfigError(RuntimeError):
    """A setting has a value the application cannot use."""


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ConfigError(f"{name} must be set")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not an integer") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_key(var_dir: Path) -> str:
    """SHOUWANG_SECRET_KEY, or one generated once and kept under var/ for the embedded default."""
    configured = os.environ.get("SHOUWANG_SECRET_KEY")
    if configured:
        if len(configured) < 32:
            raise ConfigError("SHOUWANG_SECRET_KEY must be at least 32 characters")
        return configured
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        _write_once(key_file, secrets.token_urlsafe(50))
    return key_file.read_text().strip()


def _write_once(path: Path, text: str) -> None:
    """Create `path` with `text` (mode 0600) unless another process got there first.

    Gunicorn workers may start together on a fresh install: the key is written to a private temporary
    file and hard-linked into place, which fails if the file exists, so every process reads one key.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    try:
        with contextlib.suppress(FileExistsError):  # another process won the race: keep its key
            os.link(tmp, path)
    finally:
        tmp.unlink()
