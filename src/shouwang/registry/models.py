from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouwang.areas.models import Area, AreaLevel
from shouwang.registry.choices import (
    AssistanceStatus,
    CertificateStatus,
    CheckState,
    DisabilityCategory,
    DisabilityGrade,
    Employment,
    EventKind,
    HelperKind,
    LabourCapacity,
    LivingStatus,
    PovertyStatus,
    Relation,
    Schooling,
    Sex,
)

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2, "default": Decimal("0")}


def _area_filter(prefix: str, area: Area) -> Q:
    column = {AreaLevel.COUNTY: "county", AreaLevel.TOWNSHIP: "township"}.get(AreaLevel(area.level), "village")
    return Q(**{f"{prefix}{column}_id": area.code})


class HouseholdQuerySet(models.QuerySet["Household"]):
    def in_area(self, area: Area) -> HouseholdQuerySet:
        return self.filter(_area_filter("", area))


class Household(models.Model):
    """户: the unit of monitoring. Area codes are denormalised (county, township, village) so any scope is
    an indexed equality filter at province scale."""

    number = models.CharField(_("户编号"), max_length=32)
    # No single-column indexes on the area codes: (county|township|village, number) below lead with them.
    county = models.ForeignKey(Area, models.PROTECT, related_name="+", verbose_name=_("县"), db_index=False)
    township = models.ForeignKey(Area, models.PROTECT, related_name="+", verbose_name=_("乡镇（街道）"),
                                 db_index=False)
    village = models.ForeignKey(Area, models.PROTECT, related_name="households", verbose_name=_("村（社区）"),
                                db_index=False)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    poverty_status = models.CharField(
        _("脱贫情况"), max_length=16, choices=PovertyStatus.choices, default=PovertyStatus.GENERAL
    )
    lifted_year = models.PositiveSmallIntegerField(_("脱贫年度"), null=True, blank=True)
    relocated = models.BooleanField(_("易地扶贫搬迁"), default=False)
    assistance_status = models.CharField(
        _("社会救助"), max_length=16, choices=AssistanceStatus.choices, default=AssistanceStatus.NONE
    )
    food_clothing = models.CharField(
        _("吃穿不愁"), max_length=16, choices=CheckState.choices, default=CheckState.UNCHECKED
    )
    housing_safety = models.CharField(
        _("住房安全"), max_length=16, choices=CheckState.choices, default=CheckState.UNCHECKED
    )
    housing_checked_on = models.DateField(_("住房核查日期"), null=True, blank=True)
    water_safety = models.CharField(
        _("饮水安全"), max_length=16, choices=CheckState.choices, default=CheckState.UNCHECKED
    )
    water_checked_on = models.DateField(_("饮水核查日期"), null=True, blank=True)
    # Kept by the services (never by save()) so lists need no aggregate over members.
    head_name = models.CharField(_("户主姓名"), max_length=64, blank=True)  # shown, never searched
    member_count = models.PositiveSmallIntegerField(_("家庭人口"), default=0)
    disabled_count = models.PositiveSmallIntegerField(_("残疾人数"), default=0)
    severe_count = models.PositiveSmallIntegerField(_("重度残疾人数"), default=0)
    # One bit per (category, grade) among living members' certificates (`choices.disability_kind_mask`), so
    # the list's category/grade filter reads the household row instead of probing every member.
    disability_kinds = models.PositiveIntegerField(_("残疾类别与等级"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        # The unique constraint is also the county's (county, number) index.
        constraints = [models.UniqueConstraint(fields=["county", "number"], name="household_number_unique_in_county")]
        indexes = [
            models.Index(fields=["township", "number"]),
            models.Index(fields=["village", "number"]),
            # The list's flag filters (低保/特困, poverty history, severe, multi-disabled, category and grade)
            # counted from the index alone: a township's or the county's count never reads the table.
            models.Index(fields=["township", "assistance_status", "poverty_status", "severe_count", "disabled_count",
                                 "disability_kinds"], name="household_township_kinds"),
            models.Index(fields=["county", "assistance_status", "poverty_status", "severe_count", "disabled_count",
                                 "disability_kinds"], name="household_county_kinds"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.head_name}".strip()

    @property
    def is_multi_disabled(self) -> bool:
        return self.disabled_count >= 2


class PersonQuerySet(models.QuerySet["Person"]):
    def in_area(self, area: Area) -> PersonQuerySet:
        return self.filter(_area_filter("household__", area))

    def living(self) -> PersonQuerySet:
        """Members who count: deceased and moved-out persons are kept for history but not counted."""
        return self.filter(living_status=LivingStatus.ALIVE)

    def severe(self) -> PersonQuerySet:
        return self.filter(disability__grade__lte=2)

    def disabled(self) -> PersonQuerySet:
        return self.filter(disability__isnull=False)


class Person(models.Model):
    """成员: a member of a household, disabled or not."""

    # Indexed by (household, living_status, ...) and (name, household) below.
    household = models.ForeignKey(Household, models.PROTECT, related_name="members", verbose_name=_("户"),
                                  db_index=False)
    name = models.CharField(_("姓名"), max_length=64)
    id_number = models.CharField(_("公民身份号码"), max_length=18, unique=True)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    relation = models.CharField(_("与户主关系"), max_length=16, choices=Relation.choices, default=Relation.OTHER)
    living_status = models.CharField(
        _("生存状态"), max_length=16, choices=LivingStatus.choices, default=LivingStatus.ALIVE
    )
    status_date = models.DateField(_("死亡或迁出日期"), null=True, blank=True)
    labour_capacity = models.CharField(
        _("劳动能力"), max_length=16, choices=LabourCapacity.choices, default=LabourCapacity.NORMAL
    )
    schooling = models.CharField(
        _("在校生状况"), max_length=16, choices=Schooling.choices, default=Schooling.NOT_IN_SCHOOL
    )
    employment = models.CharField(_("就业情况"), max_length=16, choices=Employment.choices, default=Employment.NONE)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    medical_insurance = models.BooleanField(_("参加基本医疗保险"), default=True)
    pension_insurance = models.BooleanField(_("参加基本养老保险"), default=False)
    family_doctor = models.BooleanField(_("家庭医生签约"), default=False)
    needs_rehabilitation = models.BooleanField(_("康复需求"), default=False)
    needs_assistive_device = models.BooleanField(_("辅助器具需求"), default=False)
    needs_accessibility = models.BooleanField(_("无障碍改造需求"), default=False)
    needs_custodial_care = models.BooleanField(_("托养照护需求"), default=False)
    needs_long_term_care = models.BooleanField(_("需长期照护（6个月以上）"), default=False)
    training_need = models.BooleanField(_("培训需求"), default=False)
    training_willing = models.BooleanField(_("培训意愿"), default=False)
    training_able = models.BooleanField(_("具备培训接受能力"), default=False)
    needs_employment = models.BooleanField(_("就业需求"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        indexes = [
            # Members of a household, living or not; it also carries what the screening's passes over every
            # living member read (labour capacity, birth date, schooling, medical insurance, and the id
            # their certificates are looked up by), so both databases answer them from the index alone
            # instead of looking each person's row up (the member counts and flags at 1M persons: a
            # million row look-ups fewer). SQLite keeps the row id in every index by itself, so it ignores
            # `include` (settings silence the warning that says so); PostgreSQL needs it to read the
            # members in household order from the index alone (see prepared._member_summary_postgresql).
            models.Index(fields=["household", "living_status", "labour_capacity", "birth_date", "schooling",
                                 "medical_insurance"], include=["id"], name="person_household_members"),
            # Name search (prefix) yields households without reading the person rows. On PostgreSQL the
            # pattern operator class serves `LIKE 'prefix%'` whatever the database's collation (a plain
            # index does only under the C collation); other databases ignore opclasses.
            models.Index(fields=["name", "household"], name="person_name_household",
                         opclasses=["varchar_pattern_ops", "int8_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    def age_on(self, day) -> int:  # type: ignore[no-untyped-def]
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


class Disability(models.Model):
    """残疾: the disability certificate of a person (one per person; 多重 covers several kinds)."""

    person = models.OneToOneField(Person, models.CASCADE, related_name="disability", verbose_name=_("成员"))
    certificate_number = models.CharField(_("残疾人证号"), max_length=20, unique=True)
    category = models.PositiveSmallIntegerField(_("残疾类别"), choices=DisabilityCategory.choices)
    grade = models.PositiveSmallIntegerField(_("残疾等级"), choices=DisabilityGrade.choices)
    status = models.CharField(
        _("证件状态"), max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    issued_on = models.DateField(_("发证日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("残疾")
        verbose_name_plural = _("残疾")
        indexes = [
            models.Index(fields=["category", "grade"]),
            # The list's category/grade filter probes each household's certificates without reading them.
            models.Index(fields=["person", "category", "grade"], name="disability_person_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}{self.get_grade_display()}"

    @property
    def is_severe(self) -> bool:
        return self.grade <= 2


class IncomeRecord(models.Model):
    """收入: a household's income over the 12 months before an assessment.

    net_income (家庭纯收入) = wages + business + property + transfer - business costs;
    per_capita_income (人均纯收入) = net_income / members counted at the time. Both are computed by the
    service that writes the record, so screening can filter on them in SQL."""

    # Indexed by the (household, year) unique constraint.
    household = models.ForeignKey(Household, models.CASCADE, related_name="incomes", verbose_name=_("户"),
                                  db_index=False)
    year = models.PositiveSmallIntegerField(_("统计年度"))
    period_start = models.DateField(_("统计期起"), null=True, blank=True)
    period_end = models.DateField(_("统计期止"), null=True, blank=True)
    wage_income = models.DecimalField(_("工资性收入"), **MONEY)
    business_income = models.DecimalField(_("生产经营性收入"), **MONEY)
    property_income = models.DecimalField(_("财产性收入"), **MONEY)
    transfer_income = models.DecimalField(_("转移性收入"), **MONEY)
    business_cost = models.DecimalField(_("生产经营性支出"), **MONEY)
    insurance_claims = models.DecimalField(_("理赔收入"), **MONEY)
    medical_spending = models.DecimalField(_("合规自付医疗支出"), **MONEY)
    education_spending = models.DecimalField(_("教育支出"), **MONEY)
    member_count = models.PositiveSmallIntegerField(_("计算人口"), default=1)
    net_income = models.DecimalField(_("家庭纯收入"), **MONEY)
    per_capita_income = models.DecimalField(_("人均纯收入"), **MONEY)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("收入记录")
        verbose_name_plural = _("收入记录")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["household", "year"], name="income_one_per_household_year")]

    def __str__(self) -> str:
        return f"{self.year}"

    @property
    def rigid_spending(self) -> Decimal:
        """合规自付医疗 + 教育, net of insurance claims paid back."""
        return max(self.medical_spending - self.insurance_claims, Decimal(0)) + self.education_spending


class Helper(models.Model):
    """帮扶人: the people a household can call on (work team, first secretary, paired helper, specialist)."""

    household = models.ForeignKey(Household, models.CASCADE, related_name="helpers", verbose_name=_("户"))
    kind = models.CharField(_("类别"), max_length=16, choices=HelperKind.choices)
    name = models.CharField(_("姓名"), max_length=64)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("帮扶人")
        verbose_name_plural = _("帮扶人")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class HouseholdEvent(models.Model):
    """突发变故: illness, disaster or accident that may push the household into hardship."""

    household = models.ForeignKey(Household, models.CASCADE, related_name="events", verbose_name=_("户"))
    person = models.ForeignKey(Person, models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(_("类型"), max_length=16, choices=EventKind.choices)
    occurred_on = models.DateField(_("发生日期"), db_index=True)
    description = models.CharField(_("情况说明"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("突发变故")
        verbose_name_plural = _("突发变故")
        ordering = ["-occurred_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"
