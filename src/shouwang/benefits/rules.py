"""The coverage rules (政策落实全覆盖): who should receive each benefit, who does, and the reason per person.

A rule is data: the benefit kinds that count as receiving it, the window in which a record counts, and an
ordered list of requirements (a reason code and a condition on Person). A person is **eligible** when every
requirement holds; **receiving** when they have a record of the rule's kinds in the window. Then

* MISSED (应享未享) = eligible and not receiving;
* LEAK (不应享而享) = receiving and failing a requirement marked `leak` — the first failing one is the
  reason. Requirements not marked `leak` limit who is owed the benefit, but a person who got it anyway
  (a training course someone took without a recorded need) is not leakage.

Stop rules (death, registration moved out, certificate expired or cancelled) count from the month after
the event: on any day of the month the event happened the person is still owed that month's payment.
For yearly benefits (received when a record runs in the calendar year) such an event makes leakage only
while a record still runs on the reference date: this year's record ended in the month of the event is
what should happen. A record for someone who never held a certificate is leakage either way.
Every rule is evaluated set-based (see `evaluation.py`); nothing here loops over persons.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shouwang.areas.models import Area
from shouwang.benefits.choices import BenefitKind as K
from shouwang.benefits.models import CoverageParameters
from shouwang.registry.choices import (
    AssistanceStatus,
    CertificateStatus,
    LivingStatus,
    PovertyStatus,
    Schooling,
)

ACTIVE, YEAR, PERIOD, EVER = "active", "year", "period", "ever"


@dataclass(frozen=True)
class Context:
    """Everything a rule needs besides the data: the county, the reference date and that year's parameters."""

    county: Area
    day: datetime.date
    params: CoverageParameters

    @property
    def month_start(self) -> datetime.date:
        return self.day.replace(day=1)

    @property
    def year_start(self) -> datetime.date:
        return self.day.replace(month=1, day=1)


@dataclass(frozen=True)
class Requirement:
    reason: str
    condition: Q
    leak: bool = True
    stop: bool = False  # one of the stop rules: together they are the fact column `in_force`
    event: bool = False  # a stop rule dated by an event (death, moving out, certificate lapsed or cancelled)


@dataclass(frozen=True)
class Rule:
    code: str
    title: str | Promise
    kinds: tuple[str, ...]
    window: str
    requirements: Callable[[Context], list[Requirement]]
    missed_reasons: Callable[[Context], list[tuple[str, Q]]] = field(default=lambda ctx: [])
    target_field: str = "coverage_target"
    description: str | Promise = ""

    @property
    def doc(self) -> str:
        return (self.requirements.__doc__ or "").strip()

    @property
    def receiving_field(self) -> str:
        return f"rec_{self.code.lower()}"

    @property
    def running_field(self) -> str | None:
        """Yearly benefits: a record of the rule's kinds still runs on the reference date (a stop event
        makes leakage only then: this year's contract or premium ended in the month of the event was not
        paid after it)."""
        return f"on_{self.code.lower()}" if self.window == YEAR else None

    @property
    def count_field(self) -> str | None:
        """Running records counted for monthly benefits (two at once is paying twice)."""
        return f"n_{self.code.lower()}" if self.window == ACTIVE else None

    def target(self, params: CoverageParameters) -> int:
        return int(getattr(params, self.target_field))


# --- building blocks (conditions on CoverageFact) --------------------------------------------------


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def aged(ctx: Context, low: int, high: int) -> Q:
    """Age in whole years on the reference date between `low` and `high`, both included."""
    return Q(birth_date__lte=years_before(ctx.day, low), birth_date__gt=years_before(ctx.day, high + 1))


def stop_rules(ctx: Context, *, leak: bool = True) -> list[Requirement]:
    """Alive (or died / moved out this month), certified, certificate in force (or lapsing this month).

    The registry keeps no cancellation date: a cancelled or expired certificate stops the month after its
    validity date when that date has passed, and at once otherwise (see `facts.py`)."""
    return [
        Requirement("DECEASED", ~Q(stop=LivingStatus.DECEASED), leak, stop=True, event=True),
        Requirement("MOVED_OUT", ~Q(stop=LivingStatus.MOVED_OUT), leak, stop=True, event=True),
        Requirement("NO_CERTIFICATE", Q(certified=True), stop=True),
        Requirement("CERT_CANCELLED", ~Q(cert_stop=CertificateStatus.CANCELLED), leak, stop=True, event=True),
        Requirement("CERT_EXPIRED", ~Q(cert_stop=CertificateStatus.EXPIRED), leak, stop=True, event=True),
    ]


def record_after_stop(field_name: str) -> Requirement:
    """For one-off benefits: a record dated after the person died or moved away is leakage."""
    return Requirement("RECORD_AFTER_STOP", Q(**{field_name: False}))


def one_of(field_name: str, values: list[Any]) -> Q:
    """`field_name` equals one of `values`, written as equalities joined by OR: SQLite looks an IN list up in
    a temporary B-tree for every row, where a few comparisons are cheaper."""
    if not values:
        return Q(pk__in=[])
    return reduce(operator.or_, (Q(**{field_name: value}) for value in values))


def dibao() -> Q:
    return Q(assistance_status=AssistanceStatus.DIBAO)


def low_income(ctx: Context) -> Q:
    """低保, 特困, 脱贫户 or a household under 防止返贫 monitoring."""
    return (one_of("assistance_status", [AssistanceStatus.DIBAO, AssistanceStatus.TEKUN])
            | Q(poverty_status=PovertyStatus.LIFTED) | Q(monitored=True))


def not_tekun(ctx: Context) -> Requirement:
    """特困供养: the household's assistance status, or a running 特困 record for the person or household."""
    return Requirement("TEKUN", Q(tekun=False))


SEVERE = Q(grade__lte=2)
STUDENT = one_of("schooling", [Schooling.PRESCHOOL, Schooling.COMPULSORY, Schooling.HIGH_SCHOOL, Schooling.COLLEGE])


# --- the rules ----------------------------------------------------------------------------------------


def living_subsidy(ctx: Context) -> list[Requirement]:
    """困难残疾人生活补贴: certified disabled in a 低保 household (with the yearly extension switched on, also
    in a 脱贫户 or monitored household). Not for 特困供养 (household status or record) nor for a person on
    孤儿基本生活保障. Stops the month after death, moving out, or the certificate lapsing."""
    household = dibao()
    if ctx.params.living_extend_low_income:
        household |= low_income(ctx)
    return [
        *stop_rules(ctx),
        not_tekun(ctx),
        Requirement("ORPHAN", Q(orphan=False)),
        Requirement("NOT_DIBAO", household),
    ]


def care_subsidy(ctx: Context) -> list[Requirement]:
    """重度残疾人护理补贴: grade 1-2 assessed as needing long-term care (≥ 6 months); with the yearly extension,
    also grade 3-4 intellectual (5) or psychiatric (6). Not for 特困供养 nor with 工伤保险生活护理费. With a
    老年人护理补贴 or 离退休人员护理费 the person takes the higher one (择高): both active is leakage, and a
    person on the other allowance is not missed. (老年人高龄津贴 is compatible and is not checked.)"""
    grades = SEVERE
    if ctx.params.care_extend_grade3_4:
        grades |= one_of("grade", [3, 4]) & one_of("category", [5, 6])
    return [
        *stop_rules(ctx),
        not_tekun(ctx),
        Requirement("WORK_INJURY_CARE", Q(work_injury=False)),
        Requirement("CHOOSE_HIGHER", Q(choose_higher=False)),
        Requirement("GRADE", grades),
        Requirement("NO_LONG_TERM_CARE", Q(needs_long_term_care=True)),
    ]


def medical_contribution(ctx: Context) -> list[Requirement]:
    """医保个人缴费资助: certified disabled in a household under 防止返贫 monitoring (monitoring app's
    `monitored_households`: confirmed and not exited). Counted as received when a record runs in the
    calendar year of the reference date (the premium is paid once a year)."""
    return [*stop_rules(ctx), Requirement("NOT_MONITORED", Q(monitored=True))]


def pension_contribution(ctx: Context) -> list[Requirement]:
    """养老保险缴费资助 (城乡居民养老保险 paid by government at the lowest level): certified disabled of
    contribution age (working-age parameters, default 16-59), not in school, and severe (grade 1-2) or in a
    low-income household (低保, 特困, 脱贫户, monitored). Received when a record runs in the calendar year."""
    p = ctx.params
    return [
        *stop_rules(ctx),
        Requirement("AGE_OUT_OF_RANGE", aged(ctx, p.working_age_min, p.working_age_max)),
        Requirement("IN_SCHOOL", ~STUDENT),
        Requirement("NOT_IN_HARDSHIP", SEVERE | low_income(ctx)),
    ]


def _dropout(ctx: Context) -> Q:
    p = ctx.params
    return Q(schooling=Schooling.DROPOUT) & aged(ctx, p.compulsory_age_min, p.compulsory_age_max)


def education_aid(ctx: Context) -> list[Requirement]:
    """教育资助 (and 15-year free special education): every certified disabled student from preschool to
    college, and every compulsory-age (6-15) disabled child out of school (控辍保学: the missed reason says so).
    Received when a record runs in the calendar year."""
    return [*stop_rules(ctx), Requirement("NOT_STUDENT", STUDENT | _dropout(ctx))]


def _education_missed(ctx: Context) -> list[tuple[str, Q]]:
    return [("MISSED_DROPOUT", _dropout(ctx))]


def training(ctx: Context) -> list[Requirement]:
    """职业技能培训 / 实用技术培训: certified disabled of working age with training need, willingness and
    ability, trained at least once in the period (parameters; default the 2021-2025 transition period).
    Either kind counts; the pages also count the two kinds separately. Leakage is only a course for a
    person without a certificate or dated after death or moving out — a course taken without a recorded
    need is not leakage."""
    p = ctx.params
    return [
        *stop_rules(ctx, leak=False),
        record_after_stop("late_training"),
        Requirement("AGE_OUT_OF_RANGE", aged(ctx, p.working_age_min, p.working_age_max), leak=False),
        Requirement("NO_TRAINING_NEED", Q(training_ok=True), leak=False),
    ]


def graduate_employment(ctx: Context) -> list[Requirement]:
    """高校毕业生就业: certified disabled graduates (schooling 应届毕业, or anyone with a graduate employment
    record) should have a first-employment record; the target is a rate (default 80%), not 100%. Leakage is
    only a record for a person without a certificate or dated after death or moving out."""
    return [
        *stop_rules(ctx, leak=False),
        record_after_stop("late_graduate_employment"),
        Requirement("NOT_GRADUATE", Q(schooling=Schooling.GRADUATE) | Q(rec_graduate_employment__isnull=False), leak=False),
    ]


def child_rehab(ctx: Context) -> list[Requirement]:
    """残疾儿童康复救助: certified children aged 0-6 (parameters) of a qualifying category (parameter; autism is
    certified as psychiatric) in a low-income household (低保, 特困, 脱贫户, monitored). Received when a
    record runs in the calendar year; a record for a child past the age, of another category or outside a
    low-income household is leakage."""
    p = ctx.params
    return [
        *stop_rules(ctx),
        Requirement("AGE_OUT_OF_RANGE", aged(ctx, p.child_rehab_age_min, p.child_rehab_age_max)),
        Requirement("CATEGORY", one_of("category", p.child_rehab_category_list)),
        Requirement("NOT_LOW_INCOME", low_income(ctx)),
    ]


def rehab_service(ctx: Context) -> list[Requirement]:
    """基本康复服务 (精准康复): certified disabled with a recorded rehabilitation need, received when a record
    runs in the calendar year. Rural low-income severe disabled come first: their missed reason says
    "优先". Service without a recorded need is not leakage."""
    return [*stop_rules(ctx), Requirement("NO_REHAB_NEED", Q(needs_rehabilitation=True), leak=False)]


def _rehab_missed(ctx: Context) -> list[tuple[str, Q]]:
    return [("MISSED_PRIORITY", SEVERE & low_income(ctx))]


def family_doctor(ctx: Context) -> list[Requirement]:
    """家庭医生签约: every certified disabled person, received when a contract record runs in the calendar year.
    The registry's "family doctor" flag alone is not evidence: such persons are missed with their own reason
    so the contract can be recorded."""
    return stop_rules(ctx)


def _family_doctor_missed(ctx: Context) -> list[tuple[str, Q]]:
    return [("MISSED_FLAG_ONLY", Q(family_doctor_flag=True))]


def accessibility(ctx: Context) -> list[Requirement]:
    """无障碍改造: severe (grade 1-2) certified disabled in a low-income household with a recorded need for home
    accessibility, received once ever (a modification done at any time up to the reference date). Leakage
    is only a record without a certificate or dated after death or moving out."""
    return [
        *stop_rules(ctx, leak=False),
        record_after_stop("late_accessibility"),
        Requirement("NOT_SEVERE", SEVERE, leak=False),
        Requirement("NOT_LOW_INCOME", low_income(ctx), leak=False),
        Requirement("NO_ACCESSIBILITY_NEED", Q(needs_accessibility=True), leak=False),
    ]


def care_service(ctx: Context) -> list[Requirement]:
    """托养服务 (阳光家园, 集中托养, 居家服务, 邻里照护): severe (grade 1-2) certified disabled in a low-income
    household who cannot care for themselves (custodial care need recorded), received while a record runs.
    A placement for someone outside those criteria is leakage (a place taken from someone owed it)."""
    return [
        *stop_rules(ctx),
        Requirement("NOT_SEVERE", SEVERE),
        Requirement("NOT_LOW_INCOME", low_income(ctx)),
        Requirement("NO_CARE_NEED", Q(needs_custodial_care=True)),
    ]


def _living_missed(ctx: Context) -> list[tuple[str, Q]]:
    return [("MISSED_EXTENDED", ~dibao())]


def _care_missed(ctx: Context) -> list[tuple[str, Q]]:
    return [("MISSED_EXTENDED", ~SEVERE)]


TRAINING_KINDS = (K.VOCATIONAL_TRAINING, K.PRACTICAL_TRAINING)

RULES: dict[str, Rule] = {r.code: r for r in [
    Rule("LIVING_SUBSIDY", _("困难残疾人生活补贴"), (K.LIVING_SUBSIDY,), ACTIVE, living_subsidy, _living_missed,
         description=_("低保家庭持证残疾人（可按年度参数扩至其他低收入家庭）；特困供养人员、享受孤儿基本生活保障的除外；死亡、户籍迁出、证件过期或注销的次月起停发。")),
    Rule("CARE_SUBSIDY", _("重度残疾人护理补贴"), (K.CARE_SUBSIDY,), ACTIVE, care_subsidy, _care_missed,
         description=_("一、二级且需长期照护（6个月以上）的残疾人（可按年度参数扩至三、四级智力、精神残疾人）；特困供养、享受工伤保险生活护理费的除外；与老年人护理补贴、离退休人员护理费择高享受一项。")),
    Rule("MEDICAL_CONTRIBUTION", _("医保个人缴费资助"), (K.MEDICAL_CONTRIBUTION,), YEAR, medical_contribution,
         description=_("防止返贫监测户中的持证残疾人，当年度应有缴费资助记录。")),
    Rule("PENSION_CONTRIBUTION", _("养老保险缴费资助"), (K.PENSION_CONTRIBUTION,), YEAR, pension_contribution,
         description=_("劳动年龄段、不在校，且为重度残疾人或低收入家庭（低保、特困、脱贫户、监测户）的持证残疾人，当年度应有代缴记录。")),
    Rule("EDUCATION_AID", _("教育资助"), (K.EDUCATION_AID,), YEAR, education_aid, _education_missed,
         description=_("学前至大学在校的残疾学生，以及义务教育阶段失学辍学的残疾儿童（控辍保学），当年度应有教育资助记录。")),
    Rule("TRAINING", _("职业技能和实用技术培训"), TRAINING_KINDS, PERIOD, training,
         description=_("劳动年龄段、有培训需求、意愿和能力的持证残疾人，统计期内（默认过渡期2021-2025年）至少培训一次；职业技能培训和实用技术培训分别计数。")),
    Rule("GRADUATE_EMPLOYMENT", _("高校毕业生就业"), (K.GRADUATE_EMPLOYMENT,), EVER, graduate_employment,
         target_field="graduate_employment_target",
         description=_("应届高校毕业残疾人应有初次就业记录；初次就业率目标默认80%。")),
    Rule("CHILD_REHAB", _("残疾儿童康复救助"), (K.CHILD_REHAB,), YEAR, child_rehab,
         description=_("低收入家庭0-6岁视力、听力、言语、肢体、智力残疾及孤独症儿童，当年度应有康复救助记录。")),
    Rule("REHAB_SERVICE", _("基本康复服务"), (K.REHAB_SERVICE,), YEAR, rehab_service, _rehab_missed,
         description=_("有康复需求的持证残疾人，当年度应有基本康复服务记录；低收入家庭重度残疾人优先。")),
    Rule("FAMILY_DOCTOR", _("家庭医生签约"), (K.FAMILY_DOCTOR,), YEAR, family_doctor, _family_doctor_missed,
         description=_("持证残疾人当年度应有家庭医生签约记录。")),
    Rule("ACCESSIBILITY", _("无障碍改造"), (K.ACCESSIBILITY,), EVER, accessibility,
         description=_("低收入家庭中有无障碍改造需求的一、二级重度残疾人，应已完成家庭无障碍改造。")),
    Rule("CARE_SERVICE", _("托养服务"), (K.CARE_SERVICE,), ACTIVE, care_service,
         description=_("低收入家庭中生活不能自理、有托养照护需求的一、二级重度残疾人，应在享受托养服务。")),
]}


REASONS: dict[str, str | Promise] = {
    "MISSED": _("符合条件，未享受"),
    "MISSED_EXTENDED": _("符合扩面条件，未享受"),
    "MISSED_DROPOUT": _("义务教育阶段失学辍学，未落实教育资助和控辍保学"),
    "MISSED_PRIORITY": _("低收入家庭重度残疾人有康复需求，应优先安排，未享受"),
    "MISSED_FLAG_ONLY": _("登记为已签约，但无签约记录"),
    "DECEASED": _("已死亡，应自死亡次月起停发"),
    "MOVED_OUT": _("户籍已迁出，应自迁出次月起停发"),
    "NO_CERTIFICATE": _("未持有残疾人证"),
    "CERT_CANCELLED": _("残疾人证已注销"),
    "CERT_EXPIRED": _("残疾人证已过期，应自到期次月起停发"),
    "TEKUN": _("特困供养人员，不享受该项补贴"),
    "ORPHAN": _("已享受孤儿基本生活保障"),
    "NOT_DIBAO": _("非低保家庭"),
    "WORK_INJURY_CARE": _("已享受工伤保险生活护理费"),
    "CHOOSE_HIGHER": _("同时享受老年人护理补贴或离退休人员护理费，应择高享受一项"),
    "GRADE": _("残疾等级不符合（一、二级；扩面时含三、四级智力、精神残疾）"),
    "NO_LONG_TERM_CARE": _("未评估为需长期照护（6个月以上）"),
    "NOT_MONITORED": _("非防止返贫监测户"),
    "AGE_OUT_OF_RANGE": _("年龄不在政策范围内"),
    "IN_SCHOOL": _("在校学生，不参加城乡居民养老保险"),
    "NOT_IN_HARDSHIP": _("非重度残疾人，且非低收入家庭"),
    "NOT_STUDENT": _("非在校学生"),
    "NO_TRAINING_NEED": _("无培训需求、意愿或能力"),
    "NOT_GRADUATE": _("非高校毕业生"),
    "CATEGORY": _("残疾类别不在救助范围"),
    "NOT_LOW_INCOME": _("非低收入家庭（低保、特困、脱贫户、监测户）"),
    "NO_REHAB_NEED": _("无康复需求"),
    "NOT_SEVERE": _("非一、二级重度残疾人"),
    "NO_ACCESSIBILITY_NEED": _("无无障碍改造需求"),
    "NO_CARE_NEED": _("无托养照护需求"),
    "RECORD_AFTER_STOP": _("记录日期晚于死亡或户籍迁出日期"),
    "DUPLICATE": _("同期有两条以上该项记录（重复享受）"),
}


def reason_text(code: str) -> str:
    return str(REASONS.get(code, code))
