"""Seed the measure catalogue with every kind in DOMAIN.md (frozen here: later edits are the administrators')."""

from django.db import migrations

KINDS = [
    ("industry", "产业", "development"),
    ("employment", "就业", "development"),
    ("public_post", "公益岗位", "development"),
    ("vocational_training", "职业技能培训", "development"),
    ("practical_training", "实用技术培训", "development"),
    ("microcredit", "小额信贷", "development"),
    ("interest_subsidy", "贴息", "development"),
    ("consumption", "消费帮扶", "development"),
    ("health", "健康", "safety_net"),
    ("rehabilitation", "康复服务", "safety_net"),
    ("assistive_device", "辅助器具适配", "safety_net"),
    ("family_doctor", "家庭医生签约", "safety_net"),
    ("child_rehab", "残疾儿童康复救助", "safety_net"),
    ("education_aid", "教育资助", "safety_net"),
    ("accessibility", "无障碍改造", "safety_net"),
    ("care_sunshine", "托养照护（阳光家园）", "safety_net"),
    ("care_centre", "托养照护（集中托养）", "safety_net"),
    ("care_home", "托养照护（居家服务）", "safety_net"),
    ("care_neighbour", "托养照护（邻里照护）", "safety_net"),
    ("dibao", "低保", "safety_net"),
    ("tekun", "特困供养", "safety_net"),
    ("temporary_relief", "临时救助", "safety_net"),
    ("two_subsidies", "两项补贴", "safety_net"),
    ("medical_premium", "医保缴费资助", "safety_net"),
    ("pension_premium", "养老保险缴费资助", "safety_net"),
    ("housing", "住房安全保障", "safety_net"),
    ("water", "饮水安全保障", "safety_net"),
    ("motivation", "扶志扶智", "motivation"),
    ("social", "社会帮扶", "development"),
    ("other", "其他", "safety_net"),
]


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    MeasureKind = apps.get_model("assistance", "MeasureKind")
    for order, (code, name, category) in enumerate(KINDS, start=1):
        MeasureKind.objects.update_or_create(
            code=code, defaults={"name": name, "category": category, "sort_order": order * 10}
        )


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("assistance", "MeasureKind").objects.filter(code__in=[k[0] for k in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("assistance", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
