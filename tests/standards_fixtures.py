"""Fixtures of the standards tests: the shipped frameworks loaded as `loaddata` loads them."""

from __future__ import annotations

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
    call_command("loaddata", *(str(FIXTURES / name) for name in SHIPPED), verbosity=0)


@pytest.fixture
def shipped_standards(db) -> None:
    load_shipped_standards()
