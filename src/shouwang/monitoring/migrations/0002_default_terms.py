"""The national terms as data: 监测对象 in the transition period, 防止返贫致贫对象 from 2026."""

import datetime

from django.db import migrations

TERMS = [
    ("monitored_object", "监测对象", datetime.date(2020, 1, 1)),
    ("monitored_object", "防止返贫致贫对象", datetime.date(2026, 1, 1)),
]


def add_terms(apps, schema_editor):  # type: ignore[no-untyped-def]
    Term = apps.get_model("monitoring", "Term")
    for key, label, effective_from in TERMS:
        Term.objects.get_or_create(
            key=key, county_code="", effective_from=effective_from, defaults={"label": label}
        )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunPython(add_terms, migrations.RunPython.noop)]
