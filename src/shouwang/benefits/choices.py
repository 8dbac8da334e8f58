"""Code lists of benefits and coverage. Stored values are short stable codes; labels are the Chinese terms."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BenefitKind(models.TextChoices):
    LIVING_SUBSIDY = "living_subsidy", _("困难残疾人生活补贴")
    CARE_SUBSIDY = "care_subsidy", _("重度残疾人护理补贴")
    DIBAO = "dibao", _("低保")
    TEKUN = "tekun", _("特困供养")
    ORPHAN_SUPPORT = "orphan_support", _("孤儿基本生活保障")
    WORK_INJURY_CARE = "work_injury_care", _("工伤保险生活护理费")
    ELDERLY_LONGEVITY = "elderly_longevity", _("老年人高龄津贴")
    ELDERLY_CARE = "elderly_care", _("老年人护理补贴")
    RETIREE_CARE = "retiree_care", _("离退休人员护理费")
    MEDICAL_CONTRIBUTION = "medical_contribution", _("医保个人缴费资助")
    PENSION_CONTRIBUTION = "pension_contribution", _("养老保险缴费资助")
    EDUCATION_AID = "education_aid", _("教育资助")
    PUBLIC_WELFARE_POST = "public_post", _("公益性岗位")
    MICROCREDIT = "microcredit", _("小额信贷")
    REHAB_SERVICE = "rehab_service", _("基本康复服务")
    CHILD_REHAB = "child_rehab", _("残疾儿童康复救助")
    ASSISTIVE_DEVICE = "assistive_device", _("辅助器具适配")
    FAMILY_DOCTOR = "family_doctor", _("家庭医生签约")
    ACCESSIBILITY = "accessibility", _("无障碍改造")
    CARE_SERVICE = "care_service", _("托养服务")
    VOCATIONAL_TRAINING = "vocational_training", _("职业技能培训")
    PRACTICAL_TRAINING = "practical_training", _("实用技术培训")
    GRADUATE_EMPLOYMENT = "graduate_employment", _("高校毕业生就业")


# Kinds that may be recorded for a whole household (person left empty); every other kind needs a person.
HOUSEHOLD_KINDS = frozenset({BenefitKind.DIBAO, BenefitKind.TEKUN, BenefitKind.MICROCREDIT})

# Paid once (a training course, a home modification, a first job), not month by month.
ONE_OFF_KINDS = frozenset({
    BenefitKind.VOCATIONAL_TRAINING, BenefitKind.PRACTICAL_TRAINING, BenefitKind.ACCESSIBILITY,
    BenefitKind.ASSISTIVE_DEVICE, BenefitKind.GRADUATE_EMPLOYMENT, BenefitKind.MICROCREDIT,
})


class BenefitSource(models.TextChoices):
    HAND = "hand", _("手工录入")
    IMPORT = "import", _("表格导入")
    BATCH = "batch", _("批量生成")


class FindingKind(models.TextChoices):
    MISSED = "missed", _("应享未享")
    LEAK = "leak", _("不应享而享")
