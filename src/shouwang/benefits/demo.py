"""Demo data: benefit records for the demo county — mostly right, a few missed, a few leaking, some paid to the dead.

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


def _plan(person: Person, rnd: random.Random, today: datetime.date,  # noqa: C901 - one recipe per benefit
          monitored: set[int]) -> list[tuple[str, datetime.date, datetime.date | None]]:
    """The records one demo person gets (demo only: a few thousand people, not a batch path).

    A county that works well: more than nine in ten of those eligible receive each benefit, a few in a thousand
    of the others receive it anyway, and a benefit of someone who died or moved away is mostly ended that
    month — so the missed and leak lists hold a few percent, as an audit would find."""
    d, h = person.disability, person.household
    low_income = h.assistance_status in ("dibao", "tekun") or h.poverty_status == "lifted" or h.pk in monitored
    year_start, year_end = today.replace(month=1, day=1), today.replace(month=12, day=31)
    since = datetime.date(rnd.randint(2017, 2025), rnd.randint(1, 12), 1)
    age = person.age_on(today)
    student = person.schooling in ("preschool", "compulsory", "high_school", "college")
    # the day benefits should stop: death, moving away, or the certificate lapsing or being cancelled
    stops = []
    if person.living_status != "alive":
        stops.append(person.status_date or today - datetime.timedelta(days=90))
    if d.valid_until is not None and d.valid_until < today:
        stops.append(d.valid_until)
    elif d.status != "valid":
        stops.append(today - datetime.timedelta(days=90))
    # running benefits then end that month, but one in six is forgotten
    end = None
    if stops and rnd.random() < 0.85:
        next_month = (min(stops).replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        end = next_month - datetime.timedelta(days=1)
        since = min(since, end.replace(day=1))
    out: list[tuple[str, datetime.date, datetime.date | None]] = []

    def owed(eligible: bool, rate: float = 0.93, stray: float = 0.002) -> bool:
        return rnd.random() < (rate if eligible else stray)

    def this_year(kind: str) -> None:
        if end is None or end >= year_start:
            out.append((kind, year_start, min(year_end, end) if end else year_end))

    if owed(h.assistance_status == "dibao", stray=0.002):
        out.append((K.LIVING_SUBSIDY, since, end))
    if owed(d.grade <= 2 and person.needs_long_term_care and h.assistance_status != "tekun"):
        out.append((K.CARE_SUBSIDY, since, end))
        if age >= 80 and rnd.random() < 0.05:
            out.append((K.ELDERLY_CARE, since, end))  # 择高 not applied: leakage
    if owed(True):
        this_year(K.FAMILY_DOCTOR)
    if owed(h.pk in monitored, stray=0.0005):
        this_year(K.MEDICAL_CONTRIBUTION)
    if owed(16 <= age < 60 and not student and (d.grade <= 2 or low_income)):
        this_year(K.PENSION_CONTRIBUTION)
    if owed(student):
        this_year(K.EDUCATION_AID)
    if person.training_need and rnd.random() < (0.85 if person.training_willing and person.training_able else 0.2):
        kind = rnd.choice([K.VOCATIONAL_TRAINING, K.PRACTICAL_TRAINING])
        out.append((kind, datetime.date(rnd.randint(2021, 2025), rnd.randint(1, 12), 1), None))
    if owed(person.needs_rehabilitation, 0.9):
        this_year(K.REHAB_SERVICE)
    if owed(age <= 6 and low_income, 0.85, stray=0.0005):
        this_year(K.CHILD_REHAB)
    if owed(person.needs_accessibility and d.grade <= 2 and low_income, 0.7, stray=0.0005):
        out.append((K.ACCESSIBILITY, datetime.date(rnd.randint(2019, 2025), 6, 1), None))
    if owed(person.needs_custodial_care and d.grade <= 2 and low_income, 0.75, stray=0.0005):
        out.append((K.CARE_SERVICE, since, end))
    if owed(person.schooling == "graduate", 0.8, stray=0):
        out.append((K.GRADUATE_EMPLOYMENT, datetime.date(today.year - 1, 9, 1), None))
    return [(k, s, e) for k, s, e in out if s <= today and (e is None or e >= s)]


def demo_benefits(county: Area, seed: int, stdout: Any) -> None:
    from shouwang.benefits.facts import facts_invalidate
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
    facts_invalidate()  # written in bulk, past the services
    run = coverage_run(county=county, day=today)
    stdout.write(f"政策享受记录 {len(records)} 条；覆盖核查发现 {run.findings.count()} 条\n")
