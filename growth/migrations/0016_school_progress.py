import django.db.models.deletion
import uuid
from django.db import migrations, models


class Migration(migrations.Migration):
    """Apart from 0015, which fills the column: PostgreSQL will not alter a table in the
    transaction that has just updated its rows (pending foreign-key checks)."""

    dependencies = [
        ('growth', '0015_progress_school'),
    ]

    operations = [
        migrations.AlterField(
            model_name='growthprogress',
            name='school',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='growth.school'),
        ),
        migrations.CreateModel(
            name='SchoolProgress',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('figures', models.JSONField(default=dict)),
                ('checkins_as_of', models.JSONField(default=dict)),
                ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='school_progress', to='growth.growthcycle')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='progress', to='growth.school')),
                ('trust', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='growth.trust')),
            ],
            options={
                'verbose_name': 'school progress',
                'verbose_name_plural': 'school progress',
                'abstract': False,
                'constraints': [models.UniqueConstraint(fields=('trust', 'public_id'), name='growth_schoolprogress_trust_public_id'), models.UniqueConstraint(fields=('trust', 'cycle', 'school'), name='school_progress_one_per_school_cycle')],
            },
        ),
    ]
