"""Set-based evaluation of the coverage rules: the receiving set, MISSED and LEAK querysets, and tallies.

Each function returns a QuerySet over Person (or plain rows) that the database evaluates in one statement;
`services.coverage_run` writes them with INSERT ... SELECT so no row passes through Python.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast

from shouwang.benefits.models import BenefitRecord, CoverageParameters
from shouwang.benefits.rules import ACTIVE, EVER, PERIOD, YEAR, Context, Rule
from shouwang.registry.models import Person


def parameters_for(county: Any, year: int) -> CoverageParameters:
    """The parameters in force for `year`: the latest row not after it, seeding the defaults if none."""
    row = CoverageParameters.objects.filter(county=county, year__lte=year).order_by("-year").first()
    if row is None:
        from shouwang.benefits.services import coverage_parameters_seed

        row = coverage_parameters_seed(county=county, year=year)
    return row


def context_for(county: Any, day: datetime.date) -> Context:
    return Context(county=county, day=day, params=parameters_for(county, day.year))


def receiving_records(rule: Rule, ctx: Context) -> QuerySet[BenefitRecord]:
    records = BenefitRecord.objects.filter(kind__in=rule.kinds, person__isnull=False)
    if rule.window == ACTIVE:
        return records.active_on(ctx.day)
    if rule.window == YEAR:
        return records.running_between(ctx.year_start, ctx.day)
    if rule.window == PERIOD:
        p = ctx.params
        return records.started_between(p.training_period_start, min(p.training_period_end, ctx.day))
    assert rule.window == EVER
    return records.filter(start_on__lte=ctx.day)


def persons(ctx: Context, scope: Q | None = None) -> QuerySet[Person]:
    qs = Person.objects.filter(household__county_id=ctx.county.code)
    return qs.filter(scope) if scope is not None else qs


def eligible_condition(rule: Rule, ctx: Context) -> Q:
    condition = Q()
    for requirement in rule.requirements(ctx):
        condition &= requirement.condition
    return condition


def _receiving_ids(rule: Rule, ctx: Context) -> QuerySet[BenefitRecord]:
    return receiving_records(rule, ctx).values("person_id")


def leak_reason(rule: Rule, ctx: Context) -> tuple[Case, Subquery | None]:
    """The first failing leak requirement; for monthly benefits also two records running at once.

    Returns the reason expression and, for monthly benefits, the record count it refers to as
    `n_receiving` (to be annotated first)."""
    whens = [When(~r.condition, then=Value(r.reason)) for r in rule.requirements(ctx) if r.leak]
    if rule.window != ACTIVE:
        return Case(*whens, default=None, output_field=CharField()), None
    same_kind = receiving_records(rule, ctx).filter(person=OuterRef("pk"))
    count = same_kind.order_by().values("person").annotate(n=Count("pk")).values("n")
    whens.append(When(Q(n_receiving__gt=1), then=Value("DUPLICATE")))
    return Case(*whens, default=None, output_field=CharField()), Subquery(count)


def missed_reason(rule: Rule, ctx: Context) -> Case:
    whens = [When(condition, then=Value(code)) for code, condition in rule.missed_reasons(ctx)]
    return Case(*whens, default=Value("MISSED"), output_field=CharField())


FINDING_COLUMNS = ("person_id", "household_id", "county_id", "township_id", "village_id", "reason", "record_id")


def _finding_values(qs: QuerySet[Person], record: Any) -> QuerySet[Person]:
    return qs.annotate(
        f_county=F("household__county_id"), f_township=F("household__township_id"),
        f_village=F("household__village_id"), f_record=record,
    ).values("pk", "household_id", "f_county", "f_township", "f_village", "f_reason", "f_record")


def missed_persons(rule: Rule, ctx: Context, scope: Q | None = None) -> QuerySet[Person]:
    """Eligible persons with no record of the rule's kinds in its window; columns as FINDING_COLUMNS."""
    qs = persons(ctx, scope).filter(eligible_condition(rule, ctx)).exclude(pk__in=_receiving_ids(rule, ctx))
    return _finding_values(qs.annotate(f_reason=missed_reason(rule, ctx)), Cast(Value(None), BigIntegerField()))


def leak_persons(rule: Rule, ctx: Context, scope: Q | None = None) -> QuerySet[Person]:
    """Receiving persons failing a leak requirement, with the first failing reason and the latest record."""
    qs = persons(ctx, scope).filter(pk__in=_receiving_ids(rule, ctx))
    reason, n_receiving = leak_reason(rule, ctx)
    if n_receiving is not None:
        qs = qs.annotate(n_receiving=n_receiving)
    latest = receiving_records(rule, ctx).filter(person=OuterRef("pk")).order_by("-start_on", "-pk").values("pk")
    qs = qs.annotate(f_reason=reason).filter(f_reason__isnull=False)
    return _finding_values(qs, Subquery(latest[:1]))


def receiving_tally(rule: Rule, ctx: Context, scope: Q | None = None) -> QuerySet[Person]:
    """Per village: persons receiving, and those of them who are eligible (covered)."""
    qs = persons(ctx, scope).filter(pk__in=_receiving_ids(rule, ctx))
    return qs.values("household__county_id", "household__township_id", "household__village_id").annotate(
        receiving=Count("pk"), covered=Count("pk", filter=eligible_condition(rule, ctx)),
    ).order_by()
