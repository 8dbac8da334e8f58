"""Seeded screening parameters: starting values for 2021-2026, every one shown as 待确认 until a county
administrator confirms or corrects it. Only the 2021 line (6000 yuan, the national floor) comes from the
issue; the others follow the usual yearly rise and must be checked against the county's own documents."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

INCOME_LINES = {
    2021: Decimal("6000"),
    2022: Decimal("6500"),
    2023: Decimal("6900"),
    2024: Decimal("7100"),
    2025: Decimal("7300"),
    2026: Decimal("7500"),
}

COMMON: dict[str, Any] = {
    "near_line_band": Decimal("0.5"),
    "income_drop_ratio": Decimal("0.3"),
    "rigid_spending_ratio": Decimal("0.5"),
    "transfer_share": Decimal("0.5"),
    "elderly_age": 60,
    "working_age_min": 16,
    "working_age_max": 59,
    "school_age_min": 6,
    "school_age_max": 15,
    "event_window_days": 180,
    "visit_period_months": 3,
}

# The fields a county administrator edits and a what-if may override, in display order.
PARAMETER_FIELDS = ("income_line", *COMMON)


def default_values(year: int) -> dict[str, Any]:
    """Field values for `year`: its seeded line, or the nearest seeded year's."""
    known = min(INCOME_LINES, key=lambda y: (abs(y - year), -y))
    return {
        "year": year,
        "effective_from": datetime.date(year, 1, 1),
        "income_line": INCOME_LINES[known],
        **COMMON,
        "confirmed": False,
        "note": "系统预置默认值，待确认",
    }
