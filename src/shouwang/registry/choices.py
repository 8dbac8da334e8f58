"""Code lists of the registry. Stored values are short stable codes; labels are the Chinese terms."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PovertyStatus(models.TextChoices):
    GENERAL = "general", _("一般户")
    LIFTED = "lifted", _("脱贫户")


class AssistanceStatus(models.TextChoices):
    NONE = "none", _("无")
    DIBAO = "dibao", _("低保")
    TEKUN = "tekun", _("特困供养")


class CheckState(models.TextChoices):
    UNCHECKED = "unchecked", _("未核查")
    SAFE = "safe", _("安全")
    UNSAFE = "unsafe", _("不安全")


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    SON = "son", _("之子")
    DAUGHTER = "daughter", _("之女")
    PARENT = "parent", _("之父母")
    GRANDPARENT = "grandparent", _("之祖父母")
    GRANDCHILD = "grandchild", _("之孙子女")
    SIBLING = "sibling", _("之兄弟姐妹")
    CHILD_IN_LAW = "child_in_law", _("之儿媳/女婿")
    OTHER = "other", _("其他")


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class LivingStatus(models.TextChoices):
    ALIVE = "alive", _("在世")
    DECEASED = "deceased", _("死亡")
    MOVED_OUT = "moved_out", _("户籍迁出")


class LabourCapacity(models.TextChoices):
    NORMAL = "normal", _("普通劳动力")
    WEAK = "weak", _("弱劳动力或半劳动力")
    LOST = "lost", _("丧失劳动力")
    NONE = "none", _("无劳动力")


ABLE_TO_WORK = (LabourCapacity.NORMAL, LabourCapacity.WEAK)


class Schooling(models.TextChoices):
    PRESCHOOL = "preschool", _("学前")
    COMPULSORY = "compulsory", _("义务教育在校")
    HIGH_SCHOOL = "high_school", _("高中/中职在校")
    COLLEGE = "college", _("大学在校")
    GRADUATE = "graduate", _("应届毕业")
    DROPOUT = "dropout", _("失学辍学")
    NOT_IN_SCHOOL = "not_in_school", _("不在学")


class Employment(models.TextChoices):
    NONE = "none", _("无")
    LOCAL_FARMING = "farming", _("务农")
    MIGRANT_WORK = "migrant", _("外出务工")
    LOCAL_WORK = "local", _("就地就近就业")
    FLEXIBLE = "flexible", _("灵活就业")
    PUBLIC_WELFARE_POST = "public_post", _("公益性岗位")
    SELF_EMPLOYED = "self_employed", _("自主创业")


class DisabilityCategory(models.IntegerChoices):
    VISUAL = 1, _("视力")
    HEARING = 2, _("听力")
    SPEECH = 3, _("言语")
    PHYSICAL = 4, _("肢体")
    INTELLECTUAL = 5, _("智力")
    PSYCHIATRIC = 6, _("精神")
    MULTIPLE = 7, _("多重")


class DisabilityGrade(models.IntegerChoices):
    ONE = 1, _("一级")
    TWO = 2, _("二级")
    THREE = 3, _("三级")
    FOUR = 4, _("四级")


SEVERE_GRADES = (DisabilityGrade.ONE, DisabilityGrade.TWO)


def disability_kind_mask(category: int | None = None, grade: int | None = None) -> int:
    """The bits of `Household.disability_kinds` that a category and/or grade filter matches.

    Each (category, grade) pair owns one bit, (category - 1) * 4 + (grade - 1): 7 categories x 4 grades = 28
    bits. A household matches when its kinds share a bit with the mask."""
    categories = [category] if category else list(DisabilityCategory.values)
    grades = [grade] if grade else list(DisabilityGrade.values)
    return sum(1 << ((c - 1) * 4 + g - 1) for c in categories for g in grades)


# The same bit in SQL, for a disability row aliased `d` (used by the set-based refreshes).
DISABILITY_KIND_BIT_SQL = "(1 << ((d.category - 1) * 4 + d.grade - 1))"


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("过期")
    CANCELLED = "cancelled", _("注销")


class HelperKind(models.TextChoices):
    WORK_TEAM = "work_team", _("驻村工作队员")
    FIRST_SECRETARY = "first_secretary", _("驻村第一书记")
    PAIRED_HELPER = "paired", _("结对帮扶人")
    SPECIALIST = "specialist", _("村残协专职委员")


class EventKind(models.TextChoices):
    ILLNESS = "illness", _("因病")
    DISASTER = "disaster", _("因灾")
    ACCIDENT = "accident", _("因意外")
