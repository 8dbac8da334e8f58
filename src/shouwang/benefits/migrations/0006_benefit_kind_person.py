"""A coverage run reads each kind's records in person order from one covering index."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("benefits", "0005_findings_kept_between_runs"),
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="benefitrecord",
            index=models.Index(fields=["kind", "person", "start_on", "end_on"], name="benefit_kind_person"),
        ),
    ]
