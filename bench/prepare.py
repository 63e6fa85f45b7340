"""``python -m bench.prepare SLUG OUT``: on one benchmark database (DATABASE_URL, settings
bench.settings), choose the people who open the pages, sign them in, count each page's
queries, check the writer's form, and write all that as JSON for the runner."""

from __future__ import annotations

import json
import secrets
import string
import sys
from pathlib import Path
from typing import Any


def vacuum_analyze() -> None:
    """What autovacuum does in a deployment, done now: the benchmark's jobs delete and roll
    back thousands of rows per run, and with autovacuum behind (or off) those dead rows pile
    up run after run and slow every later measurement."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def prepare(slug: str) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from bench.pages import PAGES, bench_people, session_key
    from growth.models import School, StaffMember, Trust

    vacuum_analyze()
    people = bench_people(slug)
    sessions = {
        role: session_key(getattr(people, role)) for role in ("staff", "manager", "head", "admin")
    }
    pages = []
    for page in PAGES:
        url = page.url(people)
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[page.role]
        client.get(url)  # the first request of a process loads what later ones reuse
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{page.key} ({url}) answered {response.status_code}")
        pages.append(
            {
                "key": page.key,
                "label": page.label,
                "role": page.role,
                "path": url,
                "session": sessions[page.role],
                "queries": len(queries),
            }
        )
    # The writer: the line manager records check-ins for the first person of their team
    # through the check-in form, with a CSRF secret of its own in cookie and form alike.
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    writer = {
        "path": reverse("checkins:record", args=[people.staff.public_id]),
        "session": sessions["manager"],
        "csrf": csrf,
        "held_on": timezone.localdate().isoformat(),
    }
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.SESSION_COOKIE_NAME] = writer["session"]
    client.cookies[settings.CSRF_COOKIE_NAME] = csrf
    response = client.post(
        writer["path"],
        {"csrfmiddlewaretoken": csrf, "held_on": writer["held_on"], "reflect_self": "Checked."},
    )
    if response.status_code != 302:
        raise RuntimeError(f"the writer's check-in form answered {response.status_code}")
    trust = people.trust
    return {
        "pages": pages,
        "writer": writer,
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        "size": {
            "schools": School.objects.for_trust(trust).filter(kind=School.Kind.SCHOOL).count(),
            "staff": StaffMember.objects.for_trust(trust).count(),
            "trusts": Trust.objects.count(),
            "staff_in_database": StaffMember.objects.unscoped().count(),
            "reference_rows": StaffMember.objects.for_trust(trust)
            .filter(school=people.school, is_active=True)
            .count(),
        },
    }


def main(argv: list[str]) -> None:
    import django

    django.setup()
    slug, out = argv
    Path(out).write_text(json.dumps(prepare(slug), indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
