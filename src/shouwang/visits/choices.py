"""Code lists of visits and referrals. Stored values are short stable codes; labels are the Chinese terms."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("待访视")
    DONE = "done", _("已访视")
    CANCELLED = "cancelled", _("已取消")


class VisitForm(models.TextChoices):
    HOME = "home", _("入户")
    PHONE = "phone", _("电话")


class CheckItem(models.TextChoices):
    """两不愁三保障 and drinking water. The codes are the ledger's problem kinds."""

    FOOD = "food", _("吃")
    CLOTHING = "clothing", _("穿")
    EDUCATION = "education", _("义务教育")
    MEDICAL = "medical", _("基本医疗")
    HOUSING = "housing", _("住房安全")
    WATER = "water", _("饮水安全")


class IncomeChange(models.TextChoices):
    NONE = "none", _("无明显变化")
    UP = "up", _("增加")
    DOWN = "down", _("减少")


class Need(models.TextChoices):
    REHABILITATION = "rehabilitation", _("康复")
    ASSISTIVE_DEVICE = "assistive_device", _("辅助器具")
    ACCESSIBILITY = "accessibility", _("无障碍改造")
    CARE = "care", _("托养照护")
    TRAINING = "training", _("技能培训")
    EMPLOYMENT = "employment", _("就业")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("已转介")
    RECEIVED = "received", _("已接收")
    HANDLED = "handled", _("已办理")
    CLOSED = "closed", _("已办结")


OPEN_REFERRAL_STATUSES = (ReferralStatus.SENT, ReferralStatus.RECEIVED)

# Who may move a referral from one state to the next. Handling may skip receiving (a phone answer).
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.SENT: frozenset({ReferralStatus.RECEIVED, ReferralStatus.HANDLED}),
    ReferralStatus.RECEIVED: frozenset({ReferralStatus.HANDLED}),
    ReferralStatus.HANDLED: frozenset({ReferralStatus.CLOSED}),
    ReferralStatus.CLOSED: frozenset(),
}

# Targets that are not a government department of accounts.Department.
VILLAGE_COMMITTEE = "village"
FEDERATION = "federation"
# Who hears at once (第一时间) of a risk found on a visit.
FIRST_RESPONDERS = (VILLAGE_COMMITTEE, FEDERATION, "rural")


class NotificationKind(models.TextChoices):
    REFERRAL_NEW = "referral_new", _("新转介")
    REFERRAL_OVERDUE = "referral_overdue", _("转介逾期")
    VISIT_OVERDUE = "visit_overdue", _("访视逾期")
    VISIT_ASSIGNED = "visit_assigned", _("访视任务")
