"""Every write to the assistance ledger. Views, the CLI, the visits and monitoring apps call these."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.areas.models import Area
from shouwang.assistance.choices import (
    MEASURE_TRANSITIONS,
    MeasureStatus,
    ProblemKind,
    ProblemSource,
    ProblemStatus,
    SuggestionDecision,
)
from shouwang.assistance.models import (
    AssistanceParameters,
    FollowUp,
    Ledger,
    Measure,
    MeasureKind,
    Problem,
    SuggestionRecord,
)
from shouwang.audit.models import AuditEntry
from shouwang.audit.services import audit_log, snapshot
from shouwang.registry.models import Household, Person


def _where(household: Household) -> dict[str, Any]:
    return {"area_code": household.village_id, "household_id": household.pk}


def _today() -> datetime.date:
    return timezone.localdate()


# --- ledgers ------------------------------------------------------------------------------------------


@transaction.atomic
def ledger_ensure(*, user: Any, household: Household) -> Ledger:
    """The household's ledger, created on first need (the monitoring confirmation calls this)."""
    ledger, created = Ledger.objects.get_or_create(
        household=household, defaults={"created_by": user if getattr(user, "pk", None) else None}
    )
    if created:
        audit_log(
            user=user,
            action="assistance.ledger.created",
            obj=ledger,
            after=snapshot(ledger),
            **_where(household),
        )
    return ledger


@transaction.atomic
def ledger_set_motivation(*, user: Any, ledger: Ledger, low_motivation: bool, note: str = "") -> Ledger:
    """The officer's judgement that the household lacks drive (内生动力不足): it makes 扶志扶智 a suggestion."""
    note = note.strip()
    if low_motivation and not note:
        raise ValidationError({"low_motivation_note": _("请说明内生动力不足的具体表现")})
    before = snapshot(ledger)
    ledger.low_motivation, ledger.low_motivation_note = low_motivation, note
    ledger.save(update_fields=["low_motivation", "low_motivation_note", "updated_at"])
    audit_log(
        user=user,
        action="assistance.ledger.motivation_set",
        obj=ledger,
        before=before,
        after=snapshot(ledger),
        **_where(ledger.household),
    )
    return ledger


# --- problems -----------------------------------------------------------------------------------------


def _clean_problem(kind: str, source: str, description: str) -> str:
    if kind not in ProblemKind.values:
        raise ValidationError({"kind": _("问题类别“%(k)s”无效") % {"k": kind}})
    if source not in ProblemSource.values:
        raise ValidationError({"source": _("问题来源“%(s)s”无效") % {"s": source}})
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("请填写问题描述")})
    return description


def _append_note(problem: Problem, *, user: Any, text: str, source: str) -> Problem:
    line = f"{_today():%Y-%m-%d} {ProblemSource(source).label}：{text}"
    problem.notes = f"{problem.notes}\n{line}".strip()
    problem.save(update_fields=["notes", "updated_at"])
    audit_log(
        user=user,
        action="assistance.problem.noted",
        obj=problem,
        after={"note": line},
        **_where(problem.household),
    )
    return problem


@transaction.atomic
def problem_open(
    *,
    user: Any,
    household: Household,
    kind: str,
    description: str,
    source: str = "visit",
    visit_id: int | None = None,
    rule_code: str = "",
) -> Problem:
    """Open a problem of `kind` for the household, or note the finding on the one already open.

    1. validate kind, source and description;
    2. if an open problem of that kind exists, append the finding to its notes and return it;
    3. otherwise create it (a concurrent open of the same kind falls back to step 2)."""
    description = _clean_problem(kind, source, description)
    existing = Problem.objects.open().filter(household=household, kind=kind).first()
    if existing is not None:
        return _append_note(existing, user=user, text=description, source=source)
    problem = Problem(
        household=household,
        kind=kind,
        description=description[:500],
        source=source,
        visit_id=visit_id,
        rule_code=rule_code,
        opened_on=_today(),
        opened_by=user if getattr(user, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            problem.save()
    except IntegrityError:
        existing = Problem.objects.open().get(household=household, kind=kind)
        return _append_note(existing, user=user, text=description, source=source)
    audit_log(
        user=user,
        action="assistance.problem.opened",
        obj=problem,
        after=snapshot(problem),
        **_where(household),
    )
    return problem


@transaction.atomic
def problem_clear(
    *, user: Any, problem: Problem, cleared_on: datetime.date, evidence: str, measure: Measure | None = None
) -> Problem:
    """Clear (清零) an open problem with a date and evidence, optionally naming the measure that did it."""
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    if problem.status != ProblemStatus.OPEN:
        raise ValidationError(_("该问题已于%(d)s清零，不能重复清零") % {"d": problem.cleared_on})
    evidence = (evidence or "").strip()
    errors: dict[str, str] = {}
    if not evidence:
        errors["evidence"] = _("清零须填写佐证材料或情况说明")
    if cleared_on is None or cleared_on < problem.opened_on:
        errors["cleared_on"] = _("清零日期不能早于发现日期")
    elif cleared_on > _today():
        errors["cleared_on"] = _("清零日期不能晚于今天")
    if measure is not None and measure.ledger.household_id != problem.household_id:
        errors["measure"] = _("所选措施不属于该户")
    if errors:
        raise ValidationError(errors)
    before = snapshot(problem)
    problem.status, problem.cleared_on, problem.evidence = ProblemStatus.CLEARED, cleared_on, evidence[:500]
    problem.cleared_by = user if getattr(user, "pk", None) else None
    problem.cleared_measure = measure
    problem.save(
        update_fields=["status", "cleared_on", "evidence", "cleared_by", "cleared_measure", "updated_at"]
    )
    if measure is not None:
        measure.problems.add(problem)
    audit_log(
        user=user,
        action="assistance.problem.cleared",
        obj=problem,
        before=before,
        after=snapshot(problem),
        **_where(problem.household),
    )
    return problem


# --- measures -----------------------------------------------------------------------------------------

MEASURE_FIELDS = (
    "content",
    "responsible_unit",
    "responsible_person",
    "start_on",
    "due_on",
    "amount",
    "person",
)


def _clean_measure(data: dict[str, Any], ledger: Ledger) -> None:
    errors: dict[str, str] = {}
    if not (data.get("responsible_unit") or "").strip():
        errors["responsible_unit"] = _("请填写责任单位")
    if not (data.get("responsible_person") or "").strip():
        errors["responsible_person"] = _("请填写责任人")
    start, due = data.get("start_on"), data.get("due_on")
    if start is None:
        errors["start_on"] = _("请填写开始日期")
    if due is None:
        errors["due_on"] = _("请填写完成时限")
    elif start is not None and due < start:
        errors["due_on"] = _("完成时限不能早于开始日期")
    amount = data.get("amount")
    if amount is not None and amount < 0:
        errors["amount"] = _("金额不能为负数")
    person = data.get("person")
    if person is not None and person.household_id != ledger.household_id:
        errors["person"] = _("帮扶对象须为本户成员")
    if errors:
        raise ValidationError(errors)


def _clean_problems(problems: list[Problem], ledger: Ledger) -> None:
    if any(p.household_id != ledger.household_id for p in problems):
        raise ValidationError({"problems": _("所选问题不属于该户")})


@transaction.atomic
def measure_create(
    *,
    user: Any,
    ledger: Ledger,
    kind: MeasureKind,
    responsible_unit: str,
    responsible_person: str,
    start_on: datetime.date,
    due_on: datetime.date,
    content: str = "",
    amount: Decimal | None = None,
    person: Person | None = None,
    problems: list[Problem] | None = None,
    suggestion_key: str = "",
) -> Measure:
    if not kind.active:
        raise ValidationError({"kind": _("措施类型“%(k)s”已停用") % {"k": kind.name}})
    data = {
        "content": content.strip(),
        "responsible_unit": responsible_unit.strip(),
        "responsible_person": responsible_person.strip(),
        "start_on": start_on,
        "due_on": due_on,
        "amount": amount,
        "person": person,
    }
    _clean_measure(data, ledger)
    _clean_problems(problems or [], ledger)
    measure = Measure.objects.create(
        ledger=ledger,
        kind=kind,
        suggestion_key=suggestion_key,
        created_by=user if getattr(user, "pk", None) else None,
        **data,
    )
    if problems:
        measure.problems.set(problems)
    audit_log(
        user=user,
        action="assistance.measure.created",
        obj=measure,
        after=snapshot(measure) | {"problems": [p.pk for p in problems or []]},
        **_where(ledger.household),
    )
    return measure


@transaction.atomic
def measure_update(
    *, user: Any, measure: Measure, problems: list[Problem] | None = None, **fields: Any
) -> Measure:
    """Edit the plan of a measure (unit, person, dates, amount, content, the problems it addresses)."""
    before = snapshot(measure)
    data = {f: getattr(measure, f) for f in MEASURE_FIELDS} | {
        k: v.strip() if isinstance(v, str) else v for k, v in fields.items() if k in MEASURE_FIELDS
    }
    _clean_measure(data, measure.ledger)
    changed = [f for f in MEASURE_FIELDS if data[f] != getattr(measure, f)]
    for name in changed:
        setattr(measure, name, data[name])
    if changed:
        measure.save(update_fields=[*changed, "updated_at"])
    if problems is not None:
        _clean_problems(problems, measure.ledger)
        measure.problems.set(problems)
    audit_log(
        user=user,
        action="assistance.measure.updated",
        obj=measure,
        before=before,
        after=snapshot(measure),
        **_where(measure.ledger.household),
    )
    return measure


@transaction.atomic
def measure_set_status(
    *,
    user: Any,
    measure: Measure,
    status: str,
    on: datetime.date | None = None,
    effect: str = "",
    income_after: Decimal | None = None,
) -> Measure:
    """Move a measure along planned → in progress → done / not effective; done needs its effect."""
    measure = Measure.objects.select_for_update().select_related("ledger__household").get(pk=measure.pk)
    if status not in MeasureStatus.values:
        raise ValidationError({"status": _("措施状态“%(s)s”无效") % {"s": status}})
    if status not in MEASURE_TRANSITIONS[measure.status]:
        raise ValidationError(
            {
                "status": _("措施状态不能从“%(a)s”改为“%(b)s”")
                % {"a": MeasureStatus(measure.status).label, "b": MeasureStatus(status).label}
            }
        )
    on = on or _today()
    effect = (effect or "").strip()
    errors: dict[str, str] = {}
    if status in (MeasureStatus.DONE, MeasureStatus.NOT_EFFECTIVE) and not effect:
        errors["effect"] = _("完成或未见成效时须填写帮扶成效")
    if on > _today():
        errors["on"] = _("日期不能晚于今天")
    elif on < measure.start_on and status == MeasureStatus.DONE:
        errors["on"] = _("完成日期不能早于开始日期")
    if income_after is not None and income_after < 0:
        errors["income_after"] = _("收入不能为负数")
    if errors:
        raise ValidationError(errors)
    before = snapshot(measure)
    measure.status = status
    measure.done_on = on if status == MeasureStatus.DONE else None
    if effect:
        measure.effect = effect[:500]
    if income_after is not None:
        measure.income_after = income_after
    measure.save(update_fields=["status", "done_on", "effect", "income_after", "updated_at"])
    audit_log(
        user=user,
        action=f"assistance.measure.{status}",
        obj=measure,
        before=before,
        after=snapshot(measure),
        **_where(measure.ledger.household),
    )
    return measure


@transaction.atomic
def follow_up_add(*, user: Any, measure: Measure, date: datetime.date, note: str) -> FollowUp:
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if not note:
        errors["note"] = _("请填写跟进情况")
    if date is None or date > _today():
        errors["date"] = _("跟进日期不能晚于今天")
    elif date < measure.start_on:
        errors["date"] = _("跟进日期不能早于措施开始日期")
    if errors:
        raise ValidationError(errors)
    follow_up = FollowUp.objects.create(
        measure=measure, date=date, note=note[:500], created_by=user if getattr(user, "pk", None) else None
    )
    audit_log(
        user=user,
        action="assistance.measure.followed_up",
        obj=measure,
        after={"date": date.isoformat(), "note": follow_up.note},
        **_where(measure.ledger.household),
    )
    return follow_up


# --- suggestions --------------------------------------------------------------------------------------


def _record_answer(
    *, user: Any, ledger: Ledger, key: str, decision: str, reason: str = ""
) -> SuggestionRecord:
    if SuggestionRecord.objects.filter(ledger=ledger, key=key).exists():
        raise ValidationError(_("该建议已处理过"))
    record = SuggestionRecord.objects.create(
        ledger=ledger,
        key=key,
        decision=decision,
        reason=reason[:200],
        decided_by=user if getattr(user, "pk", None) else None,
    )
    audit_log(
        user=user,
        action=f"assistance.suggestion.{decision}",
        obj=ledger,
        after={"key": key, "reason": record.reason},
        reason=record.reason,
        **_where(ledger.household),
    )
    return record


@transaction.atomic
def suggestion_accept(*, user: Any, ledger: Ledger, key: str, **measure_fields: Any) -> Measure:
    """Accept a suggestion: the measure is created (as the officer edited the prefilled form) and the answer kept."""
    from shouwang.assistance.suggestions import suggestion_get

    suggestion = suggestion_get(ledger, key)
    if suggestion is None or suggestion.kind is None:
        raise ValidationError(_("该建议已不适用，请刷新台账"))
    measure_fields.setdefault("kind", suggestion.kind)
    if suggestion.problem_ids and "problems" not in measure_fields:
        measure_fields["problems"] = list(Problem.objects.filter(pk__in=suggestion.problem_ids))
    if suggestion.person_id and "person" not in measure_fields:
        measure_fields["person"] = Person.objects.get(pk=suggestion.person_id)
    _record_answer(user=user, ledger=ledger, key=key, decision=SuggestionDecision.ACCEPTED)
    return measure_create(user=user, ledger=ledger, suggestion_key=key, **measure_fields)


@transaction.atomic
def suggestion_dismiss(*, user: Any, ledger: Ledger, key: str, reason: str) -> SuggestionRecord:
    from shouwang.assistance.suggestions import suggestion_get

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("不采纳建议须说明理由")})
    if (
        not SuggestionRecord.objects.filter(ledger=ledger, key=key).exists()
        and suggestion_get(ledger, key) is None
    ):
        raise ValidationError(_("该建议已不适用，请刷新台账"))
    return _record_answer(
        user=user, ledger=ledger, key=key, decision=SuggestionDecision.DISMISSED, reason=reason
    )


# --- problems from screening hits ---------------------------------------------------------------------

# Screening rules that are themselves a 三保障 or water problem; other rules only inform suggestions.
# (Screening has no food/clothing rule: those problems come from visits and by hand.)
HIT_PROBLEMS: dict[str, tuple[str, str]] = {
    "SCHOOL_DROPOUT": (ProblemKind.EDUCATION, "义务教育阶段适龄儿童失学辍学"),
    "NO_MEDICAL_INSURANCE": (ProblemKind.MEDICAL, "成员未参加基本医疗保险"),
    "HOUSING_UNSAFE": (ProblemKind.HOUSING, "住房不安全"),
    "WATER_UNSAFE": (ProblemKind.WATER, "饮水不安全"),
}


@transaction.atomic
def problems_open_from_hits(
    *, user: Any = None, household_ids: list[int] | None = None, area: Area | None = None
) -> int:
    """Open a problem for every current 两不愁三保障 / water hit that has no open problem of its kind yet.

    Set-based: 1. read the current hits of those rules in scope (one query); 2. read the open problems of
    those households (one query); 3. bulk-create the missing problems and their audit entries. Returns
    the number opened. Problems are cleared by people with evidence, never by a hit going away."""
    from shouwang.assistance.suggestions import current_hits

    if household_ids is not None:
        hits = current_hits(household_ids, HIT_PROBLEMS)
    elif area is not None:
        hits = current_hits(Household.objects.in_area(area).values("pk"), HIT_PROBLEMS)
    else:
        raise ValueError("household_ids or area")
    if not hits:
        return 0
    wanted: dict[tuple[int, str], tuple[str, str]] = {}
    names: dict[tuple[int, str], list[str]] = {}
    for h in hits:
        kind, text = HIT_PROBLEMS[h["rule_code"]]
        wanted.setdefault((h["household_id"], kind), (text, h["rule_code"]))
        if h["person_name"]:
            names.setdefault((h["household_id"], kind), []).append(h["person_name"])
    already = set(
        Problem.objects.open()
        .filter(household_id__in={k[0] for k in wanted})
        .values_list("household_id", "kind")
    )
    missing = [key for key in wanted if key not in already]
    villages = dict(Household.objects.filter(pk__in={k[0] for k in missing}).values_list("pk", "village_id"))
    today, opener = _today(), user if getattr(user, "pk", None) else None
    created = Problem.objects.bulk_create(
        [
            Problem(
                household_id=hid,
                kind=kind,
                description=_hit_description(wanted[(hid, kind)][0], names.get((hid, kind))),
                source=ProblemSource.SCREENING,
                rule_code=wanted[(hid, kind)][1],
                opened_on=today,
                opened_by=opener,
            )
            for hid, kind in missing
        ]
    )
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                user=opener,
                action="assistance.problem.opened",
                object_type="assistance.problem",
                object_id=str(p.pk),
                object_repr=str(p)[:200],
                area_code=villages[p.household_id],
                household_id=p.household_id,
                after=snapshot(p),
            )
            for p in created
        ]
    )
    return len(created)


def _hit_description(text: str, names: list[str] | None) -> str:
    return f"筛查发现：{text}" + (f"（{'、'.join(names)}）" if names else "")


def problems_on_household_change(household_ids: list[int]) -> None:
    """HOUSEHOLD_CHANGE_LISTENERS entry; runs after screening's own listener has refreshed the hits."""
    problems_open_from_hits(household_ids=household_ids)


# --- the measure catalogue ----------------------------------------------------------------------------

KIND_FIELDS = ("name", "category", "default_unit", "description", "sort_order", "active")


@transaction.atomic
def measure_kind_save(
    *, user: Any, kind: MeasureKind | None = None, code: str = "", **fields: Any
) -> MeasureKind:
    """Add a kind to the catalogue or edit one. The code is fixed once created: the suggestion rules use it."""
    values = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items() if k in KIND_FIELDS}
    if kind is None:
        code = (code or "").strip()
        if MeasureKind.objects.filter(code=code).exists():
            raise ValidationError({"code": _("代码“%(c)s”已存在") % {"c": code}})
        kind, before = MeasureKind(code=code), None
    else:
        before = snapshot(kind)
    for name, value in values.items():
        setattr(kind, name, value)
    if not kind.name:
        raise ValidationError({"name": _("请填写措施名称")})
    kind.full_clean(validate_unique=False)
    kind.save()
    audit_log(
        user=user,
        action="assistance.measure_kind.created" if before is None else "assistance.measure_kind.updated",
        obj=kind,
        before=before,
        after=snapshot(kind),
        area_code=getattr(getattr(user, "area", None), "code", "") or "",
    )
    return kind


# --- suggestion parameters ----------------------------------------------------------------------------

PARAMETER_FIELDS = (
    "working_age_min",
    "working_age_max",
    "child_rehab_max_age",
    "child_rehab_categories",
    "care_subsidy_max_grade",
)


def _clean_parameters(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not 0 < values["working_age_min"] < values["working_age_max"] <= 80:
        errors["working_age_max"] = _("劳动年龄上限须大于下限且不超过80岁")
    if not 0 <= values["child_rehab_max_age"] <= 17:
        errors["child_rehab_max_age"] = _("残疾儿童康复救助年龄上限应在0至17岁之间")
    if not values["child_rehab_categories"] or not set(values["child_rehab_categories"]) <= set(range(1, 8)):
        errors["child_rehab_categories"] = _("请选择至少一个残疾类别")
    if not 1 <= values["care_subsidy_max_grade"] <= 4:
        errors["care_subsidy_max_grade"] = _("护理补贴核查等级上限应在一级至四级之间")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def assistance_parameters_save(
    *, user: Any, county_code: str, year: int, **fields: Any
) -> AssistanceParameters:
    """Set the suggestion rules' figures of a county from `year` on (a new row per year keeps old years reproducible)."""
    if not 2013 <= year <= _today().year + 1:
        raise ValidationError({"year": _("年度应在2013年至明年之间")})
    values = {k: fields[k] for k in PARAMETER_FIELDS}
    values["child_rehab_categories"] = sorted({int(c) for c in values["child_rehab_categories"]})
    _clean_parameters(values)
    row = AssistanceParameters.objects.filter(county_code=county_code, year=year).first()
    before = snapshot(row) if row else None
    row, _created = AssistanceParameters.objects.update_or_create(
        county_code=county_code, year=year, defaults=values
    )
    audit_log(
        user=user,
        action="assistance.parameters.saved",
        obj=row,
        before=before,
        after=snapshot(row),
        area_code=county_code,
    )
    return row
