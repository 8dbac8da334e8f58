"""The kept coverage facts depend on the parameters only through the training period: the state keeps that
period instead of the parameter row, so editing the other parameters no longer rebuilds the facts. Existing
states are dropped (the next run of each county rebuilds its facts)."""

import datetime

from django.db import migrations, models


def drop_states(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("benefits", "CoverageFactState").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("benefits", "0008_fact_state_layout"),
    ]

    operations = [
        migrations.RunPython(drop_states, migrations.RunPython.noop),
        migrations.RemoveField(model_name="coveragefactstate", name="parameters"),
        migrations.RemoveField(model_name="coveragefactstate", name="parameters_saved"),
        migrations.AddField(
            model_name="coveragefactstate", name="training_period_start",
            field=models.DateField(default=datetime.date(2021, 1, 1)), preserve_default=False,
        ),
        migrations.AddField(
            model_name="coveragefactstate", name="training_period_end",
            field=models.DateField(default=datetime.date(2025, 12, 31)), preserve_default=False,
        ),
    ]
