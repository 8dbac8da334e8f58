"""Reads of the benefits app: coverage per rule and area from the stored run, finding lists, a person's file."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from shouwang.areas.models import Area, AreaLevel
from shouwang.benefits.models import BenefitRecord, CoverageFinding, CoverageRun, CoverageTally
from shouwang.benefits.rules import RULES, reason_text
from shouwang.registry.models import Person

COUNTS = ("eligible", "receiving", "covered", "missed", "leak")


def latest_run(county_code: str) -> CoverageRun | None:
    return CoverageRun.objects.filter(county_id=county_code, complete=True).order_by("-id").first()


def _in_area(qs: QuerySet[Any], area: Area) -> QuerySet[Any]:
    column = {AreaLevel.COUNTY: "county_id", AreaLevel.TOWNSHIP: "township_id"}.get(AreaLevel(area.level),
                                                                                   "village_id")
    return qs.filter(**{column: area.code})


def _rate(covered: int, eligible: int) -> float | None:
    return round(100 * covered / eligible, 1) if eligible else None


def coverage_by_rule(run: CoverageRun, area: Area) -> list[dict[str, Any]]:
    """One row per rule: the counts summed over the area's villages, the coverage rate and its target."""
    from shouwang.benefits.evaluation import parameters_for

    params = parameters_for(run.county, run.parameter_year)
    sums = {r["rule"]: r for r in _in_area(CoverageTally.objects.filter(run=run), area)
            .values("rule").annotate(**{k: Sum(k) for k in COUNTS}).order_by()}
    rows = []
    for code, rule in RULES.items():
        counts = {k: (sums.get(code) or {}).get(k) or 0 for k in COUNTS}
        rows.append({"code": code, "title": rule.title, **counts, "target": rule.target(params),
                     "rate": _rate(counts["covered"], counts["eligible"])})
    return rows


def coverage_by_child_area(run: CoverageRun, rule: str, area: Area) -> list[dict[str, Any]]:
    """Drill-down: the rule's counts per township (for a county) or per village (for a township)."""
    if area.level == AreaLevel.VILLAGE:
        return []
    column = "township_id" if area.level == AreaLevel.COUNTY else "village_id"
    rows = (_in_area(CoverageTally.objects.filter(run=run, rule=rule), area).values(column)
            .annotate(**{k: Sum(k) for k in COUNTS}).order_by(column))
    names = dict(Area.objects.filter(parent=area).values_list("code", "name"))
    return [{"code": r[column], "name": names.get(r[column], r[column]), **{k: r[k] for k in COUNTS},
             "rate": _rate(r["covered"], r["eligible"])} for r in rows]


def finding_list(run: CoverageRun, rule: str, kind: str, area: Area) -> QuerySet[CoverageFinding]:
    """The run's MISSED or LEAK findings of one rule inside the area, by township, village, then id (the
    order of the list index on current findings)."""
    qs = run.findings.filter(rule=rule, kind=kind)
    if area.level == AreaLevel.VILLAGE:
        qs = qs.filter(township_id=area.township_code)
    return (_in_area(qs, area).select_related("person", "household", "person__disability")
            .order_by("township_id", "village_id", "id"))


def person_benefits(person: Person) -> list[BenefitRecord]:
    return list(BenefitRecord.objects.filter(person=person).order_by("-start_on", "-id"))


def person_findings(person: Person, day: Any = None) -> list[dict[str, Any]]:
    """The person's findings evaluated now (not from the last run), with the same rules and facts."""
    from shouwang.benefits.evaluation import context_for, findings
    from shouwang.benefits.facts import built_facts
    from shouwang.benefits.models import PersonFact

    county = Area.objects.get(code=person.household.county_id)
    ctx = context_for(county, day or timezone.localdate())
    found = []
    with transaction.atomic(), built_facts(ctx, person_ids=[person.pk]):
        for code, rule in RULES.items():
            for row in findings(rule, ctx, PersonFact):
                found.append({"rule": code, "title": rule.title, "kind": row["f_kind"],
                              "reason": row["f_reason"], "reason_text": reason_text(row["f_reason"])})
    return found


def home_panel(user: Any) -> list[dict[str, Any]]:
    """Home page: missed and leak totals of the latest run in the user's area."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    if not user.has_perm("benefits.view_coverage") or user.area_id is None:
        return []
    run = latest_run(user.area.code if user.area.level == AreaLevel.COUNTY else user.area.county_code)
    if run is None:
        return []
    rows = coverage_by_rule(run, user.area)
    eligible = sum(r["eligible"] for r in rows)
    covered = sum(r["covered"] for r in rows)
    return [{
        "title": _("政策落实（%(d)s核查）") % {"d": run.reference_date.isoformat()},
        "figures": [(_("应享人次"), eligible), (_("应享已享"), covered),
                    (_("应享未享"), sum(r["missed"] for r in rows)), (_("不应享而享"), sum(r["leak"] for r in rows))],
        "link": reverse("benefits:overview"), "link_label": _("查看政策落实"),
    }]


def training_by_kind(run: CoverageRun, area: Area) -> list[tuple[str, int]]:
    """TRAINING counted separately (职业技能 / 实用技术): persons in the area trained in the period, per kind."""
    from shouwang.benefits.choices import BenefitKind
    from shouwang.benefits.evaluation import parameters_for
    from shouwang.registry.models import Household

    params = parameters_for(run.county, run.parameter_year)
    last = min(params.training_period_end, run.reference_date)
    households = Household.objects.in_area(area).values("pk")
    out = []
    for kind in (BenefitKind.VOCATIONAL_TRAINING, BenefitKind.PRACTICAL_TRAINING):
        trained = BenefitRecord.objects.filter(kind=kind, person__isnull=False, household_id__in=households,
                                               start_on__gte=params.training_period_start, start_on__lte=last)
        out.append((str(kind.label), trained.values("person_id").distinct().count()))
    return out
