"""Seed default parameters 2021-2026 (marked unconfirmed) for every county already loaded.

Counties loaded later get theirs from `parameters_ensure`, which `shouwang screen` and `shouwang demo` call.
Values are frozen here on purpose: later changes to the defaults must not rewrite history.
"""

import datetime
from decimal import Decimal

from django.db import migrations

LINES = {2021: 6000, 2022: 6500, 2023: 6900, 2024: 7100, 2025: 7300, 2026: 7500}
COMMON = {
    "near_line_band": Decimal("0.5"), "income_drop_ratio": Decimal("0.3"), "rigid_spending_ratio": Decimal("0.5"),
    "transfer_share": Decimal("0.5"), "elderly_age": 60, "working_age_min": 16, "working_age_max": 59,
    "school_age_min": 6, "school_age_max": 15, "event_window_days": 180, "visit_period_months": 3,
}


def seed(apps, schema_editor):
    Area = apps.get_model("areas", "Area")
    Parameters = apps.get_model("screening", "ScreeningParameters")
    for county in Area.objects.filter(level=1):
        have = set(Parameters.objects.filter(county=county).values_list("year", flat=True))
        Parameters.objects.bulk_create([
            Parameters(county=county, year=year, effective_from=datetime.date(year, 1, 1), income_line=Decimal(line),
                       confirmed=False, note="系统预置默认值，待确认", **COMMON)
            for year, line in LINES.items() if year not in have
        ])


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial"), ("areas", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
