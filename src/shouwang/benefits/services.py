"""Every write of the benefits app: benefit records, coverage parameters, coverage runs, sending findings on."""

from __future__ import annotations

import datetime
import time
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from shouwang.areas.models import Area, AreaLevel
from shouwang.audit.services import audit_log, snapshot
from shouwang.benefits.choices import HOUSEHOLD_KINDS, BenefitKind, BenefitSource, FindingKind
from shouwang.benefits.models import (
    BenefitRecord,
    CoverageFinding,
    CoverageParameters,
    CoverageRun,
    CoverageTally,
)
from shouwang.registry.models import Household, Person

RUNS_KEPT = 2


def _where(household: Household) -> dict[str, Any]:
    return {"area_code": household.village_id, "household_id": household.pk}


def _facts_stale(record: BenefitRecord) -> None:
    """The kept coverage facts of the record's household (and its person's, should they differ) are
    refreshed by the next run."""
    from shouwang.benefits.facts import households_stale

    households_stale([record.household_id, *([record.person.household_id] if record.person else [])])


# --- benefit records ----------------------------------------------------------------------------------

RECORD_FIELDS = ("start_on", "end_on", "monthly_amount", "one_off_amount", "note")


def _clean_record(kind: str, person: Person | None, household: Household | None, data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if kind not in BenefitKind.values:
        errors["kind"] = _("政策项目“%(k)s”无效") % {"k": kind}
    elif person is None and kind not in HOUSEHOLD_KINDS:
        errors["person"] = _("该政策项目须指定享受人")
    if person is None and household is None:
        errors["household"] = _("请指定享受的户或成员")
    if person is not None and household is not None and person.household_id != household.pk:
        errors["person"] = _("享受人须为本户成员")
    start, end = data.get("start_on"), data.get("end_on")
    if start is None:
        errors["start_on"] = _("请填写起始日期")
    elif end is not None and end < start:
        errors["end_on"] = _("终止日期不能早于起始日期")
    for name in ("monthly_amount", "one_off_amount"):
        if data.get(name) is not None and Decimal(data[name]) < 0:
            errors[name] = _("金额不能为负数")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def benefit_record_create(*, user: Any, kind: str, start_on: datetime.date, person: Person | None = None,
                          household: Household | None = None, end_on: datetime.date | None = None,
                          monthly_amount: Decimal | None = None, one_off_amount: Decimal | None = None,
                          source: str = BenefitSource.HAND, note: str = "") -> BenefitRecord:
    data = {"start_on": start_on, "end_on": end_on, "monthly_amount": monthly_amount,
            "one_off_amount": one_off_amount, "note": (note or "").strip()}
    _clean_record(kind, person, household, data)
    household = household or person.household  # type: ignore[union-attr]
    record = BenefitRecord.objects.create(person=person, household=household, kind=kind, source=source, **data)
    _facts_stale(record)
    audit_log(user=user, action="benefits.record.created", obj=record, after=snapshot(record), **_where(household))
    return record


@transaction.atomic
def benefit_record_update(*, user: Any, record: BenefitRecord, **fields: Any) -> BenefitRecord:
    before = snapshot(record)
    merged = {f: getattr(record, f) for f in RECORD_FIELDS} | {k: v for k, v in fields.items() if k in RECORD_FIELDS}
    _clean_record(record.kind, record.person, record.household, merged)
    changed = [k for k in RECORD_FIELDS if getattr(record, k) != merged[k]]
    if not changed:
        return record
    for name in changed:
        setattr(record, name, merged[name])
    record.save(update_fields=[*changed, "updated_at"])
    _facts_stale(record)
    audit_log(user=user, action="benefits.record.updated", obj=record, before=before, after=snapshot(record),
              **_where(record.household))
    return record


@transaction.atomic
def benefit_record_end(*, user: Any, record: BenefitRecord, end_on: datetime.date, reason: str = "") -> BenefitRecord:
    """Stop a running benefit on `end_on` (the last day it is paid)."""
    if record.end_on is not None and record.end_on <= end_on:
        raise ValidationError({"end_on": _("该记录已于%(d)s终止") % {"d": record.end_on}})
    if end_on < record.start_on:
        raise ValidationError({"end_on": _("终止日期不能早于起始日期")})
    before = snapshot(record)
    record.end_on = end_on
    record.save(update_fields=["end_on", "updated_at"])
    _facts_stale(record)
    audit_log(user=user, action="benefits.record.ended", obj=record, before=before, after=snapshot(record),
              reason=reason, **_where(record.household))
    return record


# --- parameters ---------------------------------------------------------------------------------------

PARAMETER_FIELDS = tuple(
    f.name for f in CoverageParameters._meta.concrete_fields if f.name not in ("id", "county", "year", "updated_at")
)


def _county(area: Area) -> Area:
    if area.level != AreaLevel.COUNTY:
        raise ValidationError({"county": _("参数须按县设置")})
    return area


@transaction.atomic
def coverage_parameters_seed(*, county: Area, year: int) -> CoverageParameters:
    """The defaults (Chongqing figures, 2021-2025 transition period) for a county without parameters."""
    row, created = CoverageParameters.objects.get_or_create(county=_county(county), year=year)
    if created:
        audit_log(user=None, action="benefits.parameters.seeded", obj=row, after=snapshot(row),
                  area_code=county.code)
    return row


def _clean_parameters(data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if data["training_period_end"] < data["training_period_start"]:
        errors["training_period_end"] = _("统计期止不能早于统计期起")
    for low, high in (("working_age_min", "working_age_max"), ("child_rehab_age_min", "child_rehab_age_max"),
                      ("compulsory_age_min", "compulsory_age_max")):
        if data[high] < data[low]:
            errors[high] = _("年龄上限不能小于下限")
    codes = [c.strip() for c in str(data["child_rehab_categories"]).split(",") if c.strip()]
    if not codes or any(c not in "1234567" or len(c) != 1 for c in codes):
        errors["child_rehab_categories"] = _("残疾类别须为1至7的代码，以逗号分隔")
    for name in ("coverage_target", "graduate_employment_target"):
        if not 0 < int(data[name]) <= 100:
            errors[name] = _("目标须在1至100之间")
    for name in ("living_amount", "care_amount_grade1", "care_amount_grade2"):
        if Decimal(data[name]) < 0:
            errors[name] = _("金额不能为负数")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def coverage_parameters_save(*, user: Any, county: Area, year: int, **fields: Any) -> CoverageParameters:
    """Create or change the parameters a county applies from `year` on (county administrators only)."""
    if not user.has_perm("benefits.change_parameters"):
        raise PermissionDenied
    if not 2013 <= int(year) <= 2100:
        raise ValidationError({"year": _("生效年度无效")})
    row = CoverageParameters.objects.filter(county=_county(county), year=year).first()
    before = snapshot(row) if row else None
    if row is None:
        base = CoverageParameters.objects.filter(county=county, year__lt=year).order_by("-year").first()
        row = CoverageParameters(county=county, year=year,
                                 **{f: getattr(base, f) for f in PARAMETER_FIELDS} if base else {})
    merged = {f: getattr(row, f) for f in PARAMETER_FIELDS} | {k: v for k, v in fields.items()
                                                               if k in PARAMETER_FIELDS}
    if isinstance(merged["child_rehab_categories"], list | tuple):
        merged["child_rehab_categories"] = ",".join(str(c) for c in merged["child_rehab_categories"])
    _clean_parameters(merged)
    for name, value in merged.items():
        setattr(row, name, value)
    row.save()
    audit_log(user=user, action="benefits.parameters.saved", obj=row, before=before, after=snapshot(row),
              area_code=county.code)
    return row


# --- coverage runs ------------------------------------------------------------------------------------


CANDIDATES = "benefits_coverage_candidate"
CANDIDATE_BITS = "benefits_coverage_candidate_bits"  # per fact row: which rules it is a candidate of
IDENTITY = ("kind", "person_id", "household_id", "county_id", "township_id", "village_id", "reason")


def _candidates_build(rules: list[Any], ctx: Any) -> None:
    """The run's findings, one INSERT ... SELECT per rule into a temporary table (never through Python).

    First one scan of the facts marks each row with the rules it is a candidate of (`candidate_bits`: a
    bit per rule); each rule's INSERT then reads its marked rows by primary key, and still tests its full
    condition, instead of scanning every fact row again."""
    from shouwang.benefits.evaluation import FINDING_COLUMNS, candidate_bits, findings
    from shouwang.benefits.facts import key_column

    columns = ", ".join(["rule", *FINDING_COLUMNS, "outside"])
    sqlite = connection.vendor == "sqlite"
    # computed once per row: a subquery SQLite would flatten repeats the expression in the outer WHERE
    fence = " LIMIT -1 OFFSET 0" if sqlite else " OFFSET 0"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {CANDIDATES}")
        cursor.execute(f"DROP TABLE IF EXISTS {CANDIDATE_BITS}")
        # reason NULL: receiving, not eligible and no leakage (counted for the tallies, never a finding)
        cursor.execute(f"CREATE TEMPORARY TABLE {CANDIDATES} (rule varchar(32) NOT NULL, kind varchar(8) NOT NULL,"
                       " person_id bigint NOT NULL, household_id bigint NOT NULL, county_id varchar(12) NOT NULL,"
                       " township_id varchar(12) NOT NULL, village_id varchar(12) NOT NULL,"
                       " reason varchar(32) NULL, record_id bigint NULL, outside integer NOT NULL)")
        cursor.execute(f"CREATE TEMPORARY TABLE {CANDIDATE_BITS} ({key_column()}, bits integer NOT NULL)")
        sql, params = candidate_bits(rules, ctx).query.sql_with_params()
        cursor.execute(f"INSERT INTO {CANDIDATE_BITS} (person_id, bits) SELECT person_id, f_bits"  # noqa: S608
                       f" FROM ({sql}{fence}) marked WHERE f_bits <> 0", params)
        if not sqlite:
            cursor.execute(f"ANALYZE {CANDIDATE_BITS}")
        for i, rule in enumerate(rules):
            sql, params = findings(rule, ctx, outside=True).query.sql_with_params()
            cursor.execute(f"INSERT INTO {CANDIDATES} ({columns}) SELECT %s, src.* FROM ({sql}) src"  # noqa: S608
                           f" WHERE src.person_id IN (SELECT person_id FROM {CANDIDATE_BITS} WHERE (bits & %s) <> 0)",
                           [rule.code, *params, 1 << i])
        cursor.execute(f"DROP TABLE {CANDIDATE_BITS}")
        cursor.execute(f"CREATE INDEX {CANDIDATES}_person ON {CANDIDATES} (person_id, rule)")
        if not sqlite:
            cursor.execute(f"ANALYZE {CANDIDATES}")


def _same(a: str, b: str) -> str:
    """SQL: the two finding rows (aliases `a`, `b`) say the same thing about the same person and rule.

    Only (person_id, rule) is a plain equality: the probe must take the person index, and without
    statistics SQLite would rather take the list index, whose leading columns are also compared. The
    village code includes the township's and the county's."""
    same = [f"COALESCE({a}.{c}, '') = {b}.{c}" for c in ("kind", "reason", "village_id")]
    return " AND ".join([f"{a}.person_id = {b}.person_id", f"{a}.rule = {b}.rule", *same,
                         f"COALESCE({a}.household_id, 0) = {b}.household_id",
                         f"COALESCE({a}.record_id, 0) = COALESCE({b}.record_id, 0)"])


def _findings_apply(run: CoverageRun, rules: list[Any]) -> tuple[int, int]:
    """Set-based diff of the county's current findings against the candidates of this run.

    1. current findings of the evaluated rules that are no longer found exactly so: resolved by this run
       (one UPDATE);
    2. candidates without an identical current finding: inserted as first found by this run (one
       INSERT ... SELECT). Unchanged findings are not touched, so a repeat run writes nothing."""
    table = CoverageFinding._meta.db_table
    codes = [r.code for r in rules]
    in_rules = ", ".join(["%s"] * len(codes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET resolved_run_id = %s WHERE resolved_run_id IS NULL AND county_id = %s"  # noqa: S608
            f" AND rule IN ({in_rules}) AND NOT EXISTS (SELECT 1 FROM {CANDIDATES} c WHERE {_same('c', table)})",
            [run.pk, run.county_id, *codes])
        resolved = cursor.rowcount
        columns = ", ".join(["rule", *IDENTITY, "record_id"])
        cursor.execute(
            f"INSERT INTO {table} (first_run_id, resolved_run_id, {columns})"  # noqa: S608
            f" SELECT %s, NULL, {', '.join('c.' + c for c in columns.split(', '))} FROM {CANDIDATES} c"
            f" WHERE c.reason IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {table} f WHERE f.resolved_run_id IS NULL AND {_same('c', 'f')})",
            [run.pk])
        new = cursor.rowcount
    return new, resolved


TALLY_COLUMNS = ("rule", "county_id", "township_id", "village_id", "eligible", "receiving", "covered", "missed",
                 "leak")


def _tallies_write(run: CoverageRun, rows: list[dict[str, Any]]) -> None:
    """A few thousand rows (rules x villages) in one prepared INSERT, without building model instances."""
    columns = ", ".join(["run_id", *TALLY_COLUMNS])
    marks = ", ".join(["%s"] * (len(TALLY_COLUMNS) + 1))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {CoverageTally._meta.db_table} ({columns}) VALUES ({marks})",  # noqa: S608
                           [[run.pk, *(row[c] for c in TALLY_COLUMNS)] for row in rows])


def _prune(county: Area) -> None:
    """Keep the findings and tallies of the last RUNS_KEPT runs; the run rows themselves stay as history."""
    kept = list(CoverageRun.objects.filter(county=county, complete=True).order_by("-id")
                .values_list("pk", flat=True)[:RUNS_KEPT])
    if len(kept) < RUNS_KEPT:
        return
    oldest = min(kept)
    CoverageFinding.objects.filter(county_id=county.code, resolved_run__isnull=False,
                                   resolved_run__lte=oldest).delete()
    CoverageTally.objects.filter(run__in=CoverageRun.objects.filter(county=county, pk__lt=oldest)).delete()


@transaction.atomic
def coverage_run(*, county: Area, day: datetime.date, user: Any = None,
                 rule_codes: list[str] | None = None) -> CoverageRun:
    """Evaluate every coverage rule over the county at `day`; store the change in findings and the tallies.

    1. parameters of the day's year (seeded if the county has none);
    2. each person's situation flattened into the fact table, kept between runs and refreshed for the
       households that may have changed since (see `facts.py`);
    3. per rule: MISSED and LEAK rows (and the receiving but not eligible, for the tallies) into a
       temporary candidate table (one INSERT ... SELECT each);
    4. the stored findings brought level with the candidates by a set-based diff (only changes written);
    5. per rule and village: eligible, receiving, covered, missed and leak counts;
    6. the run is marked complete; findings resolved and tallies written before the last few runs go."""
    from shouwang.benefits.evaluation import context_for, tallies
    from shouwang.benefits.facts import facts_keep
    from shouwang.benefits.rules import RULES

    started = time.monotonic()
    ctx = context_for(_county(county), day)
    rules = [RULES[c] for c in rule_codes] if rule_codes else list(RULES.values())
    run = CoverageRun.objects.create(county=county, reference_date=day, parameter_year=ctx.params.year,
                                     user=user if getattr(user, "pk", None) else None)
    facts = facts_keep(ctx)
    try:
        _candidates_build(rules, ctx)
        run.new_count, run.resolved_count = _findings_apply(run, rules)
        _tallies_write(run, tallies(rules, ctx, CANDIDATES))
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {CANDIDATES}")
            cursor.execute(f"DROP TABLE IF EXISTS {CANDIDATE_BITS}")
    run.complete, run.duration_ms = True, int((time.monotonic() - started) * 1000)
    run.save(update_fields=["complete", "duration_ms", "new_count", "resolved_count"])
    _prune(county)
    audit_log(user=user, action="benefits.coverage.run", obj=run, area_code=county.code,
              after={"reference_date": day.isoformat(), "rules": [r.code for r in rules],
                     "duration_ms": run.duration_ms, "new": run.new_count, "resolved": run.resolved_count,
                     "facts": facts})
    return run


def coverage_list_exported(*, user: Any, run: CoverageRun, rule: str, kind: str = "", rows: int = 0,
                           channel: str = "cli") -> None:
    """An export of findings with ID numbers is an export of personal data: it is logged."""
    audit_log(user=user, action="benefits.findings.exported", obj=run, area_code=run.county_id,
              after={"rule": rule, "kind": kind, "rows": rows, "channel": channel},
              reason=_("导出覆盖核查名单"))


# --- sending a finding to the household's ledger ----------------------------------------------------


@transaction.atomic
def finding_send_to_ledger(*, user: Any, finding: CoverageFinding) -> Any:
    """Open (or add to) a problem in the household's assistance ledger for a missed or leaking benefit."""
    from shouwang.assistance.choices import ProblemKind, ProblemSource
    from shouwang.assistance.services import ledger_ensure, problem_open
    from shouwang.benefits.rules import RULES, reason_text

    household = finding.household
    ledger_ensure(user=user, household=household)
    rule = RULES[finding.rule]
    label = FindingKind(finding.kind).label
    description = f"{rule.title}（{label}）：{finding.person.name}，{reason_text(finding.reason)}"
    problem = problem_open(user=user, household=household, kind=ProblemKind.OTHER, description=description,
                           source=ProblemSource.SCREENING, rule_code=f"COVERAGE.{finding.rule}")
    audit_log(user=user, action="benefits.finding.sent_to_ledger", obj=finding,
              after={"problem": problem.pk, "rule": finding.rule, "reason": finding.reason}, **_where(household))
    return problem
