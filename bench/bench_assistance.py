"""Assistance ledger at county scale: problems from hits, open problems per area, suggestions and export.

    .venv/bin/python bench/bench_assistance.py [--households 30000] [--fresh]

The database is bench/out/bench_assistance.sqlite3 (kept between runs; --fresh rebuilds it with
`shouwang init` + `shouwang demo`, which also runs screening). Every disabled household gets a ledger
(bulk insert) so the suggestion and export paths see thousands of ledgers. Prints each figure.
"""

from __future__ import annotations

import argparse
import io
import os
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
OUT.mkdir(exist_ok=True)
DB = OUT / "bench_assistance.sqlite3"


def _setup(fresh: bool, households: int) -> None:
    build = fresh or not DB.exists()
    if build and DB.exists():
        DB.unlink()
    os.environ["SHOUWANG_DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
    import django

    django.setup()
    if build:
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("init", county="500243", stdout=io.StringIO())
        call_command("demo", households=households, county="500243", stdout=io.StringIO())
        print(f"built county of {households} households in {time.perf_counter() - started:.1f} s")


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    """Wall time and this process's CPU time (SQLite runs in-process; the machine is shared, so CPU is the
    steadier figure)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    print(f"{label}: {time.perf_counter() - started:.3f} s wall, {time.process_time() - cpu:.3f} s CPU")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=30000)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    _setup(args.fresh, args.households)

    from django.db import connection
    from django.utils import timezone

    from shouwang.areas.models import Area
    from shouwang.assistance.export import LedgerExporter
    from shouwang.assistance.models import Ledger, Problem
    from shouwang.assistance.selectors import open_problem_count, open_problems_by_child_area
    from shouwang.assistance.services import problems_open_from_hits
    from shouwang.assistance.suggestions import suggestions_for_ledgers
    from shouwang.registry.models import Household

    county, today = Area.objects.get(code="500243000000"), timezone.localdate()
    print(f"households: {Household.objects.count()}")
    Problem.objects.filter(source="screening").delete()
    opened = timed(
        "problems_open_from_hits(county), from nothing", lambda: problems_open_from_hits(area=county)
    )
    print(f"  opened {opened} problems")
    timed("problems_open_from_hits(county), nothing new", lambda: problems_open_from_hits(area=county))
    timed("open_problem_count(county)", lambda: open_problem_count(county))
    rows = timed(
        "open_problems_by_child_area(county)", lambda: open_problems_by_child_area(county, today=today)
    )
    print(f"  {len(rows)} townships, {sum(r.open_count for r in rows)} open")

    existing = set(Ledger.objects.values_list("household_id", flat=True))
    missing = (
        Household.objects.filter(disabled_count__gt=0).exclude(pk__in=existing).values_list("pk", flat=True)
    )
    Ledger.objects.bulk_create([Ledger(household_id=pk) for pk in missing], batch_size=2000)
    ledgers = list(Ledger.objects.select_related("household"))
    print(f"ledgers: {len(ledgers)}")
    connection.queries_log.clear()
    found = timed(
        "suggestions_for_ledgers(all ledgers)", lambda: suggestions_for_ledgers(ledgers, today=today)
    )
    print(f"  {sum(len(v) for v in found.values())} suggestions")
    content = timed("xlsx export of the county's ledgers", lambda: LedgerExporter(county, today).write())
    print(f"  {len(content) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
