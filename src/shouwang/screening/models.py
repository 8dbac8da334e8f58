"""Screening: yearly parameters, runs and the hits they leave behind."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Lookup, Q, Transform
from django.db.models.fields.json import KeyTransformFactory
from django.utils.translation import gettext_lazy as _

from shouwang.areas.models import Area
from shouwang.registry.models import Household, Person

RATIO: dict[str, Any] = {"max_digits": 5, "decimal_places": 3}


class ScreeningParameters(models.Model):
    """筛查参数: one county's figures for one policy year, effective from a date.

    Seeded defaults carry confirmed=False and show as 待确认 until a county administrator confirms them.
    """

    county = models.ForeignKey(Area, models.PROTECT, related_name="+", verbose_name=_("县"))
    year = models.PositiveSmallIntegerField(_("年度"))
    effective_from = models.DateField(_("生效日期"))
    income_line = models.DecimalField(_("监测收入标准（元/人·年）"), max_digits=10, decimal_places=2)
    near_line_band = models.DecimalField(
        _("临界预警幅度"), help_text=_("人均纯收入在标准的（1+幅度）倍以内视为临界"), **RATIO
    )
    income_drop_ratio = models.DecimalField(
        _("收入骤减比例"), help_text=_("人均纯收入较上一记录下降达到该比例"), **RATIO
    )
    rigid_spending_ratio = models.DecimalField(
        _("刚性支出占比"), help_text=_("合规自付医疗与教育支出达到家庭纯收入的该比例"), **RATIO
    )
    transfer_share = models.DecimalField(
        _("转移性收入占比"), help_text=_("转移性收入超过总收入的该比例视为主要依靠兜底保障"), **RATIO
    )
    elderly_age = models.PositiveSmallIntegerField(_("老年人年龄（岁）"))
    working_age_min = models.PositiveSmallIntegerField(_("劳动年龄下限（岁）"))
    working_age_max = models.PositiveSmallIntegerField(_("劳动年龄上限（岁）"))
    school_age_min = models.PositiveSmallIntegerField(_("义务教育年龄下限（岁）"))
    school_age_max = models.PositiveSmallIntegerField(_("义务教育年龄上限（岁）"))
    event_window_days = models.PositiveSmallIntegerField(_("突发变故追溯天数"))
    visit_period_months = models.PositiveSmallIntegerField(_("访视周期（月）"))
    confirmed = models.BooleanField(_("已确认"), default=False)
    note = models.CharField(_("依据说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("筛查参数")
        verbose_name_plural = _("筛查参数")
        ordering = ["county", "-year"]
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="screening_parameters_one_per_year")]

    def __str__(self) -> str:
        return f"{self.year}"

    @property
    def county_code(self) -> str:
        return self.county_id


class RunKind(models.TextChoices):
    FULL = "full", _("全量筛查")
    HOUSEHOLD = "household", _("变更即时复筛")


class ScreeningRun(models.Model):
    """筛查批次: one evaluation of the rules over a scope, with what it changed."""

    kind = models.CharField(_("类型"), max_length=16, choices=RunKind.choices, default=RunKind.FULL)
    county = models.ForeignKey(Area, models.PROTECT, related_name="+", verbose_name=_("县"))
    area = models.ForeignKey(Area, models.PROTECT, related_name="+", verbose_name=_("范围"))
    parameter_year = models.PositiveSmallIntegerField(_("参数年度"))
    as_of = models.DateField(_("筛查基准日"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)
    households = models.PositiveIntegerField(_("筛查户数"), default=0)
    hit_counts = models.JSONField(_("各规则命中数"), default=dict)
    new_count = models.PositiveIntegerField(_("新增"), default=0)
    resolved_count = models.PositiveIntegerField(_("消除"), default=0)
    changed_count = models.PositiveIntegerField(_("依据变化"), default=0)

    class Meta:
        verbose_name = _("筛查批次")
        verbose_name_plural = _("筛查批次")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["county", "kind", "-id"])]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def total_hits(self) -> int:
        return sum(self.hit_counts.values())


class _AsJsonb(Transform):
    """The evidence as jsonb on PostgreSQL, where JSONField's lookups and key transforms are written for
    jsonb (`json = jsonb` and `json ? text` have no operator); SQLite's JSON functions read the text."""

    lookup_name = "as_jsonb"
    template = "%(expressions)s"
    output_field = models.JSONField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, Any]:
        return self.as_sql(compiler, connection, template="(%(expressions)s)::jsonb", **extra_context)


_ON_JSONB: dict[type[Lookup[Any]], type[Lookup[Any]]] = {}


def _on_jsonb(lookup: type[Lookup[Any]]) -> type[Lookup[Any]]:
    """`lookup` applied to the evidence read as jsonb (one class per lookup, made once)."""
    if lookup not in _ON_JSONB:
        _ON_JSONB[lookup] = type(lookup.__name__, (lookup,), {
            "__init__": lambda self, lhs, rhs: lookup.__init__(self, _AsJsonb(lhs), rhs)})
    return _ON_JSONB[lookup]


class EvidenceField(models.JSONField):
    """A hit's evidence: JSON, stored on PostgreSQL as `json` (its text as written), not `jsonb`.

    The rules build it in SQL for every hit a run finds; jsonb_build_object turned each number into
    text and parsed it back as numeric, per value and row (half of a hit's insert). The rules write the
    JSON text directly (rules.Evidence) and json keeps it as written. The diff compares it as text;
    queries inside it (`evidence__line=7500`, `evidence__has_key`) read it as jsonb, as before.
    psycopg decodes json values itself; SQLite keeps JSONField's text column."""

    def db_type(self, connection: Any) -> str | None:
        return "json" if connection.vendor == "postgresql" else super().db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if not isinstance(value, str):  # None, or already decoded by psycopg (json)
            return value
        return super().from_db_value(value, expression, connection)

    def get_transform(self, name: str) -> Any:
        transform = super().get_transform(name)
        if not isinstance(transform, KeyTransformFactory):
            return transform
        return lambda lhs, *args, **kwargs: transform(_AsJsonb(lhs), *args, **kwargs)

    def get_lookup(self, lookup_name: str) -> Any:
        lookup = super().get_lookup(lookup_name)
        return None if lookup is None else _on_jsonb(lookup)


class HitQuerySet(models.QuerySet["Hit"]):
    def current(self) -> HitQuerySet:
        return self.filter(resolved_run__isnull=True)

    def in_area(self, area: Area) -> HitQuerySet:
        return self.filter(household__in=Household.objects.in_area(area).values("pk"))


class Hit(models.Model):
    """筛查命中: a rule that fired for a household (and a member, for person rules), with its evidence.

    A hit stays current (resolved_run is null) while the rule keeps firing; the run that no longer finds
    it sets resolved_run. Unchanged hits are never rewritten.
    """

    rule_code = models.CharField(_("规则"), max_length=32)
    rule_version = models.PositiveSmallIntegerField(_("规则版本"))
    parameter_year = models.PositiveSmallIntegerField(_("参数年度"))
    # Hits are derived rows written half a million at a time by a first run, only by the engine and only
    # for households and persons its queries just read. No reference is a database constraint: on
    # PostgreSQL each is a trigger query per inserted row that also locks the parent row (the deferred
    # household check of a first run cost 3.9 s at commit), and on SQLite a parent look-up per row.
    # Households, persons and runs are kept in step by the ORM (CASCADE and PROTECT are Django's
    # collector, not the database's; nothing deletes households behind it; runs are never deleted).
    # No index of its own either: every query by household reads current hits, which the constraint's
    # index below serves (household first). Each index on the table is one more WAL record per inserted
    # hit on PostgreSQL: dropping this one and the first-seen one took a first run's insert of 515k hits
    # from 6.9 s to 4.6 s. Deleting a household (no service does; the admin could) scans its hits.
    household = models.ForeignKey(Household, models.CASCADE, related_name="screening_hits", verbose_name=_("户"),
                                  db_constraint=False, db_index=False)
    # Not indexed: nothing reads hits by person (the diff keys on person_key, in the current-hit index).
    # Each indexed column was another B-tree entry per inserted person hit, and another scan of the table
    # after a first run to build it again (0.15 s at 1M persons). Deleting a person (no service does; the
    # admin could) scans the hits, as deleting a household does.
    person = models.ForeignKey(Person, models.CASCADE, null=True, blank=True, related_name="+",
                               verbose_name=_("成员"), db_index=False, db_constraint=False)
    person_key = models.BigIntegerField(default=0, help_text="person_id or 0: a non-null key for set diffing")
    evidence = EvidenceField(_("依据"), default=dict)
    # No index on run and resolved_run: SQLite would pick it for "resolved_run IS NULL" and walk every
    # current hit; the partial index below (household first) is the one every lookup needs.
    run = models.ForeignKey(ScreeningRun, models.PROTECT, related_name="+", verbose_name=_("最近写入批次"),
                            db_index=False, db_constraint=False)
    # Not indexed: only opening leads from one run's new hits filters on it, and that reads the current
    # hits of the focus rules through the rule index anyway.
    first_seen_run = models.ForeignKey(ScreeningRun, models.PROTECT, related_name="+", verbose_name=_("首次发现批次"),
                                       db_index=False, db_constraint=False)
    resolved_run = models.ForeignKey(ScreeningRun, models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("消除批次"), db_index=False, db_constraint=False)

    objects = HitQuerySet.as_manager()

    class Meta:
        verbose_name = _("筛查命中")
        verbose_name_plural = _("筛查命中")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "rule_code", "person_key"], condition=Q(resolved_run__isnull=True),
                name="screening_hit_current",
            )
        ]
        # The constraint's index serves the household page, the per-household re-screen and the diff.
        # The rule index carries the household, so counts of households per rule (summary, what-if) and the
        # households of a rule are read from the index alone.
        indexes = [models.Index(fields=["rule_code", "household"], condition=Q(resolved_run__isnull=True),
                                name="screening_hit_rule_household")]

    def __str__(self) -> str:
        return f"{self.rule_code} {self.household_id}"



class LatestIncome(models.Model):
    """Per-run temporary relation (see prepared.py): each household's latest income record up to the
    parameter year, with the figures the income rules compare. Not a stored table."""

    household_id = models.BigIntegerField(primary_key=True)
    year = models.IntegerField()
    per_capita_income = models.DecimalField(max_digits=14, decimal_places=2)
    net_income = models.DecimalField(max_digits=14, decimal_places=2)
    rigid = models.DecimalField(max_digits=14, decimal_places=2)
    transfer_income = models.DecimalField(max_digits=14, decimal_places=2)
    gross = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        managed = False
        db_table = "screening_latest_income"

    def __str__(self) -> str:
        return f"{self.household_id} {self.year}"


class IncomeChange(models.Model):
    """Per-run temporary relation (see prepared.py): for each household whose latest per-capita income
    is below the one of the record before it, both figures. Only INCOME_DROP reads it, so a what-if on
    the income line does not pay for finding the previous records. Not a stored table."""

    household_id = models.BigIntegerField(primary_key=True)
    year = models.IntegerField()
    per_capita_income = models.DecimalField(max_digits=14, decimal_places=2)
    previous_year = models.IntegerField()
    previous_income = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        managed = False
        db_table = "screening_income_change"

    def __str__(self) -> str:
        return f"{self.household_id} {self.previous_year}->{self.year}"


class MemberSummary(models.Model):
    """Per-run temporary relation (see prepared.py): living members of each household counted by the
    properties the household rules need, with ages taken on the run's day. Not a stored table."""

    household_id = models.BigIntegerField(primary_key=True)
    living = models.IntegerField()
    able = models.IntegerField()
    able_working_age = models.IntegerField()
    disabled = models.IntegerField()
    elderly = models.IntegerField()
    disabled_elderly = models.IntegerField()

    class Meta:
        managed = False
        db_table = "screening_member_summary"

    def __str__(self) -> str:
        return str(self.household_id)


class MemberFlag(models.Model):
    """Per-run temporary relation (see prepared.py): the living members some person rule may flag (no
    medical insurance, or out of school at a compulsory-schooling age), found in one pass over the
    persons. The person rules filter it with their full conditions. Not a stored table."""

    person_id = models.BigIntegerField(primary_key=True)
    household_id = models.BigIntegerField()
    birth_date = models.DateField()
    schooling = models.CharField(max_length=16)
    medical_insurance = models.BooleanField()

    class Meta:
        managed = False
        db_table = "screening_member_flag"

    def __str__(self) -> str:
        return str(self.person_id)
