"""The benchmark's databases, seeded once and kept by name: a migrated empty template, then
one database per size (``<base>_<staff>`` and, with other trusts, ``<base>_<staff>_plus<n>``),
each cloned from the template and seeded with ``manage.py seed_scale``. A database is reused
while its comment still names the same migrations, seeding code and sizes; otherwise it is
dropped and built again. No Django here: the seeding runs in subprocesses."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent
SCALE_SLUG = "scale"


@dataclass(frozen=True)
class Variant:
    """One database the pages are measured on: the scale trust at ``staff`` people in
    ``schools`` schools, alone or with ``other_trusts`` more trusts of the same size."""

    key: str
    role: str  # "primary", "small" or "crowded"
    staff: int
    schools: int
    other_trusts: int = 0

    def database(self, base: str) -> str:
        name = f"{base}_{self.staff}"
        return f"{name}_plus{self.other_trusts}" if self.other_trusts else name

    @property
    def spec(self) -> str:
        return f"schools={self.schools} staff={self.staff} other_trusts={self.other_trusts}"


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def code_tag() -> str:
    """What a seeded database depends on: every migration (by name) and the seeding code
    (by content). A change to either makes the cached databases be built again."""
    digest = hashlib.sha256()
    for path in sorted(BASE_DIR.glob("*/migrations/0*.py")):
        digest.update(str(path.relative_to(BASE_DIR)).encode())
    seeding = [
        *sorted(BASE_DIR.glob("*/scale.py")),
        BASE_DIR / "growth/management/commands/seed_scale.py",
    ]
    for path in seeding:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class Databases:
    def __init__(self, base_url: str, *, log: Callable[[str], None], redis_url: str) -> None:
        self.base_url = base_url
        self.base = database_name(base_url)
        self.log = log
        self.redis_url = redis_url
        self.tag = code_tag()

    def _admin(self) -> psycopg.Connection:
        return psycopg.connect(with_database(self.base_url, "postgres"), autocommit=True)

    def _comment(self, name: str) -> str | None:
        with self._admin() as conn:
            row = conn.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [name],
            ).fetchone()
        return None if row is None else (row[0] or "")

    def _set_comment(self, name: str, comment: str) -> None:
        with self._admin() as conn:
            conn.execute(
                sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                    sql.Identifier(name), sql.Literal(comment)
                )
            )

    def drop(self, name: str) -> None:
        with self._admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def _create(self, name: str, template: str | None = None) -> None:
        with self._admin() as conn:
            statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            if template:
                statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
            conn.execute(statement)

    def env(self, name: str) -> dict[str, str]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": with_database(self.base_url, name),
            "REDIS_URL": self.redis_url,
            "BENCH_REDIS_URL": self.redis_url,
            "PYTHONPATH": str(BASE_DIR),
        }
        env.pop("CELERY_WORKER_TEST_DB", None)
        return env

    def manage(self, name: str, *args: str) -> None:
        subprocess.run(  # noqa: S603 - our own fixed command line
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env(name),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def template(self) -> str:
        """An empty database with every migration applied, to clone for each size."""
        name = f"{self.base}_template"
        wanted = f"growth bench template {self.tag}"
        if self._comment(name) != wanted:
            self.log(f"Migrating {name} …")
            self.drop(name)
            self._create(name)
            self.manage(name, "migrate", "--noinput", "-v0")
            self._set_comment(name, wanted)
        return name

    def ensure(self, variant: Variant, *, fresh: bool = False) -> tuple[str, float | None]:
        """The variant's database, seeded; and how long seeding took (None when reused)."""
        name = variant.database(self.base)
        wanted = f"growth bench {self.tag} {variant.spec}"
        if not fresh and self._comment(name) == wanted:
            self.log(f"Reusing {name} ({variant.spec}).")
            return name, None
        template = self.template()
        self.log(f"Seeding {name} ({variant.spec}) …")
        started = time.perf_counter()
        self.drop(name)
        self._create(name, template)
        try:
            self.manage(
                name,
                "seed_scale",
                f"--schools={variant.schools}",
                f"--staff={variant.staff}",
                f"--slug={SCALE_SLUG}",
            )
            for n in range(1, variant.other_trusts + 1):
                self.manage(
                    name,
                    "seed_scale",
                    f"--schools={variant.schools}",
                    f"--staff={variant.staff}",
                    f"--slug=other{n:02d}",
                    f"--name=Other Academies Trust {n:02d}",
                    f"--seed={2026 + n}",
                )
        except BaseException:
            self.drop(name)  # half a seeded database must not be taken for a whole one
            raise
        self._set_comment(name, wanted)
        return name, time.perf_counter() - started
