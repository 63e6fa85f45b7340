"""Fixtures of the standards tests: the shipped frameworks, loaded by `loaddata` (for the tests
of the fixtures themselves) or installed from the same files in bulk (for everything else:
`loaddata` of 300 natural-keyed rows takes ~10 s on this machine)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SHIPPED = [
    "career_stages.json",
    "teachers_standards.json",
    "teachers_standards_descriptors.json",
    "central_services_framework.json",
]


def load_shipped_standards() -> None:
    """Exactly what an admin runs."""
    call_command("loaddata", *(str(FIXTURES / name) for name in SHIPPED), verbosity=0)


def install_shipped_standards() -> None:
    """The same rows as ``load_shipped_standards``, written in a handful of queries."""
    from growth.models import CareerStage
    from standards.models import Descriptor, Framework, Standard

    if Framework.objects.unscoped().filter(code="teachers-standards", trust=None).exists():
        return
    call_command("loaddata", str(FIXTURES / "career_stages.json"), verbosity=0)
    rows = [
        row
        for name in SHIPPED[1:]
        for row in json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    ]
    frameworks = Framework.objects.bulk_create(
        [Framework(**r["fields"]) for r in rows if r["model"] == "standards.framework"]
    )
    by_code = {f.code: f for f in frameworks}
    standard_rows = [r["fields"] for r in rows if r["model"] == "standards.standard"]
    standards = Standard.objects.bulk_create(
        [
            Standard(
                **{k: v for k, v in f.items() if k not in ("framework", "parent")},
                framework=by_code[f["framework"][0]],
            )
            for f in standard_rows
        ]
    )
    by_key = {(s.framework.code, s.code): s for s in standards}
    children = []
    for fields, standard in zip(standard_rows, standards, strict=True):
        if fields["parent"]:
            standard.parent = by_key[(fields["parent"][0], fields["parent"][2])]
            children.append(standard)
    Standard.objects.bulk_update(children, ["parent"])
    stages = {s.code: s for s in CareerStage.objects.all()}
    Descriptor.objects.bulk_create(
        [
            Descriptor(
                standard=by_key[(r["fields"]["standard"][0], r["fields"]["standard"][2])],
                career_stage=stages[r["fields"]["career_stage"][0]],
                statements=r["fields"]["statements"],
            )
            for r in rows
            if r["model"] == "standards.descriptor"
        ]
    )


@pytest.fixture
def shipped_standards(db) -> None:
    install_shipped_standards()


@pytest.fixture
def loaded_standards(db) -> None:
    load_shipped_standards()


def rate_everything(review, rating: str = "fully", **overrides: str) -> dict[int, str]:
    """Ratings for every rated standard of the review's framework; ``overrides`` by code,
    passed as ``**{"2.3": "not_always"}``."""
    from standards.selectors import rated_standards

    return {
        s.pk: overrides.get(s.code, rating) for s in rated_standards(framework=review.framework)
    }
