from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouwang.areas.models import Area, AreaLevel
from shouwang.assistance.choices import (
    MEASURE_TRANSITIONS,
    OPEN_MEASURE_STATUSES,
    MeasureCategory,
    MeasureStatus,
    ProblemKind,
    ProblemSource,
    ProblemStatus,
    SuggestionDecision,
)
from shouwang.registry.models import Household, Person


def _household_area(prefix: str, area: Area) -> Q:
    column = {AreaLevel.COUNTY: "county", AreaLevel.TOWNSHIP: "township"}.get(
        AreaLevel(area.level), "village"
    )
    return Q(**{f"{prefix}household__{column}_id": area.code})


class MeasureKind(models.Model):
    """帮扶措施目录: the catalogue of measure kinds, each in one of the plan's three layers.

    Seeded by a data migration; county administrators may rename, retag, add or retire kinds."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    category = models.CharField(_("类别"), max_length=16, choices=MeasureCategory.choices)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    default_unit = models.CharField(_("默认责任单位"), max_length=64, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("帮扶措施类型")
        verbose_name_plural = _("帮扶措施目录")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class LedgerQuerySet(models.QuerySet["Ledger"]):
    def in_area(self, area: Area) -> LedgerQuerySet:
        return self.filter(_household_area("", area))


class Ledger(models.Model):
    """帮扶台账: one per monitored household, created with the monitoring confirmation, kept after exit."""

    household = models.OneToOneField(Household, models.PROTECT, related_name="ledger", verbose_name=_("户"))
    low_motivation = models.BooleanField(_("内生动力不足"), default=False)
    low_motivation_note = models.CharField(_("内生动力说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("帮扶台账")
        verbose_name_plural = _("帮扶台账")

    def __str__(self) -> str:
        return str(self.household)


class ProblemQuerySet(models.QuerySet["Problem"]):
    def in_area(self, area: Area) -> ProblemQuerySet:
        return self.filter(_household_area("", area))

    def open(self) -> ProblemQuerySet:
        return self.filter(status=ProblemStatus.OPEN)


class Problem(models.Model):
    """问题清单: a 两不愁三保障 or water problem (or another) that must be cleared (动态清零).

    At most one open problem per household and kind: finding it again adds a note to the open one."""

    household = models.ForeignKey(Household, models.PROTECT, related_name="problems", verbose_name=_("户"))
    kind = models.CharField(_("问题类别"), max_length=16, choices=ProblemKind.choices)
    description = models.CharField(_("问题描述"), max_length=500)
    notes = models.TextField(_("补充记录"), blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=ProblemSource.choices)
    # The visit that found it; a plain id so this app does not depend on the visits app's tables.
    visit_id = models.PositiveBigIntegerField(_("走访记录"), null=True, blank=True)
    rule_code = models.CharField(_("筛查规则"), max_length=64, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    opened_on = models.DateField(_("发现日期"), default=datetime.date.today, db_index=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cleared_on = models.DateField(_("清零日期"), null=True, blank=True)
    evidence = models.CharField(_("清零佐证"), max_length=500, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cleared_measure = models.ForeignKey(
        "Measure", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("清零措施")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题清单")
        ordering = ["opened_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "kind"],
                condition=Q(status="open"),
                name="problem_one_open_per_household_kind",
            ),
        ]
        indexes = [models.Index(fields=["status", "opened_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.description[:40]}"

    def age_days(self, today: datetime.date | None = None) -> int:
        end = self.cleared_on or today or datetime.date.today()
        return (end - self.opened_on).days


class MeasureQuerySet(models.QuerySet["Measure"]):
    def in_area(self, area: Area) -> MeasureQuerySet:
        return self.filter(_household_area("ledger__", area))

    def overdue(self, today: datetime.date | None = None) -> MeasureQuerySet:
        return self.filter(status__in=OPEN_MEASURE_STATUSES, due_on__lt=today or datetime.date.today())


class Measure(models.Model):
    """帮扶措施: one measure on a ledger, with who is responsible, by when, and what it achieved."""

    ledger = models.ForeignKey(Ledger, models.PROTECT, related_name="measures", verbose_name=_("台账"))
    kind = models.ForeignKey(MeasureKind, models.PROTECT, related_name="measures", verbose_name=_("措施类型"))
    person = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("帮扶对象")
    )
    content = models.CharField(_("措施内容"), max_length=500, blank=True)
    responsible_unit = models.CharField(_("责任单位"), max_length=64)
    responsible_person = models.CharField(_("责任人"), max_length=64)
    start_on = models.DateField(_("开始日期"))
    due_on = models.DateField(_("完成时限"))
    status = models.CharField(
        _("状态"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    effect = models.CharField(_("帮扶成效"), max_length=500, blank=True)
    income_after = models.DecimalField(
        _("帮扶后人均纯收入（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    problems = models.ManyToManyField(
        Problem, blank=True, related_name="measures", verbose_name=_("针对问题")
    )
    suggestion_key = models.CharField(_("来源建议"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("帮扶措施")
        verbose_name_plural = _("帮扶措施")
        ordering = ["start_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.kind.name} {self.start_on}"

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.status in OPEN_MEASURE_STATUSES and self.due_on < (today or datetime.date.today())

    @property
    def next_statuses(self) -> list[tuple[str, Any]]:
        """The statuses this measure may move to, in the order of the lifecycle."""
        allowed = MEASURE_TRANSITIONS[self.status]
        return [(value, label) for value, label in MeasureStatus.choices if value in allowed]


class FollowUp(models.Model):
    """跟进记录: a dated note on how a measure is going."""

    measure = models.ForeignKey(Measure, models.CASCADE, related_name="follow_ups", verbose_name=_("措施"))
    date = models.DateField(_("跟进日期"))
    note = models.CharField(_("跟进情况"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("跟进记录")
        verbose_name_plural = _("跟进记录")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date} {self.note[:40]}"


SUGGESTION_RULE_LABELS = {
    "development": _("有劳动能力：开发式帮扶"),
    "safety_net": _("无稳定收入：兜底保障"),
    "motivation": _("内生动力不足：扶志扶智"),
    "child_rehab": _("残疾儿童康复救助"),
    "care_subsidy": _("重度残疾人护理补贴核查"),
    "problem": _("问题整改"),
}


class SuggestionRecord(models.Model):
    """The officer's answer to one suggestion (accepted or dismissed with a reason), so it is not asked again."""

    ledger = models.ForeignKey(
        Ledger, models.CASCADE, related_name="suggestion_records", verbose_name=_("台账")
    )
    key = models.CharField(_("建议"), max_length=64)
    decision = models.CharField(_("处理"), max_length=16, choices=SuggestionDecision.choices)
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("建议处理记录")
        verbose_name_plural = _("建议处理记录")
        constraints = [
            models.UniqueConstraint(fields=["ledger", "key"], name="suggestion_one_answer_per_ledger")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.get_decision_display()}"

    @property
    def rule_label(self) -> str:
        return str(SUGGESTION_RULE_LABELS.get(self.key.split(":", 1)[0], self.key))


class AssistanceParameters(models.Model):
    """帮扶建议参数: the figures of the suggestion rules for a county (blank = every county) from a year on."""

    county_code = models.CharField(_("县级代码"), max_length=12, blank=True)
    year = models.PositiveSmallIntegerField(_("起始年度"))
    working_age_min = models.PositiveSmallIntegerField(_("劳动年龄下限（岁）"), default=16)
    working_age_max = models.PositiveSmallIntegerField(_("劳动年龄上限（岁）"), default=60)
    child_rehab_max_age = models.PositiveSmallIntegerField(_("残疾儿童康复救助年龄上限（岁）"), default=6)
    child_rehab_categories = models.JSONField(_("残疾儿童康复救助残疾类别"), default=list)
    care_subsidy_max_grade = models.PositiveSmallIntegerField(_("护理补贴核查等级上限"), default=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("帮扶建议参数")
        verbose_name_plural = _("帮扶建议参数")
        constraints = [
            models.UniqueConstraint(fields=["county_code", "year"], name="assistance_parameters_unique")
        ]

    def __str__(self) -> str:
        return f"{self.county_code or '通用'} {self.year}"
