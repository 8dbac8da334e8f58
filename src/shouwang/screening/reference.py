"""The rules once more, evaluated one household at a time in Python over ORM objects.

Never used on a batch path. It exists as an independent statement of the rules, to check the set-based
queries against (tests) and as the per-row baseline the benchmark compares the engine with.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from shouwang.registry.choices import ABLE_TO_WORK, CheckState, LivingStatus
from shouwang.registry.models import Household, HouseholdEvent, IncomeRecord, Person
from shouwang.screening.rules import OUT_OF_SCHOOL, age_on

Finding = tuple[str, int, int | None]  # rule code, household id, person id


def evaluate_household(household: Household, params: Any, as_of: datetime.date) -> set[Finding]:
    members = list(
        Person.objects.filter(household=household, living_status=LivingStatus.ALIVE).select_related("disability")
    )
    incomes = list(IncomeRecord.objects.filter(household=household, year__lte=params.year).order_by("-year")[:2])
    start = as_of - datetime.timedelta(days=int(params.event_window_days))
    has_event = HouseholdEvent.objects.filter(household=household, occurred_on__gte=start, occurred_on__lte=as_of).exists()
    found: set[tuple[str, int | None]] = {(code, None) for code in _household_codes(household, members, incomes, has_event, params, as_of)}
    found |= _person_findings(members, params, as_of)
    return {(code, household.pk, person) for code, person in found}


def _disabled(person: Person) -> Any:
    return getattr(person, "disability", None)


def _household_codes(household: Household, members: list[Person], incomes: list[IncomeRecord], has_event: bool,
                     params: Any, as_of: datetime.date) -> list[str]:
    codes = _income_codes(incomes, params)
    ages = {m.pk: age_on(m.birth_date, as_of) for m in members}
    disabled = [m for m in members if _disabled(m)]
    able_working = [m for m in members if m.labour_capacity in ABLE_TO_WORK
                    and params.working_age_min <= ages[m.pk] <= params.working_age_max]
    if len(disabled) >= 2:
        codes.append("MULTI_DISABLED")
    with_elderly = any(o.pk != d.pk and ages[o.pk] >= params.elderly_age for d in disabled for o in members)
    if with_elderly and not able_working:
        codes.append("ELDERLY_NO_LABOUR")
    if members and not any(m.labour_capacity in ABLE_TO_WORK for m in members):
        codes.append("NO_LABOUR")
    if household.housing_safety == CheckState.UNSAFE:
        codes.append("HOUSING_UNSAFE")
    if household.water_safety == CheckState.UNSAFE:
        codes.append("WATER_UNSAFE")
    if has_event:
        codes.append("SUDDEN_EVENT")
    return codes


def _income_codes(incomes: list[IncomeRecord], params: Any) -> list[str]:
    if not incomes:
        return []
    latest, codes = incomes[0], []
    line = Decimal(params.income_line)
    if latest.per_capita_income < line:
        codes.append("INCOME_BELOW_LINE")
    elif latest.per_capita_income < (line * (1 + Decimal(params.near_line_band))).quantize(Decimal("0.01")):
        codes.append("INCOME_NEAR_LINE")
    previous = incomes[1].per_capita_income if len(incomes) > 1 else Decimal(0)
    if previous > 0 and latest.per_capita_income <= previous * (1 - Decimal(params.income_drop_ratio)):
        codes.append("INCOME_DROP")
    if latest.rigid_spending > 0 and latest.rigid_spending >= latest.net_income * Decimal(params.rigid_spending_ratio):
        codes.append("RIGID_SPENDING")
    gross = latest.wage_income + latest.business_income + latest.property_income + latest.transfer_income
    if latest.transfer_income > 0 and latest.transfer_income > gross * Decimal(params.transfer_share):
        codes.append("TRANSFER_DEPENDENT")
    return codes


def _person_findings(members: list[Person], params: Any, as_of: datetime.date) -> set[tuple[str, int | None]]:
    found: set[tuple[str, int | None]] = set()
    for m in members:
        disability = _disabled(m)
        if disability is not None and disability.grade <= 2:
            found.add(("SEVERE_DISABILITY", m.pk))
        if params.school_age_min <= age_on(m.birth_date, as_of) <= params.school_age_max and m.schooling in OUT_OF_SCHOOL:
            found.add(("SCHOOL_DROPOUT", m.pk))
        if not m.medical_insurance:
            found.add(("NO_MEDICAL_INSURANCE", m.pk))
    return found


def evaluate(households: Any, params: Any, as_of: datetime.date) -> set[Finding]:
    """Every finding for the given households, one household at a time."""
    found: set[Finding] = set()
    for household in households:
        found |= evaluate_household(household, params, as_of)
    return found
