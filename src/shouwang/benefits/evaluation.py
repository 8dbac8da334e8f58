"""Set-based evaluation of the coverage rules over the fact table (see `facts.py`).

A rule's findings are one scan of the fact table; the tallies of every rule are one GROUP BY. Nothing here
loops over persons; `services.coverage_run` writes the findings with INSERT ... SELECT.
"""

from __future__ import annotations

import datetime
import operator
from functools import reduce
from typing import Any

from django.db.models import Case, CharField, ExpressionWrapper, F, IntegerField, Q, QuerySet, Value, When

from shouwang.areas.models import Area
from shouwang.benefits.models import CoverageFact, CoverageParameters, FactColumns
from shouwang.benefits.rules import RULES, Context, Rule


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


def _outside(rule: Rule, ctx: Context) -> Q:
    """What makes a receiving row a candidate: not eligible, or a DUPLICATE (every leaking row receives
    and fails a requirement, so is not eligible, unless it is a DUPLICATE)."""
    twice = Q(**{f"{rule.count_field}__gt": 1}) if rule.count_field else Q(pk__in=[])
    return ~eligible(rule, ctx) | twice


def candidate(rule: Rule, ctx: Context) -> Q:
    """The rows `findings(outside=True)` returns: missed, leaking, or receiving without being eligible,
    with the eligibility tested once per row."""
    return (~receiving(rule) & eligible(rule, ctx)) | (receiving(rule) & _outside(rule, ctx))


def _candidate_bit(rule: Rule, ctx: Context, bit: int) -> Case:
    """`bit` when the row is a candidate of `rule` (`candidate`), written as a CASE on receiving first:
    each branch tests the eligibility once, and the record column is read once, not in both terms of the
    OR."""
    return Case(When(receiving(rule), then=Case(When(_outside(rule, ctx), then=Value(bit)), default=Value(0))),
                When(eligible(rule, ctx), then=Value(bit)), default=Value(0), output_field=IntegerField())


def candidate_bits(rules: list[Rule], ctx: Context) -> QuerySet[Any, dict[str, Any]]:
    """Per fact row of the county, `f_bits`: bit i set when the row is a candidate of `rules[i]` (see
    `candidate`). One scan tests every rule on a row at once; the run then reads each rule's rows from
    these instead of scanning the facts once per rule."""
    bits = [_candidate_bit(rule, ctx, 1 << i) for i, rule in enumerate(rules)]
    total = reduce(operator.add, bits)
    return (CoverageFact.objects.filter(county_id=ctx.county.code)
            .annotate(f_bits=ExpressionWrapper(total, output_field=IntegerField())).values("person_id", "f_bits"))


def findings(rule: Rule, ctx: Context, model: type[FactColumns] = CoverageFact, *,
             outside: bool = False) -> QuerySet[Any, dict[str, Any]]:
    """MISSED and LEAK rows of one rule in the county, columns as FINDING_COLUMNS (one scan of the fact
    table: the kept facts, or the temporary `PersonFact` of the person page).

    With `outside`, also the rows receiving without being eligible that are no leakage (reason NULL), and
    a column `f_outside` (1: receiving and not eligible): the tallies count the covered from them."""
    missed = ~receiving(rule) & eligible(rule, ctx)
    missed_reasons = [When(missed & condition, then=Value(code)) for code, condition in rule.missed_reasons(ctx)]
    reason = Case(
        *missed_reasons, When(missed, then=Value("MISSED")), *_leak_whens(rule, ctx), output_field=CharField(),
    )
    kind = Case(When(missed, then=Value("missed")), default=Value("leak"), output_field=CharField())
    where = candidate(rule, ctx) if outside else missed | leaking(rule, ctx)
    columns = ["f_kind", "person_id", "household_id", "county_id", "township_id", "village_id", "f_reason",
               "f_record"]
    annotations: dict[str, Any] = {"f_kind": kind, "f_reason": reason, "f_record": F(rule.receiving_field)}
    if outside:
        beyond = receiving(rule) & ~eligible(rule, ctx)
        annotations["f_outside"] = Case(When(beyond, then=Value(1)), default=Value(0), output_field=IntegerField())
        columns.append("f_outside")
    return (model._default_manager.filter(where).filter(county_id=ctx.county.code)
            .annotate(**annotations).values(*columns))


def received_bits() -> dict[str, int]:
    """The bit of each rule in the fact column `received` (set: a record of the rule counts)."""
    return {code: 1 << i for i, code in enumerate(RULES)}


def tallies(rules: list[Rule], ctx: Context, candidates: str) -> list[dict[str, Any]]:
    """Per village and rule: eligible, receiving, covered, missed and leak person counts.

    Receiving comes from the facts' `received` bits: the kept counts of fact rows per village and bit
    pattern (`facts.COUNT_TABLE`, tens of thousands at 1M persons: no test per fact row and rule) summed per rule over
    the patterns in one statement; missed, leak and the receiving-but-not-eligible come from the
    run's candidates (one GROUP BY over the temporary table).
    Covered = receiving - receiving-but-not-eligible; eligible = covered + missed."""
    from django.db import connection

    from shouwang.benefits.facts import COUNT_TABLE, PATTERN_SPAN

    counts: dict[tuple[str, str], dict[str, Any]] = {}
    # the village's township and county are those of the area table, the same codes the households carry
    above = {code: (county, township) for code, county, township in
             Area.objects.filter(county_code=ctx.county.code).values_list("code", "county_code", "township_code")}

    def entry(rule: str, village: str) -> dict[str, Any]:
        key = (rule, village)
        if key not in counts:
            county, township = above.get(village) or (village[:6] + "000000", village[:9] + "000")
            counts[key] = {"rule": rule, "county_id": county, "township_id": township, "village_id": village,
                           "receiving": 0, "outside": 0, "missed": 0, "leak": 0}
        return counts[key]

    bits = received_bits()
    codes = [rule.code for rule in rules]
    # the kept counts of the patterns summed per rule in SQL: one row per village comes back, not one per
    # pattern (a pattern's low bits are the rows' `received`, the rest their village's code)
    per_rule = ", ".join(f"SUM(CASE WHEN pattern & {bits[code]} <> 0 THEN n ELSE 0 END)" for code in codes)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pattern / {PATTERN_SPAN}, {per_rule} FROM {COUNT_TABLE} WHERE county_id = %s"  # noqa: S608
                       f" GROUP BY pattern / {PATTERN_SPAN}", [ctx.county.code])
        for village, *sums in cursor.fetchall():
            for code, n in zip(codes, sums, strict=True):
                if n:
                    entry(code, str(village).zfill(12))["receiving"] += int(n)
        cursor.execute(f"SELECT rule, kind, village_id, COUNT(reason), SUM(outside) FROM {candidates}"  # noqa: S608
                       " GROUP BY rule, kind, village_id")
        for rule, kind, village, n, beyond in cursor.fetchall():
            row = entry(rule, village)
            row[kind] += n
            row["outside"] += beyond
    out = []
    for c in counts.values():
        covered = c["receiving"] - c.pop("outside")
        out.append(c | {"covered": covered, "eligible": covered + c["missed"]})
    return out
