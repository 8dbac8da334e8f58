"""The `shouwang` operator command: Django management commands under one name.

`shouwang init --county 500243`, `shouwang serve`, `shouwang demo ...`, `shouwang createuser ...`,
and every command later parts of the system add (`shouwang screen`, `shouwang import registry ...`).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
    from django.core.management import execute_from_command_line

    from shouwang.env import ConfigError

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        execute_from_command_line(["shouwang", *(args or ["help"])])
    except ConfigError as exc:
        # A bad SHOUWANG_* value is an operator's typo, not a crash: say which variable, no traceback.
        sys.stderr.write(f"配置错误 / configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
