"""The exit criteria (风险消除): each criterion met or not, with what was found, for the page and the service."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from shouwang.monitoring.models import MonitoringCase
from shouwang.monitoring.parameters import income_line_for, parameters_for
from shouwang.registry.choices import ABLE_TO_WORK, CheckState, LivingStatus, Schooling
from shouwang.registry.models import Household, IncomeRecord


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    met: bool
    detail: str


@dataclass(frozen=True)
class ExitCheck:
    criteria: list[Criterion]
    has_labour: bool

    @property
    def all_met(self) -> bool:
        return all(c.met for c in self.criteria)

    @property
    def may_exit(self) -> bool:
        """Households with no one able to work stay tracked even when every criterion is met."""
        return self.all_met and self.has_labour

    def as_json(self) -> list[dict]:
        return [asdict(c) for c in self.criteria]


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = [
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month - 1]
    return datetime.date(year, month, min(day.day, last))


def measures_done(household: Household) -> int | None:
    """Measures carried out, from the assistance ledger; None while the ledger is not installed."""
    try:
        from shouwang.assistance.selectors import measures_done_count  # type: ignore[attr-defined]
    except ImportError:
        return None
    return int(measures_done_count(household))


def exit_check(case: MonitoringCase, *, today: datetime.date) -> ExitCheck:
    household = case.household
    params = parameters_for(household.county_id, today.year)
    members = list(household.members.filter(living_status=LivingStatus.ALIVE))
    income = IncomeRecord.objects.filter(household=household).order_by("-year").first()
    criteria = [
        _identified_long_enough(case, params.exit_min_months, today),
        _measures(household),
        *_income(household, income),
        *_basic_needs(household, members, today),
    ]
    has_labour = any(m.labour_capacity in ABLE_TO_WORK for m in members)
    return ExitCheck(criteria=criteria, has_labour=has_labour)


def _identified_long_enough(case: MonitoringCase, months: int, today: datetime.date) -> Criterion:
    label = _("纳入监测满%(n)s个月") % {"n": months}
    if case.confirmed_on is None:
        return Criterion("months", label, False, _("尚未纳入"))
    due = add_months(case.confirmed_on, months)
    detail = _("%(d)s纳入，%(due)s满%(n)s个月") % {"d": case.confirmed_on, "due": due, "n": months}
    return Criterion("months", label, today >= due, detail)


def _measures(household: Household) -> Criterion:
    label = _("至少落实1项帮扶措施")
    count = measures_done(household)
    if count is None:
        return Criterion("measures", label, False, _("帮扶台账尚未启用，没有已落实的帮扶措施记录"))
    return Criterion("measures", label, count >= 1, _("已落实%(n)s项") % {"n": count})


def _income(household: Household, income: IncomeRecord | None) -> list[Criterion]:
    stable = _("人均纯收入稳定高于监测标准（6个月以上）")
    rigid = _("刚性支出问题已解决")
    if income is None:
        none = _("尚无收入记录")
        return [Criterion("income", stable, False, none), Criterion("rigid", rigid, False, none)]
    line = income_line_for(household.county_id, income.year)
    covered = (
        (income.period_end - income.period_start).days if income.period_start and income.period_end else 365
    )
    detail = _("%(y)s年人均纯收入%(v)s元，监测标准%(line)s元") % {
        "y": income.year,
        "v": income.per_capita_income,
        "line": line,
    }
    after_rigid = (income.net_income - income.rigid_spending) / max(income.member_count, 1)
    rigid_detail = _("扣除合规自付医疗和教育支出%(s)s元后人均%(v)s元") % {
        "s": income.rigid_spending,
        "v": after_rigid.quantize(income.per_capita_income),
    }
    return [
        Criterion("income", stable, income.per_capita_income >= line and covered >= 181, detail),
        Criterion("rigid", rigid, after_rigid >= line, rigid_detail),
    ]


def _basic_needs(household: Household, members: list, today: datetime.date) -> list[Criterion]:
    dropouts = [m for m in members if m.schooling == Schooling.DROPOUT and 6 <= m.age_on(today) <= 15]
    uninsured = [m for m in members if not m.medical_insurance]

    def safe(code: str, label: str, state: str, display: str) -> Criterion:
        return Criterion(code, label, state == CheckState.SAFE, display)

    return [
        safe("food", _("不愁吃、不愁穿"), household.food_clothing, household.get_food_clothing_display()),
        Criterion(
            "education",
            _("义务教育有保障"),
            not dropouts,
            _("有%(n)s名义务教育阶段失学辍学") % {"n": len(dropouts)} if dropouts else _("无失学辍学"),
        ),
        Criterion(
            "medical",
            _("基本医疗有保障"),
            not uninsured,
            _("有%(n)s人未参加基本医疗保险") % {"n": len(uninsured)} if uninsured else _("均已参保"),
        ),
        safe(
            "housing", _("住房安全有保障"), household.housing_safety, household.get_housing_safety_display()
        ),
        safe("water", _("饮水安全有保障"), household.water_safety, household.get_water_safety_display()),
    ]
