"""Extension point of `shouwang demo`: after the registry is built, each app adds its own demo data.

Each step is a function (county: Area, seed: int, stdout) -> None, appended in AppConfig.ready().
"""

from __future__ import annotations

from typing import Any

DEMO_STEPS: list[Any] = []
