"""Full coverage run at county scale: ~1M persons and ~1-2M benefit records on SQLite (goal ≤ 5 s).

    .venv/bin/python bench/bench_coverage.py [--persons 1000000] [--fresh]

The database is bench/out/bench_coverage.sqlite3 (kept between runs; --fresh rebuilds it). The registry is
generated here with plain bulk INSERTs (the demo command is for a browsable county, not for a million rows).
The generated records follow the rules as a county that works well would (see `_generate_benefits`; about
95% of those eligible receive, a few percent leak) and span three years of yearly benefits (2024-2026), about
1.9M rows of which about 1M can count at the reference date; `--records` regenerates only them. Prints the generation time, the run's wall and CPU time and the
per-rule counts.

The facts are kept between runs (see `benefits/facts.py`): the run refreshes the households changed since
the last run and those a later date affects, and rebuilds them for a new year, an earlier date or new
parameters. The bench says which it did; `--rebuild` drops the kept facts first (the cost of a first run).
"""

from __future__ import annotations

import argparse
import datetime
import decimal
import os
import random
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
OUT.mkdir(exist_ok=True)
DB = OUT / "bench_coverage.sqlite3"


def _setup(fresh: bool, db: Path = DB) -> None:
    if fresh and db.exists():
        db.unlink()
    os.environ["SHOUWANG_DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _insert(model, rows: list[dict]) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if f.attname != "id"]
    now = datetime.datetime.now(datetime.UTC)
    defaults = {}
    for f in fields:
        if f.attname in ("created_at", "updated_at"):
            defaults[f.attname] = now
        else:
            default = f.get_default()
            defaults[f.attname] = str(default) if isinstance(default, decimal.Decimal) else default
    columns = [f.column for f in fields]
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    values = [[row.get(f.attname, defaults[f.attname]) for f in fields] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def _generate(n_persons: int, seed: int) -> None:  # noqa: C901 - one linear recipe
    from django.db import transaction

    from shouwang.areas.models import Area, AreaLevel
    from shouwang.areas.services import areas_load_county
    from shouwang.registry.models import Disability, Household, Person

    rnd = random.Random(seed)
    areas_load_county(county_code="500243")
    villages = list(Area.objects.filter(level=AreaLevel.VILLAGE, county_code="500243000000")
                    .values_list("code", "township_code"))
    day = datetime.date(2026, 3, 15)
    n_households = n_persons // 3
    with transaction.atomic():
        rows = []
        for h in range(n_households):
            village, township = rnd.choice(villages)
            r = rnd.random()
            rows.append({"number": f"B{h:07d}", "county_id": "500243000000", "township_id": township,
                         "village_id": village, "poverty_status": "lifted" if rnd.random() < 0.3 else "general",
                         "assistance_status": "dibao" if r < 0.08 else ("tekun" if r < 0.10 else "none"),
                         "member_count": 3, "disabled_count": 1})
        _insert(Household, rows)
        first = Household.objects.order_by("pk").values_list("pk", flat=True).first()
        persons, disabilities_spec = [], []
        for i in range(n_households * 3):
            household = first + i // 3
            head = i % 3 == 0
            birth = datetime.date(rnd.randint(1935, 2023), rnd.randint(1, 12), rnd.randint(1, 28))
            status = rnd.random()
            living = "deceased" if status < 0.015 else ("moved_out" if status < 0.02 else "alive")
            age = day.year - birth.year
            schooling = ("preschool" if age < 6 else "compulsory" if age < 16 else "high_school" if age < 19
                         else "college" if age < 22 and rnd.random() < 0.3 else "graduate" if age == 22
                         else "not_in_school")
            persons.append({
                "household_id": household, "name": f"成员{i}", "id_number": f"5002431{i:011d}",
                "sex": "M" if i % 2 else "F", "birth_date": birth, "relation": "head" if head else "other",
                "living_status": living, "status_date": day - datetime.timedelta(days=rnd.randint(1, 400))
                if living != "alive" else None, "schooling": schooling,
                "needs_rehabilitation": rnd.random() < 0.3, "needs_long_term_care": rnd.random() < 0.6,
                "needs_accessibility": rnd.random() < 0.2, "needs_custodial_care": rnd.random() < 0.1,
                "training_need": rnd.random() < 0.4, "training_willing": rnd.random() < 0.8,
                "training_able": rnd.random() < 0.8, "family_doctor": rnd.random() < 0.5,
            })
            if head or rnd.random() < 0.05:
                disabilities_spec.append(i)
        _insert(Person, persons)
        first_person = Person.objects.order_by("pk").values_list("pk", flat=True).first()
        disabled = []
        for i in disabilities_spec:
            category, grade = rnd.randint(1, 7), rnd.choice([1, 2, 2, 3, 3, 4, 4, 4])
            s = rnd.random()
            disabled.append({"person_id": first_person + i, "certificate_number": f"{persons[i]['id_number']}{category}{grade}",
                             "category": category, "grade": grade,
                             "status": "cancelled" if s < 0.01 else ("expired" if s < 0.02 else "valid"),
                             "valid_until": day - datetime.timedelta(days=30) if s < 0.02 else None})
        _insert(Disability, disabled)
    _generate_benefits(seed)


STUDENT = ("preschool", "compulsory", "high_school", "college")


def _generate_benefits(seed: int) -> None:  # noqa: C901 - one linear recipe
    """Monitoring cases and benefit records for the registry already in the database (--records redoes
    only this). Records follow the rules as a county that works well would: about 95% of those eligible
    receive each benefit; about 0.3% of the others receive it anyway; benefits of people who died, moved
    away or lost their certificate are mostly (85%) ended in the month it happened. Yearly benefits span
    2024-2026, so the table carries two years of history that cannot count at the reference date."""
    from django.db import connection, transaction

    from shouwang.benefits.models import BenefitRecord, CoverageFinding, CoverageRun, CoverageTally
    from shouwang.monitoring.models import Lead, MonitoringCase

    rnd = random.Random(seed + 7)
    day = datetime.date(2026, 3, 15)
    with transaction.atomic():
        for model in (CoverageFinding, CoverageTally, CoverageRun, BenefitRecord, MonitoringCase, Lead):
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, assistance_status, poverty_status FROM registry_household")
            households = {hid: (assistance, poverty) for hid, assistance, poverty in cursor.fetchall()}
        # about 6% of households are under 防止返贫 monitoring (confirmed, not exited)
        monitored = sorted(h for h in households if rnd.random() < 0.06)
        _insert(Lead, [{"household_id": h, "source": "visit", "found_on": datetime.date(2025, 5, 1),
                        "status": "confirmed", "decided_on": datetime.date(2025, 7, 1)} for h in monitored])
        leads = dict(Lead.objects.values_list("household_id", "pk"))
        _insert(MonitoringCase, [{"household_id": h, "lead_id": leads[h], "stage": "monitored",
                                  "verified_on": datetime.date(2025, 5, 10), "confirmed_on": datetime.date(2025, 7, 1),
                                  "household_type": "", "exit_criteria": "[]"} for h in monitored])
        monitored_set = set(monitored)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.id, p.household_id, p.birth_date, p.schooling, p.living_status, p.status_date,"
                " p.needs_rehabilitation, p.needs_long_term_care, p.needs_accessibility, p.needs_custodial_care,"
                " p.training_need, p.training_willing, p.training_able, d.grade, d.status, d.valid_until"
                " FROM registry_disability d JOIN registry_person p ON p.id = d.person_id ORDER BY p.id")
            disabled = cursor.fetchall()
        records: list[dict] = []
        for row in disabled:
            hid = row[1]
            assistance, poverty = households[hid]
            records.extend(_person_records(rnd, day, row, assistance, poverty, hid in monitored_set))
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, household_id FROM registry_person WHERE birth_date < '1946-01-01'")
            for pid, hid in cursor.fetchall():
                if rnd.random() < 0.8:
                    records.append({"person_id": pid, "household_id": hid, "kind": "elderly_longevity",
                                    "start_on": datetime.date(2020, 1, 1), "end_on": None, "source": "batch"})
        for start in range(0, len(records), 200_000):
            _insert(BenefitRecord, records[start:start + 200_000])


def _person_records(rnd: random.Random, day: datetime.date, row: tuple, assistance: str, poverty: str,  # noqa: C901
                    monitored: bool) -> list[dict]:
    """The records of one certified person (bench data generation, not a batch path of the app)."""
    (pid, hid, birth, schooling, living, status_date, rehab, long_care, access, custodial, need, willing, able,
     grade, cert, valid_until) = row
    birth, status_date, valid_until = (datetime.date.fromisoformat(str(v)) if v else None
                                       for v in (birth, status_date, valid_until))
    low_income = assistance in ("dibao", "tekun") or poverty == "lifted" or monitored
    age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    stopped_on = status_date if living != "alive" else (valid_until if cert != "valid" else None)
    if cert != "valid" and stopped_on is None:
        stopped_on = day - datetime.timedelta(days=rnd.randint(30, 300))
    # running benefits should stop at the end of that month; 15% are not stopped (the leakage auditors seek)
    stop_end = None
    if stopped_on is not None and rnd.random() < 0.85:
        next_month = (stopped_on.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        stop_end = next_month - datetime.timedelta(days=1)
    since = datetime.date(rnd.randint(2016, 2025), rnd.randint(1, 12), 1)
    if stop_end is not None and since > stop_end:
        since = stop_end.replace(day=1)
    out: list[dict] = []

    def give(kind: str, start: datetime.date, end: datetime.date | None = None) -> None:
        out.append({"person_id": pid, "household_id": hid, "kind": kind, "start_on": start, "end_on": end,
                    "source": "batch"})

    def owed(eligible: bool, rate: float = 0.95, stray: float = 0.002) -> bool:
        """Eligible: receives with `rate`; not eligible: receives anyway with `stray` (kept to a few
        percent of the receivers of each benefit)."""
        return rnd.random() < (rate if eligible else stray)

    def yearly(kind: str, eligible: bool, rate: float = 0.95, stray: float = 0.002,
               years: tuple[int, ...] = (2024, 2025, 2026)) -> None:
        for year in years:
            if stop_end is not None and stop_end.year < year:
                break
            if owed(eligible, rate, stray):
                end = datetime.date(year, 12, 31)
                give(kind, datetime.date(year, 1, 1), min(end, stop_end) if stop_end else end)

    if owed(assistance == "dibao", stray=0.001):
        give("living_subsidy", since, stop_end)
    if owed(grade <= 2 and bool(long_care) and assistance != "tekun"):
        give("care_subsidy", since, stop_end)
    if owed(grade <= 2 and bool(custodial) and low_income, 0.85, stray=0.0003):
        give("care_service", since, stop_end)
    yearly("family_doctor", True, 0.93)
    yearly("medical_contribution", monitored, stray=0.001)
    yearly("pension_contribution", 16 <= age <= 59 and schooling not in STUDENT and (grade <= 2 or low_income), 0.94)
    yearly("rehab_service", bool(rehab), 0.92, years=(2026,))
    yearly("education_aid", schooling in STUDENT, 0.94, years=(2026,))
    yearly("child_rehab", age <= 6 and low_income, 0.9, stray=0.0001, years=(2026,))
    trained = need and willing and able and 16 <= age <= 59
    if rnd.random() < (0.9 if trained else 0.2 if need else 0.003):
        start = datetime.date(rnd.randint(2021, 2025), rnd.randint(1, 12), 1)
        if stop_end is None or start <= stop_end:
            give(rnd.choice(["vocational_training", "practical_training"]), start)
    if owed(grade <= 2 and bool(access) and low_income, 0.85, stray=0.0003):
        give("accessibility", datetime.date(rnd.randint(2018, 2025), 5, 1))
    if owed(schooling == "graduate", 0.85, stray=0.0003):
        give("graduate_employment", datetime.date(2025, 9, 1))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--records", action="store_true", help="regenerate monitoring cases and benefit records only")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", type=Path, default=DB, help="database file (a smaller county for profiling)")
    parser.add_argument("--rebuild", action="store_true", help="drop the kept facts first (a full rebuild)")
    parser.add_argument("--changes", type=int, default=0,
                        help="then: this many changes through the services (half benefit records, half registry"
                             " edits) and a run --later days on, measured and rolled back")
    parser.add_argument("--later", type=int, default=0, help="days after the reference date for that run")
    parser.add_argument("--empty-findings", action="store_true",
                        help="delete the stored findings first, so the run writes every finding (the first run)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    _setup(args.fresh, args.db)
    from shouwang.areas.models import Area
    from shouwang.benefits.facts import facts_invalidate
    from shouwang.benefits.models import BenefitRecord
    from shouwang.benefits.services import coverage_run
    from shouwang.registry.models import Person

    if not Person.objects.exists():
        started = time.monotonic()
        _generate(args.persons, args.seed)
        facts_invalidate()  # written past the services
        print(f"generated in {time.monotonic() - started:.1f} s")
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    elif args.records:
        started = time.monotonic()
        _generate_benefits(args.seed)
        facts_invalidate()
        print(f"benefit records generated in {time.monotonic() - started:.1f} s")
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if args.rebuild:
        facts_invalidate()
    if args.empty_findings:
        from shouwang.benefits.models import CoverageFinding

        CoverageFinding.objects.all().delete()
    print(f"persons {Person.objects.count():,}, benefit records {BenefitRecord.objects.count():,}")
    county = Area.objects.get(code="500243000000")
    print(f"load average before the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    started, cpu = time.monotonic(), time.process_time()
    run = coverage_run(county=county, day=datetime.date(2026, 3, 15))
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    # SQLite runs inside this process, so CPU time is the run's own cost whatever else loads the machine.
    # The stored findings are brought level by a diff: a repeat run writes only what changed (new/resolved).
    print(f"full coverage run: {elapsed:.2f} s wall, {cpu:.2f} s CPU (goal ≤ 5 s); "
          f"{run.findings.count():,} findings standing, written {run.new_count:,} new / "
          f"{run.resolved_count:,} resolved")
    from shouwang.audit.models import AuditEntry

    entry = AuditEntry.objects.filter(action="benefits.coverage.run", object_id=str(run.pk)).first()
    print(f"  facts: {entry.after['facts'] if entry else '?'}")
    from django.db.models import Sum

    for row in run.tallies.values("rule").annotate(e=Sum("eligible"), r=Sum("receiving"), m=Sum("missed"),
                                                   lk=Sum("leak")).order_by("rule"):
        print(f"  {row['rule']:<22} eligible {row['e']:>8,} receiving {row['r']:>8,} "
              f"missed {row['m']:>7,} leak {row['lk']:>6,}")
    if args.changes or args.later:
        _upkeep(county, datetime.date(2026, 3, 15) + datetime.timedelta(days=args.later), args.changes, args.seed)


def _upkeep(county, day: datetime.date, changes: int, seed: int) -> None:  # type: ignore[no-untyped-def]
    """Changes through the services (each marks its household's facts stale), then a run at `day`: the
    cost of keeping the facts up to date. Rolled back, so the database stays as generated."""
    from django.db import transaction

    from shouwang.audit.models import AuditEntry
    from shouwang.benefits.services import benefit_record_create, coverage_run
    from shouwang.registry import services as registry
    from shouwang.registry.models import Person

    rnd = random.Random(seed + 11)
    last = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    sample = rnd.sample(range(1, last + 1), min(last, changes * 20))
    people = list(Person.objects.filter(pk__in=sample, disability__isnull=False).order_by("pk")[:changes])
    rnd.shuffle(people)
    with transaction.atomic():
        started = time.monotonic()
        for i, person in enumerate(people):
            if i % 2:
                registry.person_update(user=None, person=person, needs_rehabilitation=not person.needs_rehabilitation)
            else:
                benefit_record_create(user=None, person=person, kind="family_doctor", start_on=day.replace(day=1))
        print(f"{len(people)} changes through the services in {time.monotonic() - started:.1f} s")
        print(f"load average before the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        started, cpu = time.monotonic(), time.process_time()
        run = coverage_run(county=county, day=day)
        elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
        entry = AuditEntry.objects.filter(action="benefits.coverage.run", object_id=str(run.pk)).first()
        print(f"run on {day} after them: {elapsed:.2f} s wall, {cpu:.2f} s CPU; written {run.new_count:,} new / "
              f"{run.resolved_count:,} resolved; facts: {entry.after['facts'] if entry else '?'}")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
