"""Set-based evaluation of the coverage rules over the fact table (see `facts.py`).

A rule's findings are one scan of the fact table; the tallies of every rule are one GROUP BY. Nothing here
loops over persons; `services.coverage_run` writes the findings with INSERT ... SELECT.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When

from shouwang.areas.models import Area
from shouwang.benefits.models import CoverageFact, CoverageParameters, FactColumns
from shouwang.benefits.rules import Context, Rule


def parameters_for(county: Any, year: int) -> CoverageParameters:
    """The parameters in force for `year`: the latest row not after it, seeding the defaults if none."""
    row = CoverageParameters.objects.filter(county=county, year__lte=year).order_by("-year").first()
    if row is None:
        from shouwang.benefits.services import coverage_parameters_seed

        row = coverage_parameters_seed(county=county, year=year)
    return row


def context_for(county: Any, day: datetime.date) -> Context:
    return Context(county=county, day=day, params=parameters_for(county, day.year))


IN_FORCE = Q(in_force=True)


def eligible(rule: Rule, ctx: Context) -> Q:
    """Every requirement holds. The stop rules are tested at once by the fact column `in_force`, after the
    rule's own requirements (which rule out most persons sooner); AND is evaluated left to right."""
    condition = Q()
    requirements = rule.requirements(ctx)
    for requirement in requirements:
        if not requirement.stop:
            condition &= requirement.condition
    if any(r.stop for r in requirements):
        condition &= IN_FORCE
    return condition


def receiving(rule: Rule) -> Q:
    return Q(**{f"{rule.receiving_field}__isnull": False})


def _failing(rule: Rule, requirement: Any) -> Q:
    """The requirement fails in a way that makes leakage (a stop event of a yearly benefit only while a
    record still runs on the reference date)."""
    fail = ~requirement.condition
    if requirement.event and rule.running_field:
        fail &= Q(**{rule.running_field: True})
    return fail


def _leak_whens(rule: Rule, ctx: Context) -> list[When]:
    whens = [When(_failing(rule, r), then=Value(r.reason)) for r in rule.requirements(ctx) if r.leak]
    if rule.count_field:
        whens.append(When(Q(**{f"{rule.count_field}__gt": 1}), then=Value("DUPLICATE")))
    return whens


def leaking(rule: Rule, ctx: Context) -> Q:
    """Receiving and failing a leak requirement (or, for monthly benefits, two records running at once).
    When every stop rule is a leak requirement, `in_force` tests them at once."""
    requirements = rule.requirements(ctx)
    stops = [r for r in requirements if r.stop]
    whole = bool(stops) and all(r.leak for r in stops)
    failing = Q()
    if whole and rule.running_field:
        # (a stop rule fails AND a record still runs) OR a non-event stop rule (no certificate) fails: the
        # same as each stop rule with `_failing`, since a failing non-event rule also fails in_force
        failing = ~IN_FORCE & Q(**{rule.running_field: True})
        for requirement in stops:
            if not requirement.event:
                failing |= ~requirement.condition
    elif whole:
        failing = ~IN_FORCE
    for requirement in requirements:
        if requirement.leak and not (whole and requirement.stop):
            failing |= _failing(rule, requirement)
    if rule.count_field:
        failing |= Q(**{f"{rule.count_field}__gt": 1})
    return receiving(rule) & failing


FINDING_COLUMNS = ("kind", "person_id", "household_id", "county_id", "township_id", "village_id", "reason",
                   "record_id")


def findings(rule: Rule, ctx: Context, model: type[FactColumns] = CoverageFact) -> QuerySet[Any, dict[str, Any]]:
    """MISSED and LEAK rows of one rule in the county, columns as FINDING_COLUMNS (one scan of the fact
    table: the kept facts, or the temporary `PersonFact` of the person page)."""
    missed = ~receiving(rule) & eligible(rule, ctx)
    missed_reasons = [When(missed & condition, then=Value(code)) for code, condition in rule.missed_reasons(ctx)]
    reason = Case(
        *missed_reasons, When(missed, then=Value("MISSED")), *_leak_whens(rule, ctx), output_field=CharField(),
    )
    kind = Case(When(missed, then=Value("missed")), default=Value("leak"), output_field=CharField())
    return (model._default_manager.filter(missed | leaking(rule, ctx)).filter(county_id=ctx.county.code)
            .annotate(f_kind=kind, f_reason=reason, f_record=F(rule.receiving_field))
            .values("f_kind", "person_id", "household_id", "county_id", "township_id", "village_id", "f_reason",
                    "f_record"))


def tallies(rules: list[Rule], ctx: Context, candidates: str) -> list[dict[str, Any]]:
    """Per village and rule: eligible, receiving, covered, missed and leak person counts.

    Receiving and covered come from the facts in one GROUP BY village for every rule (eligibility is only
    tested on the rows receiving the rule); missed and leak are counted from the run's candidate findings
    (one GROUP BY over the temporary table). Eligible = covered + missed."""
    from django.db import connection

    area = ("county_id", "township_id", "village_id")
    counts: dict[tuple[str, str], dict[str, Any]] = {}

    def entry(rule: str, row: dict[str, Any]) -> dict[str, Any]:
        key = (rule, row["village_id"])
        if key not in counts:
            counts[key] = {"rule": rule, **{k: row[k] for k in area},
                           "receiving": 0, "covered": 0, "missed": 0, "leak": 0}
        return counts[key]

    aggregates: dict[str, Count] = {}
    for i, rule in enumerate(rules):
        aggregates[f"n{i}"] = Count(rule.receiving_field)
        aggregates[f"ok{i}"] = Count(rule.receiving_field, filter=receiving(rule) & eligible(rule, ctx))
    # Grouped by the village code alone (SQLite sorts the rows: one key is cheaper than three); the village's
    # township and county are those of the area table, the same codes the households carry.
    above = {code: (county, township) for code, county, township in
             Area.objects.filter(county_code=ctx.county.code).values_list("code", "county_code", "township_code")}
    for row in CoverageFact.objects.filter(county_id=ctx.county.code).values("village_id").annotate(**aggregates).order_by():
        village = row["village_id"]
        county, township = above.get(village) or (village[:6] + "000000", village[:9] + "000")
        for i, rule in enumerate(rules):
            if row[f"n{i}"]:
                entry(rule.code, {"county_id": county, "township_id": township, "village_id": village}).update(
                    receiving=row[f"n{i}"], covered=row[f"ok{i}"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rule, kind, {', '.join(area)}, COUNT(*) FROM {candidates}"  # noqa: S608
                       f" GROUP BY rule, kind, {', '.join(area)}")
        for rule, kind, county, township, village, n in cursor.fetchall():
            entry(rule, {"county_id": county, "township_id": township, "village_id": village})[kind] = n
    return [c | {"eligible": c["covered"] + c["missed"]} for c in counts.values()]
