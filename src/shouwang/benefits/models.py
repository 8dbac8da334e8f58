"""Benefit records, the yearly coverage parameters of a county, and the stored result of a coverage run."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouwang.areas.models import Area
from shouwang.benefits.choices import BenefitKind, BenefitSource, FindingKind
from shouwang.registry.models import Household, Person


class BenefitRecordQuerySet(models.QuerySet["BenefitRecord"]):
    def active_on(self, day: datetime.date) -> BenefitRecordQuerySet:
        """Records running on `day`: started on or before it and not ended before it."""
        return self.filter(Q(end_on__isnull=True) | Q(end_on__gte=day), start_on__lte=day)

    def running_between(self, first: datetime.date, last: datetime.date) -> BenefitRecordQuerySet:
        """Records that ran at some time between `first` and `last` (both included)."""
        return self.filter(Q(end_on__isnull=True) | Q(end_on__gte=first), start_on__lte=last)

    def started_between(self, first: datetime.date, last: datetime.date) -> BenefitRecordQuerySet:
        return self.filter(start_on__gte=first, start_on__lte=last)


class BenefitRecord(models.Model):
    """政策享受记录: one benefit paid or service given to a person (or a whole household) from a start date.

    `end_on` empty means still running. Monthly amounts are per month; one-off kinds carry the total."""

    person = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="benefits",
                               verbose_name=_("成员"))
    household = models.ForeignKey(Household, models.PROTECT, related_name="benefits", verbose_name=_("户"))
    kind = models.CharField(_("政策项目"), max_length=32, choices=BenefitKind.choices)
    start_on = models.DateField(_("起始日期"))
    end_on = models.DateField(_("终止日期"), null=True, blank=True)
    monthly_amount = models.DecimalField(_("月标准（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    one_off_amount = models.DecimalField(_("一次性金额（元）"), max_digits=12, decimal_places=2, null=True,
                                         blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=BenefitSource.choices, default=BenefitSource.HAND)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BenefitRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("政策享受记录")
        verbose_name_plural = _("政策享受记录")
        ordering = ["-start_on", "-id"]
        indexes = [
            # a person's records of a kind (person page, importer)
            models.Index(fields=["person", "kind", "start_on", "end_on"]),
            # covering for a coverage run: each kind's records in person order (no table lookups, no sort)
            models.Index(fields=["kind", "person", "start_on", "end_on"], name="benefit_kind_person"),
            models.Index(fields=["kind", "start_on"]),
            models.Index(fields=["household", "kind"]),
            models.Index(fields=["kind", "end_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                                   name="benefit_end_not_before_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_on:%Y-%m-%d}"


def _money(default: str) -> models.DecimalField:
    return models.DecimalField(max_digits=10, decimal_places=2, default=Decimal(default))


class CoverageParameters(models.Model):
    """政策落实参数: per county and effective year, edited by the county administrator.

    The row with the greatest `year` not after the reference year applies. Defaults are the Chongqing
    figures and the 2021-2025 transition period (过渡期)."""

    county = models.ForeignKey(Area, models.PROTECT, related_name="+", verbose_name=_("县"))
    year = models.PositiveSmallIntegerField(_("生效年度"))
    living_extend_low_income = models.BooleanField(
        _("生活补贴扩至其他低收入家庭"), default=False,
        help_text=_("勾选后，脱贫户和监测户中的持证残疾人也纳入困难残疾人生活补贴"))
    care_extend_grade3_4 = models.BooleanField(
        _("护理补贴扩至三、四级智力和精神残疾人"), default=False)
    living_amount = models.DecimalField(_("生活补贴标准（元/月）"), max_digits=10, decimal_places=2,
                                        default=Decimal("100"))
    care_amount_grade1 = models.DecimalField(_("护理补贴标准·一级（元/月）"), max_digits=10, decimal_places=2,
                                             default=Decimal("110"))
    care_amount_grade2 = models.DecimalField(_("护理补贴标准·二级及扩面（元/月）"), max_digits=10,
                                             decimal_places=2, default=Decimal("100"))
    training_period_start = models.DateField(_("培训统计期起"), default=datetime.date(2021, 1, 1))
    training_period_end = models.DateField(_("培训统计期止"), default=datetime.date(2025, 12, 31))
    working_age_min = models.PositiveSmallIntegerField(_("劳动年龄下限（岁）"), default=16)
    working_age_max = models.PositiveSmallIntegerField(_("劳动年龄上限（岁）"), default=59)
    child_rehab_age_min = models.PositiveSmallIntegerField(_("儿童康复救助年龄下限（岁）"), default=0)
    child_rehab_age_max = models.PositiveSmallIntegerField(_("儿童康复救助年龄上限（岁）"), default=6)
    child_rehab_categories = models.CharField(
        _("儿童康复救助残疾类别"), max_length=32, default="1,2,3,4,5,6,7",
        help_text=_("残疾类别代码，逗号分隔；孤独症儿童按精神残疾（6）办证"))
    compulsory_age_min = models.PositiveSmallIntegerField(_("义务教育年龄下限（岁）"), default=6)
    compulsory_age_max = models.PositiveSmallIntegerField(_("义务教育年龄上限（岁）"), default=15)
    coverage_target = models.PositiveSmallIntegerField(_("覆盖率目标（%）"), default=100)
    graduate_employment_target = models.PositiveSmallIntegerField(_("毕业生初次就业率目标（%）"), default=80)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("政策落实参数")
        verbose_name_plural = _("政策落实参数")
        ordering = ["county", "-year"]
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="coverage_parameters_unique_year")]

    def __str__(self) -> str:
        return f"{self.county_id} {self.year}"

    @property
    def child_rehab_category_list(self) -> list[int]:
        return [int(c) for c in self.child_rehab_categories.split(",") if c.strip().isdigit()]


class CoverageRun(models.Model):
    """One evaluation of every coverage rule over a county at a reference date (its findings and tallies)."""

    county = models.ForeignKey(Area, models.PROTECT, related_name="+", verbose_name=_("县"))
    reference_date = models.DateField(_("基准日期"))
    parameter_year = models.PositiveSmallIntegerField(_("参数年度"))
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    duration_ms = models.PositiveIntegerField(_("用时（毫秒）"), default=0)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("执行人"))
    complete = models.BooleanField(_("已完成"), default=False)
    new_count = models.PositiveIntegerField(_("新增发现"), default=0)
    resolved_count = models.PositiveIntegerField(_("消除发现"), default=0)

    class Meta:
        verbose_name = _("覆盖核查批次")
        verbose_name_plural = _("覆盖核查批次")
        ordering = ["-id"]
        indexes = [models.Index(fields=["county", "complete", "-id"])]

    def __str__(self) -> str:
        return f"{self.county_id} {self.reference_date}"

    @property
    def findings(self) -> models.QuerySet[CoverageFinding]:
        """The findings standing at this run: first seen in it or before and not resolved by then.

        For the county's latest run these are the current findings (resolved_run empty), which the
        partial list index serves; for an earlier run the rows resolved after it are included."""
        qs = CoverageFinding.objects.filter(county_id=self.county_id, first_run_id__lte=self.pk)
        if not CoverageRun.objects.filter(county_id=self.county_id, complete=True, pk__gt=self.pk).exists():
            return qs.filter(resolved_run__isnull=True)
        return qs.filter(Q(resolved_run__isnull=True) | Q(resolved_run_id__gt=self.pk))


class CoverageTally(models.Model):
    """Per run, rule and village: eligible, receiving, missed and leak person counts (rolled up by SUM)."""

    run = models.ForeignKey(CoverageRun, models.CASCADE, related_name="tallies")
    rule = models.CharField(_("规则"), max_length=32)
    county_id = models.CharField(max_length=12)
    township_id = models.CharField(max_length=12)
    village_id = models.CharField(max_length=12)
    eligible = models.PositiveIntegerField(_("应享人数"), default=0)
    receiving = models.PositiveIntegerField(_("享受人数"), default=0)
    covered = models.PositiveIntegerField(_("应享已享人数"), default=0)
    missed = models.PositiveIntegerField(_("应享未享人数"), default=0)
    leak = models.PositiveIntegerField(_("不应享而享人数"), default=0)

    class Meta:
        verbose_name = _("覆盖统计")
        verbose_name_plural = _("覆盖统计")
        indexes = [models.Index(fields=["run", "rule", "township_id"]), models.Index(fields=["run", "village_id"])]

    def __str__(self) -> str:
        return f"{self.rule} {self.village_id}"


class CoverageFinding(models.Model):
    """One person missed by, or leaking from, one rule, with the reason code: kept from the run that first
    found it until the run that no longer finds it (`resolved_run`). Unchanged findings are never rewritten.

    A run writes only the difference (set-based: one UPDATE for the resolved, one INSERT ... SELECT for the
    new), so the foreign keys carry no database constraint and only the indexes the lists and the diff use."""

    first_run = models.ForeignKey(CoverageRun, models.CASCADE, related_name="+", db_index=False,
                                  db_constraint=False, verbose_name=_("首次发现批次"))
    resolved_run = models.ForeignKey(CoverageRun, models.CASCADE, null=True, blank=True, related_name="+",
                                     db_index=False, db_constraint=False, verbose_name=_("消除批次"))
    rule = models.CharField(_("规则"), max_length=32)
    kind = models.CharField(_("类型"), max_length=8, choices=FindingKind.choices)
    person = models.ForeignKey(Person, models.CASCADE, related_name="+", verbose_name=_("成员"),
                               db_constraint=False, db_index=False)
    household = models.ForeignKey(Household, models.DO_NOTHING, related_name="+", verbose_name=_("户"),
                                  db_constraint=False, db_index=False)
    county_id = models.CharField(max_length=12)
    township_id = models.CharField(max_length=12)
    village_id = models.CharField(max_length=12)
    reason = models.CharField(_("原因"), max_length=32)
    record = models.ForeignKey(BenefitRecord, models.DO_NOTHING, null=True, blank=True, related_name="+",
                               verbose_name=_("享受记录"), db_constraint=False, db_index=False)

    class Meta:
        verbose_name = _("覆盖核查发现")
        verbose_name_plural = _("覆盖核查发现")
        indexes = [
            # the current lists of a county, a township and a village (ordered by area, then id)
            models.Index(fields=["county_id", "rule", "kind", "township_id", "village_id", "id"],
                         condition=Q(resolved_run__isnull=True), name="coverage_finding_current"),
            # the diff's probe (person, rule, current) and a person's findings
            models.Index(fields=["person", "rule", "resolved_run"], name="coverage_finding_person"),
            # pruning findings resolved before the runs kept
            models.Index(fields=["county_id", "resolved_run"], condition=Q(resolved_run__isnull=False),
                         name="coverage_finding_resolved"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.kind} {self.reason}"


class FactColumns(models.Model):
    """The situation of one person at a coverage run's reference date, flattened for the rules.

    Every rule is a scan of one narrow table instead of joins and subqueries over the registry. `rec_*`
    hold the latest record counting as receiving a rule (NULL: not receiving); `n_*` count running records
    of monthly benefits (two or more is paying twice); `late_*` flag one-off records dated after death or
    moving out; `on_*` flag a yearly benefit's record still running on the reference date; `received` has
    a bit set per rule whose rec_* is set (the tallies count receiving persons from it). `stop` is
    'deceased' / 'moved_out' when that happened before the reference month. `status_date` and `valid_until`
    are the registry's dates behind `stop` and `cert_stop` (the upkeep finds the rows a later date changes)."""

    person_id = models.BigIntegerField(primary_key=True)
    household_id = models.BigIntegerField()
    county_id = models.CharField(max_length=12)
    township_id = models.CharField(max_length=12)
    village_id = models.CharField(max_length=12)
    birth_date = models.DateField()
    status_date = models.DateField(null=True)
    valid_until = models.DateField(null=True)
    stop = models.CharField(max_length=16)
    certified = models.BooleanField()
    cert_stop = models.CharField(max_length=16)
    in_force = models.BooleanField()  # every stop rule passes: alive, not moved out, certificate in force
    category = models.SmallIntegerField(null=True)
    grade = models.SmallIntegerField(null=True)
    schooling = models.CharField(max_length=16)
    needs_rehabilitation = models.BooleanField()
    needs_accessibility = models.BooleanField()
    needs_custodial_care = models.BooleanField()
    needs_long_term_care = models.BooleanField()
    training_ok = models.BooleanField()
    family_doctor_flag = models.BooleanField()
    assistance_status = models.CharField(max_length=16)
    poverty_status = models.CharField(max_length=16)
    monitored = models.BooleanField()
    tekun = models.BooleanField()
    orphan = models.BooleanField()
    work_injury = models.BooleanField()
    choose_higher = models.BooleanField()
    received = models.IntegerField()  # bit per rule (`evaluation.received_bits`): its rec_* is set
    rec_living_subsidy = models.BigIntegerField(null=True)
    rec_care_subsidy = models.BigIntegerField(null=True)
    rec_medical_contribution = models.BigIntegerField(null=True)
    rec_pension_contribution = models.BigIntegerField(null=True)
    rec_education_aid = models.BigIntegerField(null=True)
    rec_training = models.BigIntegerField(null=True)
    rec_graduate_employment = models.BigIntegerField(null=True)
    rec_child_rehab = models.BigIntegerField(null=True)
    rec_rehab_service = models.BigIntegerField(null=True)
    rec_family_doctor = models.BigIntegerField(null=True)
    rec_accessibility = models.BigIntegerField(null=True)
    rec_care_service = models.BigIntegerField(null=True)
    n_living_subsidy = models.IntegerField()
    n_care_subsidy = models.IntegerField()
    n_care_service = models.IntegerField()
    late_training = models.BooleanField()
    late_graduate_employment = models.BooleanField()
    late_accessibility = models.BooleanField()
    on_medical_contribution = models.BooleanField()
    on_pension_contribution = models.BooleanField()
    on_education_aid = models.BooleanField()
    on_child_rehab = models.BooleanField()
    on_rehab_service = models.BooleanField()
    on_family_doctor = models.BooleanField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.person_id)


class CoverageFact(FactColumns):
    """The facts of every person of the counties run so far, kept between runs (see `facts.py`): valid for
    the county's `CoverageFactState`, refreshed per household when the registry or the records change.
    Derived data, rebuilt at will: the table is created by the run (never migrated)."""

    class Meta:
        managed = False
        db_table = "benefits_coverage_fact"


class PersonFact(FactColumns):
    """The same facts for a few persons (the person page evaluates the rules now): a temporary table."""

    class Meta:
        managed = False
        db_table = "benefits_coverage_fact_one"


class CoverageFactState(models.Model):
    """For which reference date a county's kept facts hold (no row: to be built). Of the parameters only the
    training period shapes the facts (which courses count); the others are read by the rule scans."""

    county = models.OneToOneField(Area, models.CASCADE, primary_key=True, related_name="+")
    day = models.DateField()
    training_period_start = models.DateField()
    training_period_end = models.DateField()
    layout = models.CharField(max_length=400, default="")  # rules in `received` bit order + statements digest

    def __str__(self) -> str:
        return f"{self.county_id} {self.day}"


class CoverageStaleHousehold(models.Model):
    """A household whose kept facts a write made stale (registry listener, benefit services, importer);
    the next run of its county refreshes its persons' facts and removes the mark."""

    household_id = models.BigIntegerField(primary_key=True)

    def __str__(self) -> str:
        return str(self.household_id)
