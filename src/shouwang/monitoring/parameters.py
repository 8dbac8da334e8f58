"""Monitoring parameters and terms, read by year and county. Rows are data; the defaults below only apply
when a county has kept none (a fresh install still behaves like the 2022 plan)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from shouwang.monitoring.models import MonitoringParameters, Term


@dataclass(frozen=True)
class Parameters:
    notice_days: int = 5
    lead_limit_days: int = 15
    exit_min_months: int = 6
    income_line: Decimal = Decimal("6000")
    year: int | None = None  # the parameter year used; None = built-in defaults


def parameters_for(county_code: str, year: int) -> Parameters:
    row = (
        MonitoringParameters.objects.filter(county_code=county_code, year__lte=year).order_by("-year").first()
    )
    if row is None:
        return Parameters()
    return Parameters(
        notice_days=row.notice_days,
        lead_limit_days=row.lead_limit_days,
        exit_min_months=row.exit_min_months,
        income_line=row.income_line,
        year=row.year,
    )


def income_line_for(county_code: str, year: int) -> Decimal:
    """The monitoring income line: the screening app's parameter when it exists, else ours."""
    try:
        from shouwang.screening.selectors import parameters_for as screening_parameters  # type: ignore[attr-defined]
    except ImportError:
        return parameters_for(county_code, year).income_line
    line = getattr(screening_parameters(county_code, year), "income_line", None)
    return Decimal(str(line)) if line is not None else parameters_for(county_code, year).income_line


DEFAULT_TERMS = {"monitored_object": _("监测对象")}
# The national terms are data (Term rows) but have English translations; a county's own term shows as typed.
NATIONAL_TERMS = (gettext_noop("监测对象"), gettext_noop("防止返贫致贫对象"))


def term_for(key: str, *, on: datetime.date, county_code: str = "") -> str:
    """The label of a term in force on a day; the county's own row wins over the general one."""
    rows = Term.objects.filter(key=key, effective_from__lte=on, county_code__in=[county_code, ""])
    row = rows.order_by("-effective_from", "-county_code").first()
    if row is not None:
        return row.label
    return str(DEFAULT_TERMS.get(key, key))


def monitored_term(user: Any = None, on: datetime.date | None = None) -> str:
    """The one helper the UI uses for the term: by today's date and the user's county."""
    from django.utils import timezone

    area = getattr(user, "area", None)
    county = area.county_code if area is not None and area.level != 1 else getattr(area, "code", "")
    return gettext(term_for("monitored_object", on=on or timezone.localdate(), county_code=county or ""))
