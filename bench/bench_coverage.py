"""Full coverage run at county scale: ~1M persons and ~1-2M benefit records on SQLite (goal ≤ 5 s).

    .venv/bin/python bench/bench_coverage.py [--persons 1000000] [--fresh]

The database is bench/out/bench_coverage.sqlite3 (kept between runs; --fresh rebuilds it). The registry is
generated here with plain bulk INSERTs (the demo command is for a browsable county, not for a million rows).
The generated records span three years of yearly benefits (2024-2026), about 1.9M rows of which about
1M can count at the reference date. Prints the generation time, the run's wall and CPU time and the
per-rule counts.
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


def _setup(fresh: bool) -> None:
    if fresh and DB.exists():
        DB.unlink()
    os.environ["SHOUWANG_DATABASE_URL"] = f"sqlite:///{DB}"
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
    from shouwang.benefits.models import BenefitRecord
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
        records = []

        def give(pid: int, kind: str, start: datetime.date, end: datetime.date | None = None) -> None:
            records.append({"person_id": pid, "household_id": first + (pid - first_person) // 3, "kind": kind,
                            "start_on": start, "end_on": end, "source": "batch"})

        for d in disabled:
            pid, grade = d["person_id"], d["grade"]
            spec = persons[pid - first_person]
            assistance = rows[(pid - first_person) // 3]["assistance_status"]
            since = datetime.date(rnd.randint(2016, 2025), rnd.randint(1, 12), 1)
            if assistance == "dibao" and rnd.random() < 0.95 or rnd.random() < 0.01:
                give(pid, "living_subsidy", since)
            if grade <= 2 and spec["needs_long_term_care"] and rnd.random() < 0.95 or rnd.random() < 0.01:
                give(pid, "care_subsidy", since)
            for year in (2024, 2025, 2026):
                if rnd.random() < 0.75:
                    give(pid, "family_doctor", datetime.date(year, 1, 1), datetime.date(year, 12, 31))
                if rnd.random() < 0.3:
                    give(pid, "medical_contribution", datetime.date(year, 1, 1), datetime.date(year, 12, 31))
                if rnd.random() < 0.25:
                    give(pid, "pension_contribution", datetime.date(year, 1, 1), datetime.date(year, 12, 31))
            if spec["needs_rehabilitation"] and rnd.random() < 0.8:
                give(pid, "rehab_service", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
            if spec["training_need"] and rnd.random() < 0.8:
                give(pid, rnd.choice(["vocational_training", "practical_training"]),
                     datetime.date(rnd.randint(2021, 2025), 6, 1), datetime.date(2025, 12, 31))
            if spec["schooling"] not in ("not_in_school", "graduate") and rnd.random() < 0.9:
                give(pid, "education_aid", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
            if grade <= 2 and spec["needs_accessibility"] and rnd.random() < 0.6:
                give(pid, "accessibility", datetime.date(rnd.randint(2018, 2025), 5, 1), datetime.date(2025, 6, 1))
            if grade <= 2 and spec["needs_custodial_care"] and rnd.random() < 0.5:
                give(pid, "care_service", since)
            if spec["schooling"] == "graduate" and rnd.random() < 0.8:
                give(pid, "graduate_employment", datetime.date(2025, 9, 1))
        for i, spec in enumerate(persons):
            if spec["birth_date"].year < 1946 and rnd.random() < 0.8:
                give(first_person + i, "elderly_longevity", datetime.date(2020, 1, 1))
        _insert(BenefitRecord, records)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    _setup(args.fresh)
    from shouwang.areas.models import Area
    from shouwang.benefits.models import BenefitRecord
    from shouwang.benefits.services import coverage_run
    from shouwang.registry.models import Person

    if not Person.objects.exists():
        started = time.monotonic()
        _generate(args.persons, args.seed)
        print(f"generated in {time.monotonic() - started:.1f} s")
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"persons {Person.objects.count():,}, benefit records {BenefitRecord.objects.count():,}")
    county = Area.objects.get(code="500243000000")
    started, cpu = time.monotonic(), time.process_time()
    run = coverage_run(county=county, day=datetime.date(2026, 3, 15))
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    # SQLite runs inside this process, so CPU time is the run's own cost whatever else loads the machine.
    print(f"full coverage run: {elapsed:.2f} s wall, {cpu:.2f} s CPU (goal ≤ 5 s); "
          f"{run.findings.count():,} findings stored")
    from django.db.models import Sum

    for row in run.tallies.values("rule").annotate(e=Sum("eligible"), r=Sum("receiving"), m=Sum("missed"),
                                                   lk=Sum("leak")).order_by("rule"):
        print(f"  {row['rule']:<22} eligible {row['e']:>8,} receiving {row['r']:>8,} "
              f"missed {row['m']:>7,} leak {row['lk']:>6,}")


if __name__ == "__main__":
    main()
