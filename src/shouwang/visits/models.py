from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouwang.areas.models import Area, AreaLevel
from shouwang.registry.models import Household
from shouwang.visits.choices import (
    OPEN_REFERRAL_STATUSES,
    CheckItem,
    IncomeChange,
    NotificationKind,
    ReferralStatus,
    VisitForm,
    VisitStatus,
)

PHOTO_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "heic"]


def household_area_filter(prefix: str, area: Area) -> Q:
    """Records that belong to a household, scoped by the household's denormalised area codes."""
    column = {AreaLevel.COUNTY: "county", AreaLevel.TOWNSHIP: "township"}.get(AreaLevel(area.level), "village")
    return Q(**{f"{prefix}household__{column}_id": area.code})


class VisitParameters(models.Model):
    """The shorter visit period for households at higher risk, per county and effective year.

    The ordinary period is screening's `visit_period_months` (one place for the county's parameters).
    """

    county = models.ForeignKey(Area, models.PROTECT, related_name="+", verbose_name=_("县"))
    year = models.PositiveSmallIntegerField(_("适用年度"))
    intensive_period_months = models.PositiveSmallIntegerField(
        _("重点户访视周期（月）"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("有未清零问题、筛查命中较多或走访发现风险的户"),
    )
    intensive_hit_count = models.PositiveSmallIntegerField(
        _("重点户筛查命中规则数"), default=3, validators=[MinValueValidator(1)],
        help_text=_("当前命中的筛查规则达到该数目的户按重点户周期访视"),
    )

    class Meta:
        verbose_name = _("访视参数")
        verbose_name_plural = _("访视参数")
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="visit_parameters_one_per_year")]

    def __str__(self) -> str:
        return f"{self.county_id} {self.year}"


class HouseholdCadence(models.Model):
    """A household set to a shorter (or longer) visit period than its county's, with the reason."""

    household = models.OneToOneField(Household, models.CASCADE, related_name="visit_cadence", verbose_name=_("户"))
    period_months = models.PositiveSmallIntegerField(_("访视周期（月）"))
    reason = models.CharField(_("原因"), max_length=200)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("户访视周期")
        verbose_name_plural = _("户访视周期")

    def __str__(self) -> str:
        return f"{self.household_id} {self.period_months}"


class VisitQuerySet(models.QuerySet["Visit"]):
    def in_area(self, area: Area) -> VisitQuerySet:
        return self.filter(household_area_filter("", area))

    def planned(self) -> VisitQuerySet:
        return self.filter(status=VisitStatus.PLANNED)

    def overdue(self, today: datetime.date) -> VisitQuerySet:
        return self.filter(status=VisitStatus.PLANNED, due_on__lt=today)

    def due_by(self, day: datetime.date) -> VisitQuerySet:
        """Planned visits whose window has opened by `day` (overdue ones included)."""
        return self.filter(status=VisitStatus.PLANNED, period_start__lte=day)

    def done_between(self, start: datetime.date, end: datetime.date) -> VisitQuerySet:
        return self.filter(status=VisitStatus.DONE, visited_on__gte=start, visited_on__lte=end)


class Visit(models.Model):
    """跟踪访视: a visit planned for a period (period_start .. due_on) and, once done, what was found."""

    household = models.ForeignKey(Household, models.PROTECT, related_name="visits", verbose_name=_("户"))
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                related_name="visits", verbose_name=_("访视人"))
    status = models.CharField(_("状态"), max_length=16, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    period_start = models.DateField(_("访视期起"))
    due_on = models.DateField(_("应访日期（截止）"), db_index=True)
    visited_on = models.DateField(_("访视日期"), null=True, blank=True, db_index=True)
    form = models.CharField(_("访视形式"), max_length=8, choices=VisitForm.choices, blank=True)
    income_change = models.CharField(_("收入变化"), max_length=8, choices=IncomeChange.choices, blank=True)
    income_amount = models.DecimalField(_("变化金额（元/年）"), max_digits=12, decimal_places=2, null=True,
                                        blank=True)
    income_note = models.CharField(_("收入变化说明"), max_length=500, blank=True)
    events = models.JSONField(_("突发变故"), default=list, blank=True)
    needs = models.JSONField(_("需求"), default=list, blank=True)
    risk_found = models.BooleanField(_("发现返贫致贫风险"), default=False)
    risk_note = models.CharField(_("风险情况"), max_length=1000, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)
    # Set by the overdue sweep when it has told the visitor; the conditional UPDATE claims it once.
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("访视")
        verbose_name_plural = _("访视")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=Q(status="planned"),
                                    name="visit_one_planned_per_household"),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["visitor", "status"]),
            models.Index(fields=["household", "visited_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.household.number} {self.due_on}"

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status == VisitStatus.PLANNED and self.due_on < today

    @property
    def event_labels(self) -> list[str]:
        from shouwang.registry.choices import EventKind

        labels = dict(EventKind.choices)
        return [str(labels.get(e.get("kind"), e.get("kind"))) for e in self.events]

    @property
    def need_labels(self) -> list[str]:
        from shouwang.visits.choices import Need

        labels = dict(Need.choices)
        return [str(labels.get(code, code)) for code in self.needs]


class VisitCheck(models.Model):
    """One line of the checklist: secured or not, with a note."""

    visit = models.ForeignKey(Visit, models.CASCADE, related_name="checks", verbose_name=_("访视"))
    item = models.CharField(_("项目"), max_length=16, choices=CheckItem.choices)
    secured = models.BooleanField(_("有保障"))
    note = models.CharField(_("情况说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("访视核查项")
        verbose_name_plural = _("访视核查项")
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="visit_check_one_per_item")]

    def __str__(self) -> str:
        return f"{self.get_item_display()} {'✓' if self.secured else '✗'}"


def photo_path(instance: VisitPhoto, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "jpg"
    household = instance.visit.household
    return f"visits/{household.county_id}/{household.pk}/{instance.visit_id}-{instance.uid}.{suffix}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, models.CASCADE, related_name="photos", verbose_name=_("访视"))
    uid = models.CharField(max_length=16)
    file = models.FileField(_("照片"), upload_to=photo_path, max_length=200,
                            validators=[FileExtensionValidator(PHOTO_EXTENSIONS)])
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("访视照片")
        verbose_name_plural = _("访视照片")

    def __str__(self) -> str:
        return self.file.name


class ReferralTarget(models.Model):
    """A place a referral can go: the village committee, the Federation, or a department.

    `code` equals accounts.Department for departments, so a liaison's `department` selects their referrals.
    `checklist_items` lists the checklist items whose failure this target also hears about.
    """

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    default_deadline_days = models.PositiveSmallIntegerField(_("默认办理时限（天）"), default=7)
    has_account = models.BooleanField(_("有系统账号"), default=True,
                                      help_text=_("无账号的单位由工作人员打印转介函并登记答复"))
    checklist_items = models.JSONField(_("对应核查项"), default=list, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("转介单位")
        verbose_name_plural = _("转介单位")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class ReferralQuerySet(models.QuerySet["Referral"]):
    def in_area(self, area: Area) -> ReferralQuerySet:
        return self.filter(household_area_filter("", area))

    def open(self) -> ReferralQuerySet:
        return self.filter(status__in=OPEN_REFERRAL_STATUSES)

    def overdue(self, today: datetime.date) -> ReferralQuerySet:
        return self.open().filter(deadline__lt=today)

    def escalated(self) -> ReferralQuerySet:
        return self.filter(escalated_at__isnull=False).exclude(status=ReferralStatus.CLOSED)


class Referral(models.Model):
    """反映/转介: facts about a household sent to a department, tracked until closed with its answer."""

    household = models.ForeignKey(Household, models.PROTECT, related_name="referrals", verbose_name=_("户"))
    target = models.ForeignKey(ReferralTarget, models.PROTECT, related_name="referrals", verbose_name=_("转介单位"))
    visit = models.ForeignKey(Visit, models.SET_NULL, null=True, blank=True, related_name="referrals")
    subject = models.CharField(_("事由"), max_length=200)
    facts = models.TextField(_("基本情况"))
    deadline = models.DateField(_("办理时限"), db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    answer = models.TextField(_("办理结果"), blank=True)
    sent_on = models.DateField(_("转介日期"))
    received_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    handled_at = models.DateTimeField(_("办理时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    # Set once by the sweep when the deadline passed unanswered: the referral is on the county's list.
    escalated_at = models.DateTimeField(_("逾期上报时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("转介")
        verbose_name_plural = _("转介")
        ordering = ["-sent_on", "-pk"]
        indexes = [models.Index(fields=["target", "status"]), models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.target.name} {self.subject}"

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status in OPEN_REFERRAL_STATUSES and self.deadline < today


class Notification(models.Model):
    """Something a user must act on: a new referral, an overdue visit, an overdue referral."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications")
    kind = models.CharField(_("类型"), max_length=32, choices=NotificationKind.choices)
    text = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=200, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text
