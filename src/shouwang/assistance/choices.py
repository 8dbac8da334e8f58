"""Code lists of the assistance ledger. Stored values are short stable codes; labels are the Chinese terms."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureCategory(models.TextChoices):
    """The plan's three layers of help (开发式帮扶 / 兜底保障 / 扶志扶智)."""

    DEVELOPMENT = "development", _("开发式帮扶")
    SAFETY_NET = "safety_net", _("兜底保障")
    MOTIVATION = "motivation", _("扶志扶智")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("计划")
    IN_PROGRESS = "in_progress", _("实施中")
    DONE = "done", _("已完成")
    NOT_EFFECTIVE = "not_effective", _("未见成效")


# Status transitions an officer may make; anything else is refused with a Chinese error.
MEASURE_TRANSITIONS: dict[str, frozenset[str]] = {
    MeasureStatus.PLANNED: frozenset({MeasureStatus.IN_PROGRESS, MeasureStatus.DONE}),
    MeasureStatus.IN_PROGRESS: frozenset({MeasureStatus.DONE, MeasureStatus.NOT_EFFECTIVE}),
    MeasureStatus.NOT_EFFECTIVE: frozenset({MeasureStatus.IN_PROGRESS}),
    MeasureStatus.DONE: frozenset(),
}
OPEN_MEASURE_STATUSES = (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS)


class ProblemKind(models.TextChoices):
    """两不愁三保障 and drinking water, plus anything else found on a visit."""

    FOOD = "food", _("吃")
    CLOTHING = "clothing", _("穿")
    EDUCATION = "education", _("义务教育")
    MEDICAL = "medical", _("基本医疗")
    HOUSING = "housing", _("住房安全")
    WATER = "water", _("饮水安全")
    OTHER = "other", _("其他")


class ProblemSource(models.TextChoices):
    VISIT = "visit", _("走访发现")
    SCREENING = "screening", _("筛查预警")
    MANUAL = "manual", _("手工录入")


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("未清零")
    CLEARED = "cleared", _("已清零")


class SuggestionDecision(models.TextChoices):
    ACCEPTED = "accepted", _("已采纳")
    DISMISSED = "dismissed", _("已驳回")
