"""Suggested measures (帮扶建议) by the plan's rule, each with its reason.

- a member able to work (普通/弱劳动力) → development help (就业, and 职业技能培训 for the trainable);
- nobody able to earn a stable income → the safety net: 特困供养 for one person alone, 低保 otherwise;
- the officer judged motivation low (ledger flag) → 扶志扶智;
- a child 0-6 with a qualifying disability → 残疾儿童康复救助;
- a grade 1-2 member → check the 重度残疾人护理补贴 (两项补贴);
- an open 两不愁三保障 / water problem → the measure kind that answers it.
Screening hits without a rule of their own appear as context in the reasons.

Evaluation is set-based: members, hits, open problems, existing measures and answers for a whole batch of
ledgers are read in one query each, then the rules run on those rows.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Count, F, QuerySet
from django.utils.translation import gettext as _

from shouwang.assistance.catalogue import PROBLEM_MEASURE
from shouwang.assistance.choices import MeasureStatus, ProblemStatus
from shouwang.assistance.models import Ledger, Measure, MeasureKind, Problem, SuggestionRecord
from shouwang.assistance.parameters import AssistanceRules, rules_for
from shouwang.registry.choices import ABLE_TO_WORK, AssistanceStatus, LabourCapacity, LivingStatus
from shouwang.registry.models import Person


@dataclass
class Suggestion:
    key: str  # stable: the rule and what it is about, so an answer is remembered
    kind_code: str
    reason: str
    person_id: int | None = None
    problem_ids: list[int] = field(default_factory=list)
    kind: MeasureKind | None = None

    @property
    def rule(self) -> str:
        return self.key.split(":", 1)[0]


@dataclass
class _Facts:
    """What the rules look at for one household."""

    household: Any
    low_motivation: bool
    members: list[dict[str, Any]] = field(default_factory=list)
    hits: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    active_kinds: set[str] = field(default_factory=set)  # kinds already planned, running or done


def _age(birth: datetime.date, today: datetime.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def current_hits(
    household_ids: Iterable[int] | QuerySet[Any], rule_codes: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """Current screening hits, if the screening app's tables exist yet (empty otherwise)."""
    try:
        hit = apps.get_model("screening", "Hit")
    except LookupError:
        return []
    return list(
        hit.objects.filter(
            household_id__in=household_ids if isinstance(household_ids, QuerySet) else list(household_ids),
            resolved_run__isnull=True,
            **({"rule_code__in": list(rule_codes)} if rule_codes is not None else {}),
        )
        .values("household_id", "rule_code", "person_id", "evidence", person_name=F("person__name"))
        .order_by("household_id", "rule_code", "person_id")
    )


def _facts(ledgers: list[Ledger]) -> dict[int, _Facts]:
    facts = {
        lg.household_id: _Facts(household=lg.household, low_motivation=lg.low_motivation) for lg in ledgers
    }
    ids = list(facts)
    members = (
        Person.objects.filter(household_id__in=ids, living_status=LivingStatus.ALIVE)
        .values(
            "pk",
            "household_id",
            "name",
            "birth_date",
            "labour_capacity",
            "training_need",
            "training_willing",
            "training_able",
            category=F("disability__category"),
            grade=F("disability__grade"),
        )
        .order_by("household_id", "pk")
    )
    for member in members:
        facts[member["household_id"]].members.append(dict(member))
    for hit in current_hits(ids):
        facts[hit["household_id"]].hits.append(hit)
    open_problems = (
        Problem.objects.filter(household_id__in=ids, status=ProblemStatus.OPEN)
        .annotate(measure_count=Count("measures"))
        .values("pk", "household_id", "kind", "description", "measure_count")
    )
    for problem in open_problems:
        facts[problem["household_id"]].problems.append(dict(problem))
    for row in (
        Measure.objects.filter(ledger__household_id__in=ids)
        .exclude(status=MeasureStatus.NOT_EFFECTIVE)
        .values("ledger__household_id", "kind__code")
    ):
        facts[row["ledger__household_id"]].active_kinds.add(row["kind__code"])
    return facts


def _names(rows: list[dict[str, Any]]) -> str:
    return "、".join(r["name"] for r in rows)


def _development(f: _Facts, rules: AssistanceRules, today: datetime.date) -> list[Suggestion]:
    able = [
        m
        for m in f.members
        if m["labour_capacity"] in ABLE_TO_WORK
        and rules.working_age_min <= _age(m["birth_date"], today) <= rules.working_age_max
    ]
    if not able:
        return []
    out = [
        Suggestion(
            "development:employment",
            "employment",
            _("%(names)s有劳动能力，按“有劳动能力的开发式帮扶”安排就业或产业帮扶") % {"names": _names(able)},
        )
    ]
    trainable = [m for m in able if m["training_need"] and m["training_willing"] and m["training_able"]]
    for m in trainable:
        out.append(
            Suggestion(
                f"development:training:{m['pk']}",
                "vocational_training",
                _("%(name)s有培训需求、意愿和接受能力") % {"name": m["name"]},
                person_id=m["pk"],
            )
        )
    return out


def _safety_net(f: _Facts, rules: AssistanceRules, today: datetime.date) -> list[Suggestion]:
    able = [
        m
        for m in f.members
        if m["labour_capacity"] in ABLE_TO_WORK
        and rules.working_age_min <= _age(m["birth_date"], today) <= rules.working_age_max
    ]
    if able or not f.members or f.household.assistance_status != AssistanceStatus.NONE:
        return []
    lost = {
        LabourCapacity.LOST.value: LabourCapacity.LOST.label,
        LabourCapacity.NONE.value: LabourCapacity.NONE.label,
    }
    outside = _("年龄不在劳动年龄段")
    detail = "，".join(
        f"{m['name']}{lost.get(m['labour_capacity'], outside)}" for m in f.members
    )
    if len(f.members) == 1:
        return [
            Suggestion(
                "safety_net:tekun",
                "tekun",
                _("独居且无劳动能力（%(detail)s），无法获得稳定收入，核查特困供养") % {"detail": detail},
            )
        ]
    return [
        Suggestion(
            "safety_net:dibao",
            "dibao",
            _("家中无人能获得稳定收入（%(detail)s），纳入低保兜底") % {"detail": detail},
        )
    ]


def _motivation(f: _Facts, *_rest: Any) -> list[Suggestion]:
    if not f.low_motivation:
        return []
    return [Suggestion("motivation", "motivation", _("帮扶干部认定内生动力不足，开展扶志扶智"))]


def _child_rehab(f: _Facts, rules: AssistanceRules, today: datetime.date) -> list[Suggestion]:
    return [
        Suggestion(
            f"child_rehab:{m['pk']}",
            "child_rehab",
            _("%(name)s%(age)s岁，持残疾人证，符合残疾儿童康复救助条件")
            % {"name": m["name"], "age": _age(m["birth_date"], today)},
            person_id=m["pk"],
        )
        for m in f.members
        if m["category"] in rules.child_rehab_categories
        and _age(m["birth_date"], today) <= rules.child_rehab_max_age
    ]


def _care_subsidy(f: _Facts, rules: AssistanceRules, *_rest: Any) -> list[Suggestion]:
    return [
        Suggestion(
            f"care_subsidy:{m['pk']}",
            "two_subsidies",
            _("%(name)s为%(grade)s级重度残疾人，核查重度残疾人护理补贴是否落实")
            % {"name": m["name"], "grade": m["grade"]},
            person_id=m["pk"],
        )
        for m in f.members
        if m["grade"] is not None and m["grade"] <= rules.care_subsidy_max_grade
    ]


def _problems(f: _Facts, *_rest: Any) -> list[Suggestion]:
    return [
        Suggestion(
            f"problem:{p['pk']}",
            PROBLEM_MEASURE[p["kind"]],
            _("问题清单：%(description)s") % {"description": p["description"]},
            problem_ids=[p["pk"]],
        )
        for p in f.problems
        if not p["measure_count"]  # a problem with a measure is being dealt with
    ]


RULES = (_development, _safety_net, _motivation, _child_rehab, _care_subsidy, _problems)


def _hit_context(f: _Facts) -> str:
    from shouwang.assistance.selectors import hit_label

    labels = [hit_label(code) for code in sorted({h["rule_code"] for h in f.hits})]
    return _("（筛查命中：%(labels)s）") % {"labels": "、".join(labels)} if labels else ""


BATCH = 1000  # ledgers per round of reads: bounded IN lists, a fixed number of queries per batch


def suggestions_for_ledgers(
    ledgers: list[Ledger], *, today: datetime.date | None = None, include_answered: bool = False
) -> dict[int, list[Suggestion]]:
    """Open suggestions per ledger id: not yet answered, and not for a kind already on the ledger."""
    today = today or datetime.date.today()
    kinds = {k.code: k for k in MeasureKind.objects.filter(active=True)}
    rules = {county: rules_for(county, today.year) for county in {lg.household.county_id for lg in ledgers}}
    result: dict[int, list[Suggestion]] = {}
    for i in range(0, len(ledgers), BATCH):
        batch = ledgers[i : i + BATCH]
        facts = _facts(batch)
        answered = defaultdict(set)
        for ledger_id, key in SuggestionRecord.objects.filter(ledger__in=batch).values_list(
            "ledger_id", "key"
        ):
            answered[ledger_id].add(key)
        for ledger in batch:
            f = facts[ledger.household_id]
            found = [s for rule in RULES for s in rule(f, rules[ledger.household.county_id], today)]
            result[ledger.pk] = _keep(found, f, kinds, answered[ledger.pk], include_answered)
    return result


def _keep(
    found: list[Suggestion],
    f: _Facts,
    kinds: dict[str, MeasureKind],
    answered: set[str],
    include_answered: bool,
) -> list[Suggestion]:
    kept, context = [], _hit_context(f)
    for s in found:
        s.kind = kinds.get(s.kind_code)
        if s.kind is None or (not include_answered and s.key in answered):
            continue
        if not include_answered and s.kind_code in f.active_kinds and s.rule != "problem":
            continue
        if s.rule in ("development", "safety_net"):
            s.reason += context
        kept.append(s)
    return kept


def suggestions_for(ledger: Ledger, *, today: datetime.date | None = None) -> list[Suggestion]:
    return suggestions_for_ledgers([ledger], today=today)[ledger.pk]


def suggestion_get(ledger: Ledger, key: str) -> Suggestion | None:
    return next(
        (s for s in suggestions_for_ledgers([ledger], include_answered=True)[ledger.pk] if s.key == key), None
    )
