"""Code lists of monitoring. Stored values are short stable codes; labels are the Chinese terms."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadSource(models.TextChoices):
    SCREENING = "screening", _("部门筛查预警/平台监测")
    VISIT = "visit", _("基层干部排查")
    SELF_REPORT = "self_report", _("农户自主申报")


class LeadStatus(models.TextChoices):
    OPEN = "open", _("待核实")
    IDENTIFYING = "identifying", _("识别中")
    CONFIRMED = "confirmed", _("已纳入")
    REJECTED = "rejected", _("未纳入")
    CLOSED = "closed", _("已关闭")


ACTIVE_LEAD_STATUSES = (LeadStatus.OPEN, LeadStatus.IDENTIFYING)


class HouseholdType(models.TextChoices):
    UNSTABLE = "unstable", _("脱贫不稳定户")
    EDGE = "edge", _("边缘易致贫户")
    SUDDEN = "sudden", _("突发严重困难户")


class RiskType(models.TextChoices):
    ILLNESS = "illness", _("因病")
    DISABILITY = "disability", _("因残")
    SCHOOLING = "schooling", _("因学")
    DISASTER = "disaster", _("因自然灾害")
    ACCIDENT = "accident", _("因意外事故")
    INDUSTRY = "industry", _("因产业项目失败")
    EMPLOYMENT = "employment", _("因务工就业不稳")
    LABOUR = "labour", _("缺劳动力")
    HOUSING = "housing", _("住房安全")
    WATER = "water", _("饮水安全")
    OTHER = "other", _("其他")


MAX_RISK_TYPES = 5


class Stage(models.TextChoices):
    """Where a monitoring case stands. Identification runs top to bottom, then exit runs the same chain."""

    VILLAGE_REVIEW = "village_review", _("待民主评议")
    NOTICE = "notice", _("待村内公示")
    NOTICING = "noticing", _("公示中")
    COUNTY_CONFIRMATION = "county_confirmation", _("待县级审定")
    MONITORED = "monitored", _("监测中")
    EXIT_TOWNSHIP = "exit_township", _("风险消除待乡镇审核")
    EXIT_COUNTY = "exit_county", _("风险消除待县级审定")
    EXITED = "exited", _("已风险消除")
    REJECTED = "rejected", _("未纳入")


# The township reviews a case once its notice period is over; until then it stays "noticing".
IDENTIFYING_STAGES = (Stage.VILLAGE_REVIEW, Stage.NOTICE, Stage.NOTICING, Stage.COUNTY_CONFIRMATION)
# A household is "currently monitored" from county confirmation until the county confirms its exit.
MONITORED_STAGES = (Stage.MONITORED, Stage.EXIT_TOWNSHIP, Stage.EXIT_COUNTY)


class Step(models.TextChoices):
    """One entry of a case's step log (each also in the audit log)."""

    LEAD = "lead", _("线索登记")
    VERIFY = "verify", _("入户核实")
    VILLAGE_REVIEW = "village_review", _("民主评议")
    NOTICE = "notice", _("村内公示")
    TOWNSHIP_REVIEW = "township_review", _("乡镇审核")
    CONFIRM = "confirm", _("县级审定")
    REJECT = "reject", _("不予纳入")
    EXIT_VILLAGE = "exit_village", _("风险消除村级评议")
    EXIT_TOWNSHIP = "exit_township", _("风险消除乡镇审核")
    EXIT_COUNTY = "exit_county", _("风险消除县级审定")
    EXIT_REJECT = "exit_reject", _("风险消除退回")
    CLOSE = "close", _("线索关闭")


class ReviewResult(models.TextChoices):
    AGREED = "agreed", _("同意")
    DISAGREED = "disagreed", _("不同意")
