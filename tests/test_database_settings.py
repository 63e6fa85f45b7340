"""PostgreSQL connections prepare repeated statements unless turned off (e.g. behind a
transaction-pooling PgBouncer), and production keeps connections between requests."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.db import connection

SHOW = (
    "import json, django; django.setup(); from django.conf import settings; "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'options': db.get('OPTIONS', {}), 'age': db['CONN_MAX_AGE']}))"
)


def database_settings(module: str, **env: str) -> dict:
    ours = ("CONN_MAX_AGE", "DB_PREPARE_THRESHOLD", "DB_PLAN_CACHE_MODE", "DB_RANDOM_PAGE_COST")
    environment = {k: v for k, v in os.environ.items() if k not in ours}
    environment.update(
        DJANGO_SETTINGS_MODULE=module,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/growth",
        SECRET_KEY="settings-test",
        **env,
    )
    out = subprocess.run(
        [sys.executable, "-c", SHOW], env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_it_prepares_repeated_statements_on_postgresql_by_default():
    found = database_settings("growth.settings.production")
    assert found["options"]["server_side_binding"] is True
    assert found["options"]["prepare_threshold"] == 5
    assert found["age"] == 60


def test_it_leaves_planning_to_postgresql_defaults():
    # Generic plans and a solid-state page cost were tuned for the plain-SQL reads, now gone:
    # PostgreSQL's own choices serve trusts of every size.
    options = database_settings("growth.settings.production")["options"]["options"]
    assert "plan_cache_mode" not in options
    assert "random_page_cost" not in options


def test_it_can_turn_prepared_statements_off_for_a_transaction_pooler():
    found = database_settings("growth.settings.production", DB_PREPARE_THRESHOLD="0")
    assert "server_side_binding" not in found["options"]
    assert "prepare_threshold" not in found["options"]


def test_the_suite_itself_runs_with_prepared_statements(db):
    # The test database connection is built from the same settings: what is tested is what runs.
    assert connection.settings_dict["OPTIONS"].get("server_side_binding") is True
    with connection.cursor() as cursor:
        for _ in range(6):
            cursor.execute("SELECT 1 WHERE %s = %s", [1, 1])
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] >= 1
