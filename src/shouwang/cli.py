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

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["shouwang", *(args or ["help"])])


if __name__ == "__main__":
    main()
