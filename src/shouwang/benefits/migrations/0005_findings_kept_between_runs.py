"""Findings live from the run that first finds them to the run that no longer does (set-based diff)."""

import django.db.models.deletion
from django.db import migrations, models


def keep_latest_run_findings(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Before: every run held a full copy. After: the latest complete run's rows become the current ones."""
    Run = apps.get_model("benefits", "CoverageRun")
    Finding = apps.get_model("benefits", "CoverageFinding")
    latest = Run.objects.filter(complete=True).values("county_id").annotate(last=models.Max("id")).values("last")
    Finding.objects.exclude(run_id__in=latest).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("benefits", "0004_one_list_index"),
    ]

    operations = [
        migrations.RunPython(keep_latest_run_findings, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="coveragefinding", name="benefits_co_run_id_167771_idx"),
        migrations.RemoveIndex(model_name="coveragefinding", name="benefits_co_person__15f40f_idx"),
        migrations.RenameField(model_name="coveragefinding", old_name="run", new_name="first_run"),
        migrations.AlterField(
            model_name="coveragefinding",
            name="first_run",
            field=models.ForeignKey(db_constraint=False, db_index=False,
                                    on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                    to="benefits.coveragerun", verbose_name="首次发现批次"),
        ),
        migrations.AddField(
            model_name="coveragefinding",
            name="resolved_run",
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True,
                                    on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                    to="benefits.coveragerun", verbose_name="消除批次"),
        ),
        migrations.AddField(model_name="coveragerun", name="new_count",
                            field=models.PositiveIntegerField(default=0, verbose_name="新增发现")),
        migrations.AddField(model_name="coveragerun", name="resolved_count",
                            field=models.PositiveIntegerField(default=0, verbose_name="消除发现")),
        migrations.AddIndex(
            model_name="coveragefinding",
            index=models.Index(condition=models.Q(("resolved_run__isnull", True)),
                               fields=["county_id", "rule", "kind", "township_id", "village_id", "id"],
                               name="coverage_finding_current"),
        ),
        migrations.AddIndex(
            model_name="coveragefinding",
            index=models.Index(fields=["person", "rule", "resolved_run"], name="coverage_finding_person"),
        ),
        migrations.AddIndex(
            model_name="coveragefinding",
            index=models.Index(condition=models.Q(("resolved_run__isnull", False)),
                               fields=["county_id", "resolved_run"], name="coverage_finding_resolved"),
        ),
    ]
