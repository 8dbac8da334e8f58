"""Hit evidence as json on PostgreSQL (text as written by the rules), not jsonb; SQLite is unchanged.

The state changes to EvidenceField; only PostgreSQL's column changes type, so SQLite does not rebuild
the hit table for a field whose column stays the same. jsonb's text becomes the json text, which is what
the rules now write for the same values (rules.Evidence), so no stored hit reads as changed."""

from django.db import migrations

import shouwang.screening.models

HIT = "screening_hit"


def _alter(to: str):  # type: ignore[no-untyped-def]
    def alter(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE {HIT} ALTER COLUMN evidence TYPE {to} USING evidence::{to}")
    return alter


class Migration(migrations.Migration):

    dependencies = [
        ("screening", "0007_hit_indexes_only_for_current_hits"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="hit",
                    name="evidence",
                    field=shouwang.screening.models.EvidenceField(default=dict, verbose_name="依据"),
                ),
            ],
            database_operations=[migrations.RunPython(_alter("json"), _alter("jsonb"))],
        ),
    ]
