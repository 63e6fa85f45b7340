"""The table of the "rate_limits" cache (growth/security/cache.py): sign-in rate limits are kept there
while Redis is unreachable. Created here rather than by `manage.py createcachetable` so that
every deployment that migrates has it, and the row-level-security set-up that runs after
migrating grants it to the application role."""

from django.core.management import call_command
from django.db import migrations

TABLE = "growth_rate_limit_cache"


def create_table(apps, schema_editor):
    call_command(
        "createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0
    )


def drop_table(apps, schema_editor):
    schema_editor.execute(f'DROP TABLE IF EXISTS "{TABLE}"')


class Migration(migrations.Migration):
    dependencies = [("growth", "0004_growth_progress")]

    operations = [migrations.RunPython(create_table, drop_table)]
