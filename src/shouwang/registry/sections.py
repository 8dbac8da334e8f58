"""Extension points of the household and person pages.

Each entry is a function (request, obj) -> dict | None with keys "title" and "template" (plus its own
context); apps append to these lists in their AppConfig.ready(). The registry does not import them.
"""

from __future__ import annotations

from typing import Any

HOUSEHOLD_SECTIONS: list[Any] = []
PERSON_SECTIONS: list[Any] = []
