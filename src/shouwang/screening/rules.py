"""The screening rules. Each rule is data: a stable code, a version, the parameters it reads, one
set-based query and a plain-Chinese explanation of its evidence.

A rule's query returns rows with three columns: `h` (household id), `p` (person id or NULL) and `e`
(the evidence as a JSON object built in SQL). The engine inserts those rows straight into a candidate
table (INSERT ... SELECT), so no row passes through Python. The same query serves a whole county, an area
or a handful of changed households (Scope), on SQLite and PostgreSQL alike.

Bump a rule's version whenever its meaning changes; stored hits keep the version that produced them.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    BigIntegerField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, JSONObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.areas.models import Area, AreaLevel
from shouwang.registry.choices import CheckState, EventKind, LivingStatus, Schooling
from shouwang.registry.models import Disability, Household, HouseholdEvent, Person
from shouwang.screening.models import EvidenceField, IncomeChange, LatestIncome, MemberFlag, MemberSummary

MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
NO_PERSON = Cast(Value(None), output_field=BigIntegerField())
OUT_OF_SCHOOL = (Schooling.DROPOUT, Schooling.NOT_IN_SCHOOL)


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


SCOPE_TABLE = "screening_scope"


@dataclass(frozen=True)
class Scope:
    """What a run looks at: every household of an area, or only the given households.

    Given households are read from a temporary table (filled by the engine), so a rule's SQL does not
    depend on which households they are and can be compiled once. `everything` says the area holds every
    household in the database, so no filter is needed at all (the usual case: one county per database).
    """

    area: Area | None = None
    household_ids: tuple[int, ...] | None = None
    everything: bool = False

    @classmethod
    def for_area(cls, area: Area) -> Scope:
        # Two index seeks on (county, number), where "county <> code" scanned every household of the
        # county before finding none of another.
        alone = area.level == AreaLevel.COUNTY and not (
            Household.objects.filter(county_id__lt=area.code).exists()
            or Household.objects.filter(county_id__gt=area.code).exists())
        return cls(area=area, everything=alone)

    @property
    def cache_key(self) -> str:
        if self.household_ids is not None:
            return "ids"
        return "all" if self.everything else self.area.code if self.area else ""

    def household_condition(self, column: str) -> tuple[str, list[Any]]:
        """An SQL condition on a household id column, for SQL written by hand."""
        if self.household_ids is not None:
            return f"{column} IN (SELECT household_id FROM {SCOPE_TABLE})", []  # noqa: S608 -- constant
        if self.everything:
            return "1 = 1", []
        assert self.area is not None
        sql, params = Household.objects.in_area(self.area).values("pk").query.sql_with_params()
        return f"{column} IN ({sql})", list(params)

    def _ids(self) -> RawSQL:
        return RawSQL(f"SELECT household_id FROM {SCOPE_TABLE}", [])  # noqa: S608, S611 -- constant text

    def households(self) -> QuerySet[Household]:
        if self.household_ids is not None:
            return Household.objects.filter(pk__in=self._ids())
        if self.everything:
            return Household.objects.all()
        assert self.area is not None
        return Household.objects.in_area(self.area)

    def of_households(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        """Restrict a query on a model with a `household` foreign key."""
        if self.household_ids is not None:
            return qs.filter(household_id__in=self._ids())
        if self.everything:
            return qs
        return qs.filter(household__in=self.households().values("pk"))


@dataclass(frozen=True)
class RuleContext:
    params: Any  # ScreeningParameters, saved or overridden in memory (what-if)
    as_of: datetime.date
    scope: Scope

    @property
    def income_year(self) -> int:
        """Income records of this year or earlier count; the latest of them is the household's."""
        return int(self.params.year)

    def aged(self, low: int, high: int | None = None) -> Q:
        """Age on the as-of date within [low, high], as a date range so it stays an indexable comparison."""
        condition = Q(birth_date__lte=years_before(self.as_of, low))
        if high is not None:
            condition &= Q(birth_date__gt=years_before(self.as_of, high + 1))
        return condition


@dataclass(frozen=True)
class Rule:
    code: str
    version: int
    label: Any
    subject: str  # "household" or "person"
    params: tuple[str, ...]
    query: Callable[[RuleContext], QuerySet[Any]]
    explain: Callable[[dict[str, Any]], str]
    needs: tuple[str, ...] = ()  # relations prepared once per run (prepared.py)
    # Over an area, join the tables in the order the query names them, each looked up by its key: SQLite
    # by CROSS JOIN, where its planner would rather drive from the larger one through a covering index;
    # PostgreSQL by nested loops only (engine._join_order), where it would hash the first and scan the other.
    written_join_order: bool = False


# --- helpers for queries -------------------------------------------------------------------------------


class Evidence(JSONObject):
    """A hit's evidence, a JSON object of the values that fired the rule (JSONObject's SQL on SQLite).

    PostgreSQL writes the JSON text by concatenation into a json value (see models.EvidenceField), where
    jsonb_build_object turned each number into text and parsed it back as numeric, per value and row:
    of the 102k near-line hits' insert at 1M persons, 0.38 s against 0.06-0.1 s. The text is what jsonb
    prints (keys by length then bytes, its spacing): evidence stored as jsonb before reads back equal.
    Numbers are their text form, anything else goes through to_json (quoting, escaping, ISO dates
    whatever the DateStyle); NULL is null."""

    output_field = EvidenceField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:
        expressions = self.get_source_expressions()
        pairs = sorted(zip(expressions[::2], expressions[1::2], strict=True),
                       key=lambda pair: (len(pair[0].value.encode()), pair[0].value.encode()))
        parts, params = [], []
        for index, (key, value) in enumerate(pairs):
            sql, value_params = compiler.compile(value)
            number = isinstance(value.output_field, IntegerField | DecimalField | FloatField)
            parts += ["%s", f"COALESCE({f'CAST({sql} AS text)' if number else f'to_json({sql})::text'}, 'null')"]
            params += [("{" if index == 0 else ", ") + json.dumps(key.value, ensure_ascii=False) + ": ", *value_params]
        parts.append("%s")
        params.append("}" if pairs else "{}")
        return f"CAST(({' || '.join(parts)}) AS json)", params


def _param(value: Any) -> Value:
    """A parameter as an SQL number (JSON evidence shows numbers, not strings)."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return Value(int(value), output_field=IntegerField())
    if isinstance(value, Decimal | float):
        return Value(float(value), output_field=FloatField())
    return Value(int(value), output_field=IntegerField())


def _per_mille(ratio: Any) -> int:
    """Ratios have three decimals: compare `a >= ratio * b` as `a * 1000 - b * k >= 0` (see _diff)."""
    return int((Decimal(str(ratio)) * 1000).to_integral_value())


def _diff(a: Any, b: Any, k: int) -> ExpressionWrapper[Any]:
    """`(a * 1000 - b * k) * 200`, for amounts `a` and `b` in cents and a whole `k`. Exactly, `a * 1000 - b * k`
    is a whole number of cents, so the result is an even whole number; compared with -1, 1 (odd, halfway
    between two possible values) it decides `>= 0`, `> 0` and `<= 0` exactly, whatever hair SQLite's
    floating arithmetic leaves on it, like PostgreSQL's numeric does. (Rounding to the cent did the same,
    but SQLite rounds by printing the number and parsing it back, for every household.)"""
    return ExpressionWrapper((a * 1000 - b * k) * 200, output_field=MONEY)


def _household_rows(qs: QuerySet[Any], **evidence: Any) -> QuerySet[Any]:
    return qs.annotate(h=F("household_id"), p=NO_PERSON, e=Evidence(**evidence)).order_by()


def _income_rows(qs: QuerySet[Any], **evidence: Any) -> QuerySet[Any]:
    return _household_rows(qs, year=F("year"), **evidence)


# --- queries -------------------------------------------------------------------------------------------


def income_below_line(ctx: RuleContext) -> QuerySet[Any]:
    line = ctx.params.income_line
    return _income_rows(
        LatestIncome.objects.filter(per_capita_income__lt=line),
        per_capita=F("per_capita_income"), line=_param(line),
    )


def near_line_upper(params: Any) -> Decimal:
    """The per-capita income up to which (exclusive) a household counts as near the line."""
    upper: Decimal = (params.income_line * (1 + Decimal(str(params.near_line_band)))).quantize(Decimal("0.01"))
    return upper


def income_near_line(ctx: RuleContext) -> QuerySet[Any]:
    line, upper = ctx.params.income_line, near_line_upper(ctx.params)
    return _income_rows(
        LatestIncome.objects.filter(per_capita_income__gte=line, per_capita_income__lt=upper),
        per_capita=F("per_capita_income"), line=_param(line), upper=_param(upper),
    )


def income_drop(ctx: RuleContext) -> QuerySet[Any]:
    k = 1000 - _per_mille(ctx.params.income_drop_ratio)
    qs = IncomeChange.objects.filter(previous_income__gt=0).annotate(
        drop=_diff(F("per_capita_income"), F("previous_income"), k)
    )
    return _income_rows(
        qs.filter(drop__lt=1),  # drop <= 0 (see _diff)
        per_capita=F("per_capita_income"), previous_year=F("previous_year"),
        previous=F("previous_income"), ratio=_param(ctx.params.income_drop_ratio),
    )


def rigid_spending(ctx: RuleContext) -> QuerySet[Any]:
    k = _per_mille(ctx.params.rigid_spending_ratio)
    qs = LatestIncome.objects.filter(rigid__gt=0).annotate(excess=_diff(F("rigid"), F("net_income"), k))
    return _income_rows(
        qs.filter(excess__gt=-1),  # excess >= 0 (see _diff)
        rigid=F("rigid"), net=F("net_income"), ratio=_param(ctx.params.rigid_spending_ratio),
    )


def transfer_dependent(ctx: RuleContext) -> QuerySet[Any]:
    k = _per_mille(ctx.params.transfer_share)
    qs = LatestIncome.objects.filter(transfer_income__gt=0).annotate(
        excess=_diff(F("transfer_income"), F("gross"), k)
    )
    return _income_rows(
        qs.filter(excess__gt=1),  # excess > 0 (see _diff)
        transfer=F("transfer_income"), gross=F("gross"), share=_param(ctx.params.transfer_share),
    )


def severe_disability(ctx: RuleContext) -> QuerySet[Any]:
    """Driven by the members for given households (a few persons, each looked up in the certificates),
    by the certificates for an area (a third of the persons hold one and a ninth a grade 1-2 one: each
    of those looks its person up by id instead of every person looking for a certificate)."""
    if ctx.scope.household_ids is not None:
        qs = ctx.scope.of_households(Person.objects.filter(living_status=LivingStatus.ALIVE,
                                                           disability__grade__lte=2))
        return qs.annotate(h=F("household_id"), p=F("pk"), e=Evidence(
            grade=F("disability__grade"), category=F("disability__category"))).order_by()
    qs = Disability.objects.filter(grade__lte=2, person__living_status=LivingStatus.ALIVE)
    if not ctx.scope.everything:
        qs = qs.filter(person__household__in=ctx.scope.households().values("pk"))
    return qs.annotate(h=F("person__household_id"), p=F("person_id"), e=Evidence(
        grade=F("grade"), category=F("category"))).order_by()


def multi_disabled(ctx: RuleContext) -> QuerySet[Any]:
    return _household_rows(MemberSummary.objects.filter(disabled__gte=2), disabled=F("disabled"))


def elderly_no_labour(ctx: RuleContext) -> QuerySet[Any]:
    """A disabled member, another member aged 60+ (configurable) and no able member of working age.

    "Another": some disabled member and some elderly member are different persons, which fails only when
    the one disabled member is also the one elderly member."""
    p = ctx.params
    qs = MemberSummary.objects.filter(disabled__gte=1, elderly__gte=1, able_working_age=0).exclude(
        disabled=1, elderly=1, disabled_elderly=1
    )
    return _household_rows(
        qs, elderly=F("elderly"), disabled=F("disabled"), elderly_age=_param(p.elderly_age),
        working_age_min=_param(p.working_age_min), working_age_max=_param(p.working_age_max),
    )


def no_labour(ctx: RuleContext) -> QuerySet[Any]:
    return _household_rows(MemberSummary.objects.filter(able=0), members=F("living"))


def _flag_rows(qs: QuerySet[MemberFlag], **evidence: Any) -> QuerySet[MemberFlag]:
    return qs.annotate(h=F("household_id"), p=F("person_id"), e=Evidence(**evidence)).order_by()


def school_dropout(ctx: RuleContext) -> QuerySet[Any]:
    """Living members (MemberFlag holds only living ones) of compulsory-schooling age out of school."""
    p = ctx.params
    qs = MemberFlag.objects.filter(ctx.aged(p.school_age_min, p.school_age_max), schooling__in=OUT_OF_SCHOOL)
    return _flag_rows(
        qs, birth_date=F("birth_date"), schooling=F("schooling"),
        age_min=_param(p.school_age_min), age_max=_param(p.school_age_max),
    )


def no_medical_insurance(ctx: RuleContext) -> QuerySet[Any]:
    return _flag_rows(MemberFlag.objects.filter(medical_insurance=False), birth_date=F("birth_date"))


def housing_unsafe(ctx: RuleContext) -> QuerySet[Any]:
    qs = ctx.scope.households().filter(housing_safety=CheckState.UNSAFE).annotate(household_id=F("pk"))
    return _household_rows(qs, checked_on=F("housing_checked_on"))


def water_unsafe(ctx: RuleContext) -> QuerySet[Any]:
    qs = ctx.scope.households().filter(water_safety=CheckState.UNSAFE).annotate(household_id=F("pk"))
    return _household_rows(qs, checked_on=F("water_checked_on"))


def sudden_event(ctx: RuleContext) -> QuerySet[Any]:
    days = int(ctx.params.event_window_days)
    start = ctx.as_of - datetime.timedelta(days=days)
    window = HouseholdEvent.objects.filter(occurred_on__gte=start, occurred_on__lte=ctx.as_of)
    latest = window.filter(household_id=OuterRef("household_id")).order_by("-occurred_on", "-pk")
    grouped = ctx.scope.of_households(window).order_by().values("household_id").annotate(
        events=Count("pk"), h=F("household_id"), p=NO_PERSON,
    )
    return grouped.annotate(e=Evidence(
        kind=Subquery(latest.values("kind")[:1]), occurred_on=Subquery(latest.values("occurred_on")[:1]),
        events=F("events"), window_days=_param(days),
    ))


# --- explanations ---------------------------------------------------------------------------------------


def _money(value: Any) -> str:
    number = float(value or 0)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.2f}"


def _percent(value: Any) -> str:
    return f"{float(value) * 100:g}%"


def _year_note(e: dict[str, Any]) -> str:
    return _("（%(year)s年度收入记录）") % {"year": e.get("year")}


def _explain_below(e: dict[str, Any]) -> str:
    return _("人均纯收入 %(pc)s 元 < 监测标准 %(line)s 元") % {
        "pc": _money(e["per_capita"]), "line": _money(e["line"])} + _year_note(e)


def _explain_near(e: dict[str, Any]) -> str:
    return _("人均纯收入 %(pc)s 元，介于监测标准 %(line)s 元与预警上限 %(upper)s 元之间") % {
        "pc": _money(e["per_capita"]), "line": _money(e["line"]), "upper": _money(e["upper"])} + _year_note(e)


def _explain_drop(e: dict[str, Any]) -> str:
    return _("人均纯收入由 %(py)s年度 %(prev)s 元降至 %(pc)s 元，降幅达到 %(ratio)s") % {
        "py": e["previous_year"], "prev": _money(e["previous"]), "pc": _money(e["per_capita"]),
        "ratio": _percent(e["ratio"])} + _year_note(e)


def _explain_rigid(e: dict[str, Any]) -> str:
    return _("合规自付医疗与教育支出 %(rigid)s 元 ≥ 家庭纯收入 %(net)s 元的 %(ratio)s") % {
        "rigid": _money(e["rigid"]), "net": _money(e["net"]), "ratio": _percent(e["ratio"])} + _year_note(e)


def _explain_transfer(e: dict[str, Any]) -> str:
    return _("转移性收入 %(t)s 元，超过总收入 %(g)s 元的 %(share)s") % {
        "t": _money(e["transfer"]), "g": _money(e["gross"]), "share": _percent(e["share"])} + _year_note(e)


def _explain_severe(e: dict[str, Any]) -> str:
    from shouwang.registry.choices import DisabilityCategory, DisabilityGrade

    return _("持证%(category)s残疾%(grade)s（一二级重度）") % {
        "category": DisabilityCategory(e["category"]).label, "grade": DisabilityGrade(e["grade"]).label}


def _explain_multi(e: dict[str, Any]) -> str:
    return _("户内在世持证残疾人 %(n)s 名（一户多残）") % {"n": e["disabled"]}


def _explain_elderly(e: dict[str, Any]) -> str:
    return _("残疾人与 %(n)s 名 %(age)s 岁以上老人同住，无 %(lo)s–%(hi)s 岁有劳动能力成员") % {
        "n": e["elderly"], "age": e["elderly_age"], "lo": e["working_age_min"], "hi": e["working_age_max"]}


def _explain_no_labour(e: dict[str, Any]) -> str:
    return _("在世成员 %(n)s 人，均无劳动能力") % {"n": e["members"]}


def _explain_dropout(e: dict[str, Any]) -> str:
    return _("%(birth)s 出生，处于义务教育年龄（%(lo)s–%(hi)s 岁），在校状况为%(state)s") % {
        "birth": e["birth_date"], "lo": e["age_min"], "hi": e["age_max"], "state": Schooling(e["schooling"]).label}


def _explain_insurance(e: dict[str, Any]) -> str:
    return _("未参加基本医疗保险")


def _explain_housing(e: dict[str, Any]) -> str:
    checked = e.get("checked_on")
    return _("住房安全核查为不安全") + (_("（%(d)s 核查）") % {"d": checked} if checked else "")


def _explain_water(e: dict[str, Any]) -> str:
    checked = e.get("checked_on")
    return _("饮水安全核查为不安全") + (_("（%(d)s 核查）") % {"d": checked} if checked else "")


def _explain_event(e: dict[str, Any]) -> str:
    return _("近 %(days)s 天内登记突发变故 %(n)s 次，最近一次 %(date)s %(kind)s") % {
        "days": e["window_days"], "n": e["events"], "date": e["occurred_on"], "kind": EventKind(e["kind"]).label}


INCOME_KEYS = ("year", "income_line")

RULES: tuple[Rule, ...] = (
    Rule("INCOME_BELOW_LINE", 1, gettext_lazy("人均纯收入低于监测标准"), "household",
         INCOME_KEYS, income_below_line, _explain_below,
         needs=("latest_income",)),
    Rule("INCOME_NEAR_LINE", 1, gettext_lazy("人均纯收入临近监测标准"), "household",
         (*INCOME_KEYS, "near_line_band"), income_near_line, _explain_near,
         needs=("latest_income",)),
    Rule("INCOME_DROP", 1, gettext_lazy("收入大幅减少"), "household",
         ("year", "income_drop_ratio"), income_drop, _explain_drop,
         needs=("latest_income", "income_change")),
    Rule("RIGID_SPENDING", 1, gettext_lazy("刚性支出较大（突发严重困难）"), "household",
         ("year", "rigid_spending_ratio"), rigid_spending, _explain_rigid,
         needs=("latest_income",)),
    Rule("SEVERE_DISABILITY", 1, gettext_lazy("一二级重度残疾人"), "person",
         (), severe_disability, _explain_severe, written_join_order=True),
    Rule("MULTI_DISABLED", 1, gettext_lazy("一户多残"), "household",
         (), multi_disabled, _explain_multi,
         needs=("members",)),
    Rule("ELDERLY_NO_LABOUR", 1, gettext_lazy("残疾人与老人同住且缺少劳动力"), "household",
         ("elderly_age", "working_age_min", "working_age_max"), elderly_no_labour, _explain_elderly,
         needs=("members",)),
    Rule("NO_LABOUR", 1, gettext_lazy("整户无劳动能力"), "household",
         (), no_labour, _explain_no_labour,
         needs=("members",)),
    Rule("TRANSFER_DEPENDENT", 1, gettext_lazy("主要依靠转移性收入（兜底保障）"), "household",
         ("year", "transfer_share"), transfer_dependent, _explain_transfer,
         needs=("latest_income",)),
    Rule("SCHOOL_DROPOUT", 1, gettext_lazy("义务教育阶段失学辍学"), "person",
         ("school_age_min", "school_age_max"), school_dropout, _explain_dropout,
         needs=("member_flags",)),
    Rule("NO_MEDICAL_INSURANCE", 1, gettext_lazy("未参加基本医疗保险"), "person",
         (), no_medical_insurance, _explain_insurance,
         needs=("member_flags",)),
    Rule("HOUSING_UNSAFE", 1, gettext_lazy("住房不安全"), "household",
         (), housing_unsafe, _explain_housing),
    Rule("WATER_UNSAFE", 1, gettext_lazy("饮水不安全"), "household",
         (), water_unsafe, _explain_water),
    Rule("SUDDEN_EVENT", 1, gettext_lazy("近期因病因灾因意外突发变故"), "household",
         ("event_window_days",), sudden_event, _explain_event),
)

RULES_BY_CODE = {rule.code: rule for rule in RULES}

# The plan's focus groups: a current hit on one of these can open a monitoring lead.
FOCUS_RULES = (
    "INCOME_BELOW_LINE", "SEVERE_DISABILITY", "MULTI_DISABLED", "ELDERLY_NO_LABOUR", "SUDDEN_EVENT",
    "RIGID_SPENDING", "SCHOOL_DROPOUT", "NO_MEDICAL_INSURANCE", "HOUSING_UNSAFE", "WATER_UNSAFE",
)


def explain(rule_code: str, evidence: dict[str, Any]) -> str:
    rule = RULES_BY_CODE.get(rule_code)
    if rule is None:
        return ""
    try:
        return rule.explain(evidence)
    except (KeyError, TypeError, ValueError):  # evidence of an older rule version
        return str(rule.label)
