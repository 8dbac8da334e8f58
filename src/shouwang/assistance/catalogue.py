"""The measure kinds of DOMAIN.md, as the data migration seeds them, and the codes the suggestion rules use.

The catalogue itself lives in the database (MeasureKind) and county administrators edit it; the rules
refer to kinds by these stable codes only.
"""

from __future__ import annotations

DEVELOPMENT, SAFETY_NET, MOTIVATION = "development", "safety_net", "motivation"

SEED_KINDS: list[tuple[str, str, str]] = [
    ("industry", "产业", DEVELOPMENT),
    ("employment", "就业", DEVELOPMENT),
    ("public_post", "公益岗位", DEVELOPMENT),
    ("vocational_training", "职业技能培训", DEVELOPMENT),
    ("practical_training", "实用技术培训", DEVELOPMENT),
    ("microcredit", "小额信贷", DEVELOPMENT),
    ("interest_subsidy", "贴息", DEVELOPMENT),
    ("consumption", "消费帮扶", DEVELOPMENT),
    ("health", "健康", SAFETY_NET),
    ("rehabilitation", "康复服务", SAFETY_NET),
    ("assistive_device", "辅助器具适配", SAFETY_NET),
    ("family_doctor", "家庭医生签约", SAFETY_NET),
    ("child_rehab", "残疾儿童康复救助", SAFETY_NET),
    ("education_aid", "教育资助", SAFETY_NET),
    ("accessibility", "无障碍改造", SAFETY_NET),
    ("care_sunshine", "托养照护（阳光家园）", SAFETY_NET),
    ("care_centre", "托养照护（集中托养）", SAFETY_NET),
    ("care_home", "托养照护（居家服务）", SAFETY_NET),
    ("care_neighbour", "托养照护（邻里照护）", SAFETY_NET),
    ("dibao", "低保", SAFETY_NET),
    ("tekun", "特困供养", SAFETY_NET),
    ("temporary_relief", "临时救助", SAFETY_NET),
    ("two_subsidies", "两项补贴", SAFETY_NET),
    ("medical_premium", "医保缴费资助", SAFETY_NET),
    ("pension_premium", "养老保险缴费资助", SAFETY_NET),
    ("housing", "住房安全保障", SAFETY_NET),
    ("water", "饮水安全保障", SAFETY_NET),
    ("motivation", "扶志扶智", MOTIVATION),
    ("social", "社会帮扶", DEVELOPMENT),
    ("other", "其他", SAFETY_NET),
]

# The measure kind that answers each problem kind (两不愁三保障 and water).
PROBLEM_MEASURE = {
    "food": "temporary_relief",
    "clothing": "temporary_relief",
    "education": "education_aid",
    "medical": "medical_premium",
    "housing": "housing",
    "water": "water",
    "other": "other",
}
