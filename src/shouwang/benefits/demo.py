"""Demo data: benefit records for the demo county — mostly right, some missed, some leaking, some paid to the dead.

Runs after the registry demo (DEMO_STEPS); records are bulk-created with source "batch", then one coverage
run stores findings so the pages show real figures.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from shouwang.areas.models import Area
from shouwang.benefits.choices import BenefitKind as K
from shouwang.benefits.choices import BenefitSource
from shouwang.benefits.models import BenefitRecord
from shouwang.registry.models import Person


def _plan(person: Person, rnd: random.Random, today: datetime.date,
          monitored: set[int]) -> list[tuple[str, datetime.date, datetime.date | None]]:
    """The records one demo person gets (demo only: a few thousand people, not a batch path); about one in
    twenty decisions goes the wrong way so the lists have something to show."""
    d, h = person.disability, person.household
    low_income = h.assistance_status in ("dibao", "tekun") or h.poverty_status == "lifted" or h.pk in monitored
    slip = rnd.random() < 0.05
    year_start, year_end = today.replace(month=1, day=1), today.replace(month=12, day=31)
    since = datetime.date(rnd.randint(2017, 2025), rnd.randint(1, 12), 1)
    out: list[tuple[str, datetime.date, datetime.date | None]] = []
    age = person.age_on(today)
    dead = person.living_status != "alive"
    if h.assistance_status == "dibao" and rnd.random() < 0.9 or rnd.random() < 0.02:
        out.append((K.LIVING_SUBSIDY, since, None))
    if d.grade <= 2 and person.needs_long_term_care and rnd.random() < 0.9 or rnd.random() < 0.02:
        out.append((K.CARE_SUBSIDY, since, None))
        if age >= 80 and rnd.random() < 0.3:
            out.append((K.ELDERLY_CARE, since, None))  # 择高 not applied: leakage
    if dead and rnd.random() < 0.5:
        out.append((K.LIVING_SUBSIDY, since, None))  # still paid after death
    if rnd.random() < 0.8:
        out.append((K.FAMILY_DOCTOR, year_start, year_end))
    if (h.pk in monitored) == (not slip) and rnd.random() < 0.9:
        out.append((K.MEDICAL_CONTRIBUTION, year_start, year_end))
    if 16 <= age < 60 and (d.grade <= 2 or low_income) == (not slip) and person.schooling == "not_in_school" \
            and rnd.random() < 0.85:
        out.append((K.PENSION_CONTRIBUTION, year_start, year_end))
    if person.schooling in ("preschool", "compulsory", "high_school", "college") and rnd.random() < 0.85:
        out.append((K.EDUCATION_AID, year_start, year_end))
    if person.training_need and rnd.random() < 0.75:
        kind = rnd.choice([K.VOCATIONAL_TRAINING, K.PRACTICAL_TRAINING])
        out.append((kind, datetime.date(rnd.randint(2021, 2025), rnd.randint(1, 12), 1), None))
    if person.needs_rehabilitation and rnd.random() < 0.7:
        out.append((K.REHAB_SERVICE, year_start, year_end))
    if age <= 6 and low_income and rnd.random() < 0.8:
        out.append((K.CHILD_REHAB, year_start, year_end))
    if person.needs_accessibility and d.grade <= 2 and rnd.random() < 0.5:
        out.append((K.ACCESSIBILITY, datetime.date(rnd.randint(2019, 2025), 6, 1), None))
    if person.needs_custodial_care and d.grade <= 2 and low_income and rnd.random() < 0.6:
        out.append((K.CARE_SERVICE, since, None))
    if person.schooling == "graduate" and rnd.random() < 0.8:
        out.append((K.GRADUATE_EMPLOYMENT, datetime.date(today.year - 1, 9, 1), None))
    return [(k, s, e) for k, s, e in out if s <= today]


def demo_benefits(county: Area, seed: int, stdout: Any) -> None:
    from shouwang.benefits.services import coverage_run
    from shouwang.monitoring.selectors import monitored_households

    rnd = random.Random(seed)
    today = timezone.localdate()
    monitored = set(monitored_households(county).values_list("pk", flat=True))
    disabled = (Person.objects.filter(household__county_id=county.code, disability__isnull=False)
                .select_related("disability", "household").order_by("pk"))
    records = [
        BenefitRecord(person=p, household=p.household, kind=kind, start_on=start, end_on=end,
                      source=BenefitSource.BATCH)
        for p in disabled.iterator(chunk_size=2000)
        for kind, start, end in _plan(p, rnd, today, monitored)
    ]
    BenefitRecord.objects.bulk_create(records, batch_size=2000)
    run = coverage_run(county=county, day=today)
    stdout.write(f"政策享受记录 {len(records)} 条；覆盖核查发现 {run.findings.count()} 条\n")
