"""Compare what the report pages and their CSV exports show under two versions of the code.

Used once to check the switch of the report reads from growth/sql.py to the GrowthProgress
summary (3ff8cfb -> ae282d4); see docs/old-and-new-reads.md for the run and its findings.

Two modes:

``dump OUT_DIR``
    Run it from a checkout's root with that checkout's interpreter, so the checkout's own code
    is imported, against a database that is already seeded. It only reads (GET requests
    through ``django.test.Client``, signed in with ``force_login``)::

        cd /work/wt-old && DATABASE_URL=postgres://postgres@127.0.0.1:5432/growth_cmp_demo \\
            REDIS_URL=redis://127.0.0.1:6379/11 \\
            .venv/bin/python /work/wt-compare/scripts/compare_reads.py dump /tmp/cmp/old/demo

    It writes one text file per (person, page) under OUT_DIR/<email>/: the request, the
    response status and any redirect, then every <table> of the page (caption, header and
    body rows, each cell's text with any link in it as ``<href>``), every <dl> (term and
    value pairs: the "My year" and check-in panels), every chart's data (the json_script
    block, as sorted JSON) or, for a CSV export, its rows. Only whitespace is normalised, so
    two dumps of the same database can be compared line by line.

``diff OLD_DIR NEW_DIR``
    Needs no Django. Prints how many files are identical and a unified diff of each that
    is not (or is missing on one side).

Who opens what (the person who would open each page):
  * every active person:        home, my plan, my check-ins, reviews, my self-review
  * anyone with active reports:  team report, team plans, team check-ins
  * each headteacher:            "my school" (a redirect), every page of each school they
                                 head, moderation (unfiltered and per outcome)
  * each trust admin:            trust report, calibration, team plans; the first admin by
                                 email also opens every page of every school of the trust
  * every CSV export link found on any of those pages, fetched as the same person.

The default settings module (growth.settings.dev) is used with DATABASE_URL and REDIS_URL;
ALLOWED_HOSTS must admit the test client's "testserver", which is set here. Paths such as
``growth.rls`` are those of the compared commits (before growth/ was split into packages);
on today's main they would need their new module paths.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

WS = re.compile(r"\s+")


class Tables(HTMLParser):
    """Collects each <table> and <dl> of a page as lines of text, each chart's JSON data,
    and every CSV export link (``?export=<key>&format=csv``) on the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = []  # one list of lines per table, dl or chart
        self.stack: list[dict[str, Any]] = []  # the open tables and dls
        self.cell: list[str] | None = None  # text of the open th/td/caption/dt/dd
        self.row: list[str] | None = None  # cells of the open <tr>
        self.skip = 0  # inside <script>/<style>: not cell text
        self.json: list[str] | None = None  # text of an open <script type=application/json>
        self.exports: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("type") == "application/json":
            self.json = []
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in ("table", "dl"):
            self.stack.append({"kind": tag, "lines": []})
        elif tag == "tr" and self.stack:
            self.row = []
        elif tag in ("td", "th", "caption", "dt", "dd") and self.stack:
            self.cell = []
        elif tag == "a":
            href = a.get("href") or ""
            if "export=" in href and "format=csv" in href:
                self.exports.append(href)
            if self.cell is not None and href:
                self.cell.append(f" <{href}> ")  # a link is part of what a cell shows

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.json is not None:
            data = json.loads("".join(self.json))
            self.blocks.append(["[json]", json.dumps(data, sort_keys=True)])
            self.json = None
        if tag in ("script", "style"):
            self.skip = max(self.skip - 1, 0)
        elif tag in ("table", "dl") and self.stack:
            block = self.stack.pop()
            self.blocks.append([f"[{block['kind']}]", *block["lines"]])
        elif tag in ("td", "th", "caption", "dt", "dd") and self.cell is not None:
            text = WS.sub(" ", "".join(self.cell)).strip()
            self.cell = None
            if tag == "caption":
                self.stack[-1]["lines"].append(f"caption: {text}")
            elif tag in ("dt", "dd"):
                self.stack[-1]["lines"].append(f"{tag}: {text}")
            elif self.row is not None:
                self.row.append(text)
        elif tag == "tr" and self.row is not None and self.stack:
            self.stack[-1]["lines"].append(" | ".join(self.row))
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.json is not None:
            self.json.append(data)
        if not self.skip and self.cell is not None:
            self.cell.append(data)


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._=-]+", "_", text).strip("_") or "root"


class Dumper:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.fetches = 0

    def fetch(self, client: Any, who: str, url: str, *, follow_exports: bool = True) -> None:
        response = client.get(url, follow=True)
        lines = [f"GET {url}", f"status {response.status_code}"]
        for target, status in response.redirect_chain:
            lines.append(f"redirect {status} -> {target}")
        kind = response.get("Content-Type", "")
        exports: list[str] = []
        if response.status_code == 200 and "text/csv" in kind:
            lines.append(f"disposition {response.get('Content-Disposition', '')}")
            lines.append("[csv]")
            text = response.content.decode("utf-8-sig")
            for row in csv.reader(io.StringIO(text)):
                lines.append(" | ".join(WS.sub(" ", c).strip() for c in row))
        elif response.status_code == 200 and "text/html" in kind:
            parser = Tables()
            parser.feed(response.content.decode())
            for block in parser.blocks:
                lines += block
            exports = parser.exports
        else:
            lines.append(f"content-type {kind}")
        parts = urlsplit(url)
        name = slug(parts.path) + (f"__{slug(parts.query)}" if parts.query else "")
        path = self.out / slug(who) / f"{name}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n")
        self.fetches += 1
        if follow_exports:
            for href in dict.fromkeys(exports):  # each once, as the page links it
                self.fetch(client, who, href, follow_exports=False)


def dump(out: Path) -> None:
    sys.path.insert(0, os.getcwd())  # the checkout we were started in
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "growth.settings.dev")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse
    from growth.rls import all_trusts
    from growth.tenancy import trust_scope

    from growth.models import RoleAssignment, School, StaffMember, Trust
    from reviews import rubric

    dumper = Dumper(out)
    people: list[Any] = []
    roles: list[Any] = []
    managers: set[int] = set()
    schools: dict[int, Any] = {}
    school_size: dict[int, int] = {}
    with all_trusts():
        trusts = list(Trust.objects.order_by("slug"))
    for trust in trusts:  # the tenant managers read only with a trust in scope
        with trust_scope(trust):
            people += StaffMember.objects.filter(
                is_active=True, user__is_active=True
            ).select_related("user")
            roles += RoleAssignment.objects.select_related("staff_member__user")
            managers |= set(
                StaffMember.objects.filter(is_active=True, line_manager__isnull=False).values_list(
                    "line_manager_id", flat=True
                )
            )
            for s in School.objects.all():
                schools[s.pk] = s
                school_size[s.pk] = StaffMember.objects.filter(school_id=s.pk).count()
    people.sort(key=lambda p: p.user.email)
    heads: dict[int, list[Any]] = {}
    admins: dict[int, list[Any]] = {}  # trust id -> its trust admins
    for r in roles:
        if r.role == RoleAssignment.Role.HEADTEACHER and r.school_id:
            heads.setdefault(r.staff_member_id, []).append(schools[r.school_id])
        elif r.role == RoleAssignment.Role.TRUST_ADMIN:
            admins.setdefault(r.staff_member.trust_id, []).append(r.staff_member)

    def school_pages(client: Any, who: str, school: Any) -> None:
        # Every page of 50 people, and one past the end (a paginator shows the last page).
        base = reverse("reports:school", args=[school.public_id])
        for n in range(1, math.ceil(school_size[school.pk] / 50) + 2):
            dumper.fetch(client, who, base if n == 1 else f"{base}?page={n}")

    for person in people:
        client = Client()
        client.force_login(person.user)
        who = person.user.email
        for name in (
            "home",
            "objectives:my_plan",
            "checkins:mine",
            "reviews:index",
            "standards:my_self_review",
        ):
            dumper.fetch(client, who, reverse(name))
        if person.pk in managers:
            for name in ("reports:team", "objectives:team", "checkins:team"):
                dumper.fetch(client, who, reverse(name))
        if person.pk in heads:
            dumper.fetch(client, who, reverse("reports:my_school"))
            for school in sorted(heads[person.pk], key=lambda s: s.name):
                school_pages(client, who, school)
            moderation = reverse("reviews:moderation")
            dumper.fetch(client, who, moderation)
            for outcome in rubric.OUTCOMES:
                dumper.fetch(client, who, f"{moderation}?{urlencode({'outcome': outcome})}")
        trust_admins = admins.get(person.trust_id, [])
        if any(a.pk == person.pk for a in trust_admins):
            for name in ("reports:trust", "reviews:calibration", "objectives:team"):
                dumper.fetch(client, who, reverse(name))
            if min(trust_admins, key=lambda a: a.user.email).pk == person.pk:
                for school in sorted(
                    (s for s in schools.values() if s.trust_id == person.trust_id),
                    key=lambda s: s.name,
                ):
                    school_pages(client, who, school)
    print(f"{len(people)} people, {dumper.fetches} fetches written to {out}")


def diff(old: Path, new: Path) -> int:
    names = sorted(
        {p.relative_to(old) for p in old.rglob("*.txt")}
        | {p.relative_to(new) for p in new.rglob("*.txt")}
    )
    differing = 0
    for name in names:
        a = (old / name).read_text().splitlines() if (old / name).exists() else ["(missing)"]
        b = (new / name).read_text().splitlines() if (new / name).exists() else ["(missing)"]
        if a != b:
            differing += 1
            sys.stdout.writelines(
                line + "\n"
                for line in difflib.unified_diff(a, b, f"old/{name}", f"new/{name}", lineterm="")
            )
    print(f"{len(names)} files: {len(names) - differing} identical, {differing} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "dump":
        dump(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "diff":
        sys.exit(diff(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)
