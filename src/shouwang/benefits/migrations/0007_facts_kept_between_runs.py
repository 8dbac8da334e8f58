"""Coverage facts kept between runs: for which date and parameters a county's facts hold, and the households a
write made stale. (The fact table itself is created by the run: derived data, never migrated.)"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0001_initial'),
        ('benefits', '0006_benefit_kind_person'),
    ]

    operations = [
        migrations.CreateModel(
            name='PersonFact',
            fields=[
                ('person_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('household_id', models.BigIntegerField()),
                ('county_id', models.CharField(max_length=12)),
                ('township_id', models.CharField(max_length=12)),
                ('village_id', models.CharField(max_length=12)),
                ('birth_date', models.DateField()),
                ('status_date', models.DateField(null=True)),
                ('valid_until', models.DateField(null=True)),
                ('stop', models.CharField(max_length=16)),
                ('certified', models.BooleanField()),
                ('cert_stop', models.CharField(max_length=16)),
                ('in_force', models.BooleanField()),
                ('category', models.SmallIntegerField(null=True)),
                ('grade', models.SmallIntegerField(null=True)),
                ('schooling', models.CharField(max_length=16)),
                ('needs_rehabilitation', models.BooleanField()),
                ('needs_accessibility', models.BooleanField()),
                ('needs_custodial_care', models.BooleanField()),
                ('needs_long_term_care', models.BooleanField()),
                ('training_ok', models.BooleanField()),
                ('family_doctor_flag', models.BooleanField()),
                ('assistance_status', models.CharField(max_length=16)),
                ('poverty_status', models.CharField(max_length=16)),
                ('monitored', models.BooleanField()),
                ('tekun', models.BooleanField()),
                ('orphan', models.BooleanField()),
                ('work_injury', models.BooleanField()),
                ('choose_higher', models.BooleanField()),
                ('rec_living_subsidy', models.BigIntegerField(null=True)),
                ('rec_care_subsidy', models.BigIntegerField(null=True)),
                ('rec_medical_contribution', models.BigIntegerField(null=True)),
                ('rec_pension_contribution', models.BigIntegerField(null=True)),
                ('rec_education_aid', models.BigIntegerField(null=True)),
                ('rec_training', models.BigIntegerField(null=True)),
                ('rec_graduate_employment', models.BigIntegerField(null=True)),
                ('rec_child_rehab', models.BigIntegerField(null=True)),
                ('rec_rehab_service', models.BigIntegerField(null=True)),
                ('rec_family_doctor', models.BigIntegerField(null=True)),
                ('rec_accessibility', models.BigIntegerField(null=True)),
                ('rec_care_service', models.BigIntegerField(null=True)),
                ('n_living_subsidy', models.IntegerField()),
                ('n_care_subsidy', models.IntegerField()),
                ('n_care_service', models.IntegerField()),
                ('late_training', models.BooleanField()),
                ('late_graduate_employment', models.BooleanField()),
                ('late_accessibility', models.BooleanField()),
                ('on_medical_contribution', models.BooleanField()),
                ('on_pension_contribution', models.BooleanField()),
                ('on_education_aid', models.BooleanField()),
                ('on_child_rehab', models.BooleanField()),
                ('on_rehab_service', models.BooleanField()),
                ('on_family_doctor', models.BooleanField()),
            ],
            options={
                'db_table': 'benefits_coverage_fact_one',
                'managed': False,
            },
        ),
        migrations.CreateModel(
            name='CoverageStaleHousehold',
            fields=[
                ('household_id', models.BigIntegerField(primary_key=True, serialize=False)),
            ],
        ),
        migrations.CreateModel(
            name='CoverageFactState',
            fields=[
                ('county', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='areas.area')),
                ('day', models.DateField()),
                ('parameters_saved', models.DateTimeField()),
                ('parameters', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='benefits.coverageparameters')),
            ],
        ),
    ]
