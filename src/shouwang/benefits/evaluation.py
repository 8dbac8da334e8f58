"""Set-based evaluation of the coverage rules over the fact table (see `facts.py`).

A rule's findings are one scan of the fact table; the tallies of every rule are one GROUP BY. Nothing here
loops over persons; `services.coverage_run` writes the findings with INSERT ... SELECT.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When

from shouwang.benefits.models import CoverageFact, CoverageParameters
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


def eligible(rule: Rule, ctx: Context) -> Q:
    condition = Q()
    for requirement in rule.requirements(ctx):
        condition &= requirement.condition
    return condition


def receiving(rule: Rule) -> Q:
    return Q(**{f"{rule.receiving_field}__isnull": False})


def _leak_whens(rule: Rule, ctx: Context) -> list[When]:
    whens = [When(~r.condition, then=Value(r.reason)) for r in rule.requirements(ctx) if r.leak]
    if rule.count_field:
        whens.append(When(Q(**{f"{rule.count_field}__gt": 1}), then=Value("DUPLICATE")))
    return whens


def leaking(rule: Rule, ctx: Context) -> Q:
    """Receiving and failing a leak requirement (or, for monthly benefits, two records running at once)."""
    failing = Q()
    for requirement in rule.requirements(ctx):
        if requirement.leak:
            failing |= ~requirement.condition
    if rule.count_field:
        failing |= Q(**{f"{rule.count_field}__gt": 1})
    return receiving(rule) & failing


FINDING_COLUMNS = ("kind", "person_id", "household_id", "county_id", "township_id", "village_id", "reason",
                   "record_id")


def findings(rule: Rule, ctx: Context) -> QuerySet[Any, dict[str, Any]]:
    """MISSED and LEAK rows of one rule, columns as FINDING_COLUMNS (one scan of the fact table)."""
    missed = eligible(rule, ctx) & ~receiving(rule)
    missed_reasons = [When(missed & condition, then=Value(code)) for code, condition in rule.missed_reasons(ctx)]
    reason = Case(
        *missed_reasons, When(missed, then=Value("MISSED")), *_leak_whens(rule, ctx), output_field=CharField(),
    )
    kind = Case(When(missed, then=Value("missed")), default=Value("leak"), output_field=CharField())
    return (CoverageFact.objects.filter(missed | leaking(rule, ctx))
            .annotate(f_kind=kind, f_reason=reason, f_record=F(rule.receiving_field))
            .values("f_kind", "person_id", "household_id", "county_id", "township_id", "village_id", "f_reason",
                    "f_record"))


def tallies(rules: list[Rule], ctx: Context) -> list[dict[str, Any]]:
    """Per village and rule: eligible, receiving, covered, missed and leak person counts (one GROUP BY)."""
    aggregates: dict[str, Count] = {}
    for rule in rules:
        ok, got, leak = eligible(rule, ctx), receiving(rule), leaking(rule, ctx)
        key = rule.code
        aggregates |= {
            f"{key}__eligible": Count("person_id", filter=ok),
            f"{key}__receiving": Count("person_id", filter=got),
            f"{key}__covered": Count("person_id", filter=ok & got),
            f"{key}__missed": Count("person_id", filter=ok & ~got),
            f"{key}__leak": Count("person_id", filter=leak),
        }
    rows = CoverageFact.objects.values("county_id", "township_id", "village_id").annotate(**aggregates).order_by()
    out = []
    for row in rows:
        for rule in rules:
            counts = {k: row[f"{rule.code}__{k}"] for k in ("eligible", "receiving", "covered", "missed", "leak")}
            if any(counts.values()):
                out.append({"rule": rule.code, "county_id": row["county_id"], "township_id": row["township_id"],
                            "village_id": row["village_id"], **counts})
    return out
