"""Monitoring (防止返贫动态监测): leads, identification cases, and the yearly parameters and terms.

A Lead (线索) is the first signal that a household may be at risk; a MonitoringCase is one identification of
the household, from home verification to county confirmation and, later, to the exit (风险消除). Cases are
never deleted: a household that exits and falls back gets a new lead and a new case.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouwang.monitoring.choices import (
    ACTIVE_LEAD_STATUSES,
    MONITORED_STAGES,
    HouseholdType,
    LeadSource,
    LeadStatus,
    ReviewResult,
    RiskType,
    Stage,
    Step,
)
from shouwang.registry.models import Household


class LeadQuerySet(models.QuerySet["Lead"]):
    def active(self) -> LeadQuerySet:
        return self.filter(status__in=ACTIVE_LEAD_STATUSES)

    def late(self, *, today: datetime.date, limit_days: int) -> LeadQuerySet:
        """Active leads found more than `limit_days` ago (the 15-day rule)."""
        return self.active().filter(found_on__lt=today - datetime.timedelta(days=limit_days))


class Lead(models.Model):
    """线索: a household that may be at risk. One active (open or in identification) lead per household."""

    household = models.ForeignKey(Household, models.PROTECT, related_name="leads", verbose_name=_("户"))
    source = models.CharField(_("线索来源"), max_length=16, choices=LeadSource.choices)
    found_on = models.DateField(_("发现日期"), db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=LeadStatus.choices, default=LeadStatus.OPEN)
    decided_on = models.DateField(_("办结日期"), null=True, blank=True)
    close_reason = models.CharField(_("不予纳入或关闭原因"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = models.Manager.from_queryset(LeadQuerySet)()

    class Meta:
        verbose_name = _("线索")
        verbose_name_plural = _("线索")
        ordering = ["-found_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status__in=ACTIVE_LEAD_STATUSES),
                name="lead_one_active_per_household",
            )
        ]
        indexes = [models.Index(fields=["status", "found_on"])]

    def __str__(self) -> str:
        return f"{self.household.number} {self.get_source_display()} {self.found_on}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_LEAD_STATUSES


class LeadEvidence(models.Model):
    """One piece of evidence for a lead: a screening hit, a visit finding, a household's own report."""

    lead = models.ForeignKey(Lead, models.CASCADE, related_name="evidence", verbose_name=_("线索"))
    source = models.CharField(_("来源"), max_length=16, choices=LeadSource.choices)
    found_on = models.DateField(_("日期"))
    evidence = models.JSONField(_("依据"), default=dict, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("线索依据")
        verbose_name_plural = _("线索依据")
        ordering = ["found_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.found_on}"


def authorisation_path(instance: MonitoringCase, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"monitoring/authorisations/{instance.household.county_id}/{instance.household_id}/{instance.lead_id}.{suffix}"


class MonitoringCaseQuerySet(models.QuerySet["MonitoringCase"]):
    def monitored(self) -> MonitoringCaseQuerySet:
        return self.filter(stage__in=MONITORED_STAGES)


class MonitoringCase(models.Model):
    """One identification of a household (纳入) and, once confirmed, its time under monitoring until exit.

    Created when the home verification is recorded; the step dates below are filled as the case moves on.
    """

    household = models.ForeignKey(
        Household, models.PROTECT, related_name="monitoring_cases", verbose_name=_("户")
    )
    lead = models.OneToOneField(Lead, models.PROTECT, related_name="case", verbose_name=_("线索"))
    stage = models.CharField(_("环节"), max_length=24, choices=Stage.choices, db_index=True)
    # 入户核实
    verified_on = models.DateField(_("入户核实日期"))
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    verification_note = models.CharField(_("核实情况"), max_length=1000, blank=True)
    authorisation = models.FileField(_("授权承诺书"), upload_to=authorisation_path, max_length=200)
    # 民主评议 and 村内公示
    village_result = models.CharField(
        _("民主评议结果"), max_length=16, choices=ReviewResult.choices, blank=True
    )
    village_reviewed_on = models.DateField(_("民主评议日期"), null=True, blank=True)
    notice_started_on = models.DateField(_("公示开始日期"), null=True, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), null=True, blank=True)
    # 乡镇审核, 县级审定
    township_reviewed_on = models.DateField(_("乡镇审核日期"), null=True, blank=True)
    confirmed_on = models.DateField(_("纳入日期"), null=True, blank=True, db_index=True)
    household_type = models.CharField(
        _("监测对象类型"), max_length=16, choices=HouseholdType.choices, blank=True
    )
    # 风险消除
    exit_proposed_on = models.DateField(_("风险消除村级评议日期"), null=True, blank=True)
    exit_criteria = models.JSONField(_("风险消除核对结果"), default=list, blank=True)
    exit_township_reviewed_on = models.DateField(_("风险消除乡镇审核日期"), null=True, blank=True)
    exited_on = models.DateField(_("风险消除日期"), null=True, blank=True)
    rejected_on = models.DateField(_("不予纳入日期"), null=True, blank=True)
    reject_reason = models.CharField(_("不予纳入原因"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = models.Manager.from_queryset(MonitoringCaseQuerySet)()

    class Meta:
        verbose_name = _("监测识别")
        verbose_name_plural = _("监测识别")
        ordering = ["-verified_on", "-pk"]
        indexes = [models.Index(fields=["household", "stage"])]

    def __str__(self) -> str:
        return f"{self.household.number} {self.get_stage_display()}"

    @property
    def is_monitored(self) -> bool:
        return self.stage in MONITORED_STAGES

    @property
    def risk_type_labels(self) -> list[str]:
        """Labels of the risk types (prefetch `risks` on lists)."""
        return [r.get_risk_type_display() for r in self.risks.all()]


class CaseRiskType(models.Model):
    """One risk type (致贫返贫风险) of a case; 1-5 per case. A row each so reports can count by type in SQL."""

    case = models.ForeignKey(MonitoringCase, models.CASCADE, related_name="risks")
    risk_type = models.CharField(_("风险类型"), max_length=16, choices=RiskType.choices, db_index=True)

    class Meta:
        verbose_name = _("风险类型")
        verbose_name_plural = _("风险类型")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["case", "risk_type"], name="case_risk_type_unique")]

    def __str__(self) -> str:
        return self.get_risk_type_display()


class CaseStep(models.Model):
    """The step log of a lead and its case, shown on the household page; kept forever."""

    lead = models.ForeignKey(Lead, models.CASCADE, related_name="steps")
    case = models.ForeignKey(MonitoringCase, models.CASCADE, null=True, blank=True, related_name="steps")
    step = models.CharField(_("环节"), max_length=24, choices=Step.choices)
    acted_on = models.DateField(_("日期"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.acted_on}"


class MonitoringParameters(models.Model):
    """Figures of the monitoring procedure for a county from a year on (the latest year ≤ the asked one wins)."""

    county_code = models.CharField(_("县级代码"), max_length=12)
    year = models.PositiveSmallIntegerField(_("起始年度"))
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=5)
    lead_limit_days = models.PositiveSmallIntegerField(_("线索办结时限（天）"), default=15)
    exit_min_months = models.PositiveSmallIntegerField(_("风险消除最短监测月数"), default=6)
    income_line = models.DecimalField(
        _("监测收入标准（元/人·年）"), max_digits=10, decimal_places=2, default=Decimal("6000")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("监测参数")
        verbose_name_plural = _("监测参数")
        constraints = [
            models.UniqueConstraint(fields=["county_code", "year"], name="monitoring_parameters_unique")
        ]

    def __str__(self) -> str:
        return f"{self.county_code} {self.year}"


class Term(models.Model):
    """A UI term with an effective date: 监测对象 until 2025, 防止返贫致贫对象 from 2026.

    county_code blank = every county; a county's own row wins over the general one."""

    key = models.CharField(_("术语代码"), max_length=32)
    label = models.CharField(_("用语"), max_length=64)
    effective_from = models.DateField(_("生效日期"))
    county_code = models.CharField(_("县级代码"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("术语")
        verbose_name_plural = _("术语")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "county_code", "effective_from"], name="monitoring_term_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.label} {self.effective_from}"
