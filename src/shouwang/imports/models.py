from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("已上传")
    CHECKING = "checking", _("检查中")
    CHECKED = "checked", _("待确认")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def visible_to(self, user) -> ImportJobQuerySet:  # type: ignore[no-untyped-def]
        """Jobs uploaded within the user's area: a township officer sees their township's, county staff all."""
        from shouwang.areas.models import Area

        # Area.within() leaves out a township itself (its township_code is blank), so name it explicitly.
        return self.filter(models.Q(area=user.area) | models.Q(area__in=Area.objects.within(user.area)))


class ImportJob(models.Model):
    """One uploaded file and what became of it: the dry run, then (once confirmed) the import itself.

    `processed`/`total` are updated per batch outside the write transactions, so the progress page can
    poll them while the job runs."""

    kind = models.CharField(_("类型"), max_length=32, default="registry")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("导入人"))
    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("导入范围"))
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/", blank=True)
    file_name = models.CharField(_("文件名"), max_length=200)
    status = models.CharField(_("状态"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    dry_run = models.BooleanField(_("仅检查"), default=False)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    read = models.PositiveIntegerField(_("读取"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("无变化"), default=0)
    rejected = models.PositiveIntegerField(_("拒绝"), default=0)
    summary = models.JSONField(_("结果"), default=dict, blank=True)  # counts per sheet, first errors, diff
    report = models.FileField(_("错误报告"), upload_to="imports/reports/%Y/%m/", blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 and self.is_finished else int(100 * self.processed / max(self.total, 1))

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.CHECKED, ImportStatus.DONE, ImportStatus.FAILED)
