"""Every write of the benefits app: benefit records, coverage parameters, coverage runs, sending findings on."""

from __future__ import annotations

import datetime
import time
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
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


def _insert_findings(run: CoverageRun, rule: str, qs: QuerySet[Any]) -> None:
    """INSERT ... SELECT: the finding rows never pass through Python."""
    from shouwang.benefits.evaluation import FINDING_COLUMNS

    sql, params = qs.query.sql_with_params()
    table = CoverageFinding._meta.db_table
    columns = ", ".join(["run_id", "rule", *FINDING_COLUMNS])
    statement = f"INSERT INTO {table} ({columns}) SELECT %s, %s, src.* FROM ({sql}) src"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, [run.pk, rule, *params])


@transaction.atomic
def coverage_run(*, county: Area, day: datetime.date, user: Any = None,
                 rule_codes: list[str] | None = None) -> CoverageRun:
    """Evaluate every coverage rule over the county at `day` and store findings and per-village tallies.

    1. parameters of the day's year (seeded if the county has none);
    2. each person's situation flattened into the temporary fact table (one INSERT ... SELECT);
    3. per rule: MISSED and LEAK findings written with one INSERT ... SELECT over the facts;
    4. per rule and village: eligible, receiving, covered, missed and leak counted in one GROUP BY;
    5. the run is marked complete and older runs of the county beyond the last few are deleted."""
    from shouwang.benefits.evaluation import context_for, findings, tallies
    from shouwang.benefits.facts import built_facts
    from shouwang.benefits.rules import RULES

    started = time.monotonic()
    ctx = context_for(_county(county), day)
    rules = [RULES[c] for c in rule_codes] if rule_codes else list(RULES.values())
    run = CoverageRun.objects.create(county=county, reference_date=day, parameter_year=ctx.params.year,
                                     user=user if getattr(user, "pk", None) else None)
    with built_facts(ctx):
        for rule in rules:
            _insert_findings(run, rule.code, findings(rule, ctx))
        CoverageTally.objects.bulk_create([CoverageTally(run=run, **t) for t in tallies(rules, ctx, run)],
                                          batch_size=1000)
    run.complete, run.duration_ms = True, int((time.monotonic() - started) * 1000)
    run.save(update_fields=["complete", "duration_ms"])
    old = CoverageRun.objects.filter(county=county, complete=True).order_by("-id").values_list("pk", flat=True)
    stale = list(old[RUNS_KEPT:])
    if stale:
        CoverageFinding.objects.filter(run_id__in=stale).delete()
        CoverageRun.objects.filter(pk__in=stale).delete()
    audit_log(user=user, action="benefits.coverage.run", obj=run, area_code=county.code,
              after={"reference_date": day.isoformat(), "rules": [r.code for r in rules],
                     "duration_ms": run.duration_ms})
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
