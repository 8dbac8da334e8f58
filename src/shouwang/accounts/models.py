from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from shouwang.areas.models import AreaLevel


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", _("县残联管理员")
    COUNTY_STAFF = "county_staff", _("县残联工作人员")
    TOWNSHIP_OFFICER = "township_officer", _("乡镇（街道）残联专干")
    VILLAGE_SPECIALIST = "village_specialist", _("村（社区）残协专职委员")
    LIAISON = "liaison", _("部门联络员")
    LEADER = "leader", _("领导")


class Department(models.TextChoices):
    RURAL_REVITALISATION = "rural", _("农业农村/乡村振兴")
    CIVIL_AFFAIRS = "civil", _("民政")
    HUMAN_RESOURCES = "hr", _("人社")
    HEALTH = "health", _("卫健")
    EDUCATION = "education", _("教委")
    MEDICAL_INSURANCE = "medical_insurance", _("医保")
    HOUSING = "housing", _("住建")
    WATER = "water", _("水利")


# The area level each role is bound to: a township officer's area must be a township, and so on.
ROLE_AREA_LEVEL = {
    Role.COUNTY_ADMIN: AreaLevel.COUNTY,
    Role.COUNTY_STAFF: AreaLevel.COUNTY,
    Role.TOWNSHIP_OFFICER: AreaLevel.TOWNSHIP,
    Role.VILLAGE_SPECIALIST: AreaLevel.VILLAGE,
    Role.LIAISON: AreaLevel.COUNTY,
    Role.LEADER: AreaLevel.COUNTY,
}


class User(AbstractUser):
    """A person at the keyboard, bound to one role and one area; every query is scoped by that area."""

    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    area = models.ForeignKey(
        "areas.Area", models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("所属区划")
    )
    department = models.CharField(_("部门"), max_length=32, choices=Department.choices, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_county_level(self) -> bool:
        return self.role in (Role.COUNTY_ADMIN, Role.COUNTY_STAFF)

    @property
    def sees_persons(self) -> bool:
        """Leaders see aggregates only; liaisons see only the referrals sent to their department."""
        return self.role in (Role.COUNTY_ADMIN, Role.COUNTY_STAFF, Role.TOWNSHIP_OFFICER, Role.VILLAGE_SPECIALIST)
