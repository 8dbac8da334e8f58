"""Registry at county scale: demo generation time and household-list latency, through the real view.

    .venv/bin/python bench/bench_registry.py                      # 1,000,000 persons on SQLite
    .venv/bin/python bench/bench_registry.py --persons 100000     # smaller
    .venv/bin/python bench/bench_registry.py --reuse              # skip generation, measure the list again
    .venv/bin/python bench/bench_registry.py --database-url postgres://shouwang:shouwang@127.0.0.1:5432/shouwang_bench

1. a fresh database (default bench/out/bench.sqlite3, never var/): migrations and the county's areas;
2. `demo_county_generate` for persons / mean household size households: the demo county of issue 2 (what
   `shouwang demo` builds before other apps' DEMO_STEPS add their own data, which are not timed here);
   prints its wall time, commit included, and this process's CPU time;
3. ~200 requests of a township officer's household list over a mix of filters and searches, and the county
   administrator's unfiltered list, with Django's test Client (session, middleware, template included);
   prints p50 / p95 / max per kind of request and overall. Goals: generation <= 60 s, township p95 <= 100 ms;
4. the plan of the township officer's name search (EXPLAIN ANALYZE on PostgreSQL), to show it is answered
   from the name index.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=1_000_000, help="about this many persons (default 1M)")
    parser.add_argument("--county", default="500243")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=200, help="township officer's requests (default 200)")
    parser.add_argument("--database-url", default=f"sqlite:///{OUT / 'bench.sqlite3'}")
    parser.add_argument("--reuse", action="store_true", help="keep the database built by an earlier run")
    return parser.parse_args()


def setup_django(args: argparse.Namespace) -> None:
    os.environ["SHOUWANG_DATABASE_URL"] = args.database_url
    os.environ.setdefault("SHOUWANG_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
    OUT.mkdir(exist_ok=True)
    if args.database_url.startswith("sqlite:///") and not args.reuse:
        path = Path(args.database_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    import django

    django.setup()


def build(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from django.core.management import call_command
    from django.db import connection

    from shouwang.areas.models import Area, county_key
    from shouwang.registry.demo import demo_county_generate, expected_household_size
    from shouwang.registry.models import Household

    call_command("init", county=args.county, verbosity=0)
    county = Area.objects.get(code=county_key(args.county))
    if args.reuse and Household.objects.filter(county=county).exists():
        print(f"reusing {Household.objects.count():,} households")
        return county, None
    if connection.vendor == "postgresql":  # a server database is not deleted like a file: empty the registry
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE registry_household, registry_person CASCADE")
    households = round(args.persons / expected_household_size())
    cpu = time.process_time()
    result = demo_county_generate(county=county, households=households, seed=args.seed, progress=True)
    return county, (result, time.process_time() - cpu)


def personas(county):  # type: ignore[no-untyped-def]
    from shouwang.accounts.models import Role, User
    from shouwang.areas.models import Area, AreaLevel

    townships = Area.objects.filter(county_code=county.code, level=AreaLevel.TOWNSHIP)
    township = townships.filter(name="郁山镇").first() or townships.order_by("code").first()
    made = {}
    for username, role, area in (("bench-township", Role.TOWNSHIP_OFFICER, township),
                                 ("bench-admin", Role.COUNTY_ADMIN, county)):
        made[username], _ = User.objects.update_or_create(
            username=username, defaults={"role": role, "area": area, "full_name": username})
    return made["bench-township"], made["bench-admin"], township


def township_mix(township, n: int, rng: random.Random) -> list[tuple[str, dict]]:  # type: ignore[no-untyped-def]
    """The requests a township officer makes in a day, in proportions that stress every filter."""
    from shouwang.areas.models import Area
    from shouwang.registry.models import Household, Person

    villages = list(Area.objects.filter(parent=township).values_list("code", flat=True))
    people = list(Person.objects.filter(household__township_id=township.code).order_by("?")
                  .values_list("name", "id_number")[:200])
    pages = Household.objects.filter(township_id=township.code).count() // 30
    kinds = [
        ("plain list", lambda: {}),
        ("village", lambda: {"village": rng.choice(villages)}),
        ("category", lambda: {"category": rng.randint(1, 7)}),
        ("category+grade", lambda: {"category": rng.randint(1, 7), "grade": rng.randint(1, 4)}),
        ("severe", lambda: {"severe": "1"}),
        ("multi-disabled", lambda: {"multi": "1"}),
        ("低保", lambda: {"assistance": "dibao"}),
        ("name search", lambda: {"q": rng.choice(people)[0]}),
        ("ID search", lambda: {"q": rng.choice(people)[1]}),
        ("later page", lambda: {"page": rng.randint(2, max(2, pages))}),
        ("village+severe p2", lambda: {"village": rng.choice(villages), "severe": "1", "page": 2}),
    ]
    return [(kinds[i % len(kinds)][0], kinds[i % len(kinds)][1]()) for i in range(n)]


def sample_names(township, rng: random.Random, n: int) -> list[str]:  # type: ignore[no-untyped-def]
    from shouwang.registry.models import Person

    names = list(Person.objects.filter(household__township_id=township.code).values_list("name", flat=True)[:500])
    return [rng.choice(names) for _ in range(n)]


def measure(client, requests: list[tuple[str, dict]]) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    url = reverse("registry:household_list")
    timings: dict[str, list[tuple[float, float]]] = {}
    for kind, params in requests:
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(url, params)
        elapsed = ((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000)
        if response.status_code != 200:
            sys.exit(f"{kind} {params}: HTTP {response.status_code}")
        timings.setdefault(kind, []).append(elapsed)
    return timings


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def print_table(title: str, timings: dict[str, list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Wall time is what a user waits; CPU time is this process's share (SQLite runs in-process), which
    is what the wall time would be on an idle machine."""
    print(f"\n{title}")
    print(f"  {'request':<22}{'n':>5}{'wall p50':>10}{'wall p95':>10}{'wall max':>10}{'cpu p50':>10}{'cpu p95':>10}")
    everything = [t for values in timings.values() for t in values]
    for kind, values in [*timings.items(), ("ALL", everything)]:
        wall, cpu = [v[0] for v in values], [v[1] for v in values]
        print(f"  {kind:<22}{len(values):>5}{statistics.median(wall):>10.1f}{p(wall, 0.95):>10.1f}"
              f"{max(wall):>10.1f}{statistics.median(cpu):>10.1f}{p(cpu, 0.95):>10.1f}")
    return everything


def main() -> None:
    args = parse_args()
    setup_django(args)
    from django.db import connection
    from django.test import Client

    from shouwang.registry.models import Disability, Household, Person

    county, result = build(args)
    officer, admin, township = personas(county)
    print(f"\ndatabase: {connection.vendor} {connection.settings_dict['NAME']}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if result is not None:
        result, cpu = result
        rate = result.persons / result.seconds
        print(f"demo generation: {result.households:,} households, {result.persons:,} persons, "
              f"{result.disabled:,} certificates, {result.income_records:,} income records, "
              f"{result.helpers:,} helpers in {result.seconds:.1f} s wall, {cpu:.1f} s CPU of this process "
              f"({rate:,.0f} persons/s; goal 1M <= 60 s)")
    print(f"registry: {Household.objects.count():,} households, {Person.objects.count():,} persons, "
          f"{Disability.objects.count():,} certificates; {township.name}: "
          f"{Household.objects.filter(township_id=township.code).count():,} households")

    rng = random.Random(args.seed)
    client = Client()
    client.force_login(officer)
    measure(client, township_mix(township, 12, rng))  # warm the caches; not counted
    township_all = print_table(f"township officer ({township.name}), household list, {args.requests} requests",
                               measure(client, township_mix(township, args.requests, rng)))
    surnames = [("surname only (1 char)", {"q": name[0]}) for name in sample_names(township, rng, 20)]
    print_table("township officer, stress case outside the mix: a one-character search (everyone of a surname)",
                measure(client, surnames))
    client.force_login(admin)
    pages = Household.objects.count() // 30
    admin_requests = [("county, page 1", {})] * 20 + [("county, later page", {"page": rng.randint(2, pages)})
                                                       for _ in range(20)]
    print_table("county administrator, unfiltered household list", measure(client, admin_requests))
    wall, cpu = p([t[0] for t in township_all], 0.95), p([t[1] for t in township_all], 0.95)
    print(f"\ntownship list p95: {wall:.1f} ms wall, {cpu:.1f} ms CPU (goal <= 100 ms; "
          f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    print_name_search_plan(officer, sample_names(township, rng, 1)[0][:2])


def print_name_search_plan(officer, prefix: str) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    from shouwang.registry.selectors import HouseholdFilters, household_search

    qs = household_search(user=officer, filters=HouseholdFilters(q=prefix))[:30]
    plan = qs.explain(analyze=True) if connection.vendor == "postgresql" else qs.explain()
    print(f"\nplan of the township officer's name search for {prefix!r}:")
    print("\n".join(f"  {line}" for line in plan.splitlines()))


if __name__ == "__main__":
    main()
