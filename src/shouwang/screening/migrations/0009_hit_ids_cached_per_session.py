"""Hit ids on PostgreSQL: each session takes them from its sequence a thousand at a time.

With the default cache of one, every hit a run inserts locked and updated the sequence's page (and
wrote WAL every 32 ids): 0.2 s of a first run's 577k hits at 1M persons. A session that ends leaves the
rest of its block unused; ids are only keys (bigint), never counted on to be dense or ordered between
sessions. SQLite has no sequence."""

from django.db import migrations


def _cache(size: int):  # type: ignore[no-untyped-def]
    def alter(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE screening_hit ALTER COLUMN id SET CACHE {size}")
    return alter


class Migration(migrations.Migration):

    dependencies = [
        ("screening", "0008_hit_evidence_as_json_text"),
    ]

    operations = [migrations.RunPython(_cache(1000), _cache(1))]
