"""The default list of referral targets; a county administrator edits it (deadline days, account, items)."""

from django.db import migrations

TARGETS = [
    # code, name, deadline days, has account, checklist items it also hears about
    ("village", "村两委", 3, False, []),
    ("federation", "县残联", 3, True, []),
    ("rural", "农业农村委（乡村振兴）", 5, True, []),
    ("civil", "民政局", 7, True, ["food", "clothing"]),
    ("hr", "人力社保局", 10, True, []),
    ("health", "卫生健康委", 7, True, []),
    ("education", "教委", 7, True, ["education"]),
    ("medical_insurance", "医疗保障局", 7, True, ["medical"]),
    ("housing", "住房城乡建委", 10, True, ["housing"]),
    ("water", "水利局", 10, True, ["water"]),
]


def add_targets(apps, schema_editor):
    ReferralTarget = apps.get_model("visits", "ReferralTarget")
    for order, (code, name, days, account, items) in enumerate(TARGETS):
        ReferralTarget.objects.get_or_create(code=code, defaults={
            "name": name, "default_deadline_days": days, "has_account": account, "checklist_items": items,
            "sort_order": order,
        })


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]
    operations = [migrations.RunPython(add_targets, migrations.RunPython.noop)]
