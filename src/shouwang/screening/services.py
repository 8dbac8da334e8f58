"""Every write of the screening app: parameters, runs (full and per changed household), leads."""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.areas.models import Area, AreaLevel, county_key
from shouwang.audit.services import audit_log, snapshot
from shouwang.registry.models import Household
from shouwang.screening import engine
from shouwang.screening.defaults import INCOME_LINES, PARAMETER_FIELDS, default_values
from shouwang.screening.models import Hit, RunKind, ScreeningParameters, ScreeningRun
from shouwang.screening.rules import FOCUS_RULES, RULES_BY_CODE, RuleContext, Scope, explain
from shouwang.screening.selectors import parameters_for, parameters_in_effect

# --- parameters ---------------------------------------------------------------------------------------


def clean_parameter_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Typed parameter values from form or command-line input, with Chinese errors per field."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, raw in values.items():
        if key not in PARAMETER_FIELDS:
            errors[key] = _("未知参数：%(k)s（可用：%(all)s）") % {"k": key, "all": "、".join(PARAMETER_FIELDS)}
            continue
        field = ScreeningParameters._meta.get_field(key)
        assert isinstance(field, models.Field)
        try:
            cleaned[key] = field.clean(raw, None)
        except ValidationError:
            errors[key] = _("参数%(label)s的值“%(v)s”无效") % {"label": field.verbose_name, "v": raw}
    if errors:
        raise ValidationError(errors)
    return cleaned


def check_parameters(p: Any) -> None:
    errors: dict[str, str] = {}
    if p.income_line <= 0:
        errors["income_line"] = _("监测收入标准须大于0")
    for name in ("near_line_band", "income_drop_ratio", "rigid_spending_ratio", "transfer_share"):
        if not 0 < getattr(p, name) <= 5:
            errors[name] = _("比例须大于0且不超过5")
    if p.working_age_min >= p.working_age_max:
        errors["working_age_max"] = _("劳动年龄上限须大于下限")
    if p.school_age_min >= p.school_age_max:
        errors["school_age_max"] = _("义务教育年龄上限须大于下限")
    if not 1 <= p.visit_period_months <= 12:
        errors["visit_period_months"] = _("访视周期须在1至12个月之间")
    if not 1 <= p.event_window_days <= 3660:
        errors["event_window_days"] = _("突发变故追溯天数须在1至3660之间")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def parameters_ensure(*, county: Area, user: Any = None) -> list[ScreeningParameters]:
    """Seed the default parameters of 2021-2026 that the county does not have yet (idempotent)."""
    have = set(ScreeningParameters.objects.filter(county=county).values_list("year", flat=True))
    created = [
        ScreeningParameters.objects.create(county=county, **default_values(year))
        for year in sorted(INCOME_LINES) if year not in have
    ]
    for params in created:
        audit_log(user=user, action="screening.parameters.seeded", obj=params, after=snapshot(params),
                  area_code=county.code)
    return created


@transaction.atomic
def parameters_update(*, user: Any, parameters: ScreeningParameters, **fields: Any) -> ScreeningParameters:
    """Change a year's parameters (a county administrator's act, so they become confirmed unless said)."""
    before = snapshot(parameters)
    allowed = {*PARAMETER_FIELDS, "effective_from", "confirmed", "note"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValidationError({name: _("该项不可修改")})
        setattr(parameters, name, value)
    check_parameters(parameters)
    parameters.full_clean(exclude=["county"])
    parameters.save()
    parameters.refresh_from_db()  # stored precision, so the audit shows 7600.00 and not 7600
    audit_log(user=user, action="screening.parameters.updated", obj=parameters, before=before,
              after=snapshot(parameters), area_code=parameters.county_id)
    return parameters


@transaction.atomic
def parameters_create(*, user: Any, county: Area, year: int) -> ScreeningParameters:
    """Open a new policy year, starting from the latest earlier year's figures (unconfirmed)."""
    if ScreeningParameters.objects.filter(county=county, year=year).exists():
        raise ValidationError({"year": _("%(y)s年度参数已存在") % {"y": year}})
    base = parameters_for(county.code, year)
    values = {name: getattr(base, name) for name in PARAMETER_FIELDS}
    params = ScreeningParameters(county=county, year=year, effective_from=datetime.date(year, 1, 1),
                                 confirmed=False, note=_("由%(y)s年度参数复制，待确认") % {"y": base.year}, **values)
    check_parameters(params)
    params.full_clean(exclude=["county"])
    params.save()
    audit_log(user=user, action="screening.parameters.created", obj=params, after=snapshot(params),
              area_code=county.code)
    return params


# --- runs ---------------------------------------------------------------------------------------------


def as_of_for_year(year: int, today: datetime.date | None = None) -> datetime.date:
    """The day a run for a policy year looks at: today within that year, else its last (or first) day."""
    today = today or timezone.localdate()
    return min(max(today, datetime.date(year, 1, 1)), datetime.date(year, 12, 31))


def run_context(county_code: str, year: int | None, scope: Scope) -> RuleContext:
    """Parameters and as-of day of a run: the given policy year, or whatever is in effect today."""
    today = timezone.localdate()
    if year is None:
        return RuleContext(params=parameters_in_effect(county_code, today), as_of=today, scope=scope)
    return RuleContext(params=parameters_for(county_code, year), as_of=as_of_for_year(year, today), scope=scope)


@transaction.atomic
def screening_run(*, user: Any = None, area: Area, year: int | None = None) -> ScreeningRun:
    """A full screening of every household in an area (the county or part of it).

    1. evaluate every rule into the candidate table;
    2. resolve, update and insert hits so the area's current hits equal the candidates;
    3. record the run with counts per rule, new and resolved, and audit it.
    """
    started = time.monotonic()
    county_code = area.county_code if area.level != AreaLevel.COUNTY else area.code
    ctx = run_context(county_code, year, Scope.for_area(area))
    run = ScreeningRun.objects.create(kind=RunKind.FULL, county_id=county_code, area=area, user=_user(user),
                                      parameter_year=ctx.params.year, as_of=ctx.as_of,
                                      households=Household.objects.in_area(area).count())
    _apply(run, ctx, started)
    audit_log(user=user, action="screening.run.completed", obj=run, area_code=area.code,
              after={"area": area.code, "parameter_year": run.parameter_year, "hits": run.total_hits,
                     "new": run.new_count, "resolved": run.resolved_count})
    return run


def households_rescreen(household_ids: Iterable[int]) -> list[ScreeningRun]:
    """Re-screen changed households at once (the registry's change listener).

    Runs inside the registry service's transaction, with the rules restricted to these households and
    the parameters in effect today, so it always agrees with a full run of today. A re-screen that would
    change nothing writes no run at all.
    """
    by_county: dict[str, list[int]] = defaultdict(list)
    for pk, county in Household.objects.filter(pk__in=set(household_ids)).values_list("pk", "county_id"):
        by_county[county].append(pk)
    runs = []
    if by_county:
        engine.hits_lock(engine.RESCREEN_LOCK)  # waits for an area's first run to commit (engine.hits_lock)
    for county_code, ids in by_county.items():
        started = time.monotonic()
        ids = sorted(ids)
        ctx = run_context(county_code, None, Scope(household_ids=tuple(ids)))
        with engine.candidates(ctx) as found:
            plan = engine.diff_plan(ctx=ctx, found=found)
            if plan.empty:  # most edits change no hit: no run row to write (and none to delete)
                continue
            run = ScreeningRun.objects.create(kind=RunKind.HOUSEHOLD, county_id=county_code, area_id=county_code,
                                              parameter_year=ctx.params.year, as_of=ctx.as_of, households=len(ids))
            _record(run, ctx, found, plan, started)
        runs.append(run)
    return runs


def _apply(run: ScreeningRun, ctx: RuleContext, started: float) -> None:
    # The area's first run (every hit new) is asked again under the lock that holds re-screens off until
    # it commits: one committed between the two questions makes it a diff run after all.
    if not engine.current_hits_exist(ctx):
        engine.hits_lock(engine.FIRST_RUN_LOCK)
        if not engine.current_hits_exist(ctx):
            _save(run, engine.first_hits(ctx=ctx, run_id=run.pk), started)
            return
    with engine.candidates(ctx) as found:
        _record(run, ctx, found, engine.diff_plan(ctx=ctx, found=found), started)


def _record(run: ScreeningRun, ctx: RuleContext, found: engine.Candidates, plan: engine.Plan, started: float) -> None:
    _save(run, engine.apply_candidates(ctx=ctx, run_id=run.pk, found=found, plan=plan), started)


def _save(run: ScreeningRun, diff: engine.Diff, started: float) -> None:
    run.hit_counts = {code: diff.counts.get(code, 0) for code in RULES_BY_CODE}
    run.new_count, run.resolved_count, run.changed_count = diff.new, diff.resolved, diff.changed
    run.duration_ms = int((time.monotonic() - started) * 1000)
    run.save(update_fields=["hit_counts", "new_count", "resolved_count", "changed_count", "duration_ms"])


def _user(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


# --- leads --------------------------------------------------------------------------------------------


def leads_open_from_hits(*, user: Any, run: ScreeningRun | None = None,
                         rule_codes: Iterable[str] = FOCUS_RULES, area: Area | None = None) -> int:
    """Open (or add evidence to) a monitoring lead for each household with current hits on focus rules.

    With a run, only hits first seen in that run are sent, so re-running does not repeat evidence.
    Returns the number of households passed to monitoring. Monitoring keeps one open lead per household.
    """
    from shouwang.monitoring.services import lead_open  # monitoring depends on screening, not the reverse

    hits = Hit.objects.current().filter(rule_code__in=list(rule_codes)).select_related("household", "person")
    if run is not None:
        hits = hits.filter(first_seen_run=run)
    if area is not None:
        hits = hits.filter(household__in=Household.objects.in_area(area).values("pk"))
    grouped: dict[int, list[Hit]] = defaultdict(list)
    for hit in hits.order_by("household_id", "rule_code", "pk"):
        grouped[hit.household_id].append(hit)
    for household_hits in grouped.values():
        lead_open(user=user, household=household_hits[0].household, source="screening",
                  evidence=_lead_evidence(household_hits), found_on=timezone.localdate())
    return len(grouped)


def _lead_evidence(hits: list[Hit]) -> dict[str, Any]:
    return {
        "screening": [
            {"rule": h.rule_code, "version": h.rule_version, "parameter_year": h.parameter_year,
             "person": h.person.name if h.person else "", "explanation": explain(h.rule_code, h.evidence),
             "evidence": h.evidence, "hit": h.pk}
            for h in hits
        ]
    }


def county_of(area: Area) -> Area:
    return area if area.level == AreaLevel.COUNTY else Area.objects.get(code=county_key(area.county_code))


# --- demo ---------------------------------------------------------------------------------------------


def demo_step(county: Area, seed: int, stdout: Any) -> None:
    """`shouwang demo`: seed the county's parameters and run a full screening."""
    parameters_ensure(county=county)
    run = screening_run(area=county)
    stdout.write(f"风险筛查：{run.total_hits} 条命中，涉及规则 {sum(1 for n in run.hit_counts.values() if n)} 条")
