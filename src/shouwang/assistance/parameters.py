"""Figures of the suggestion rules, kept per county and year in the database (AssistanceParameters).

The latest year not after the one asked wins; a county's own row beats the general one (blank county);
with no row at all the defaults of the 2022 plan apply.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from shouwang.assistance.models import AssistanceParameters


@dataclass(frozen=True)
class AssistanceRules:
    working_age_min: int = 16
    working_age_max: int = 60
    child_rehab_max_age: int = 6
    child_rehab_categories: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)
    care_subsidy_max_grade: int = 2
    year: int | None = None


def rules_for(county_code: str, year: int) -> AssistanceRules:
    row = (
        AssistanceParameters.objects.filter(Q(county_code=county_code) | Q(county_code=""), year__lte=year)
        .order_by("-year", "-county_code")
        .first()
    )
    if row is None:
        return AssistanceRules()
    return AssistanceRules(
        working_age_min=row.working_age_min,
        working_age_max=row.working_age_max,
        child_rehab_max_age=row.child_rehab_max_age,
        child_rehab_categories=tuple(int(c) for c in row.child_rehab_categories),
        care_subsidy_max_grade=row.care_subsidy_max_grade,
        year=row.year,
    )
