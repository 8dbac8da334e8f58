"""Visit periods: calendar blocks of N months aligned on 1 January (3 = calendar quarters, 1 = months)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

ALLOWED_MONTHS = (1, 2, 3, 4, 6, 12)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # last day, inclusive

    @property
    def label(self) -> str:
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        if months == 3:
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        if months == 1:
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start:%Y-%m-%d}—{self.end:%Y-%m-%d}"


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_of(day: datetime.date, months: int = 3) -> Period:
    if months not in ALLOWED_MONTHS:
        raise ValueError(f"visit period must divide the year: {months}")
    start = datetime.date(day.year, (day.month - 1) // months * months + 1, 1)
    return Period(start, _add_months(start, months) - datetime.timedelta(days=1))


def period_after(day: datetime.date, months: int = 3) -> Period:
    """The period that follows the one containing `day`."""
    return period_of(period_of(day, months).end + datetime.timedelta(days=1), months)


def quarter_of(day: datetime.date) -> Period:
    return period_of(day, 3)


QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)


def parse_quarter(text: str) -> Period:
    """'2026Q2' or '2026-Q2' -> that calendar quarter."""
    match = QUARTER.match(text.strip())
    if not match:
        raise ValueError(text)
    year, quarter = int(match.group(1)), int(match.group(2))
    return quarter_of(datetime.date(year, quarter * 3 - 2, 1))
