"""Report rows link each person, plan, check-in record and review: the links built from a
route resolved once are the ones ``reverse`` gives."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse, set_script_prefix

from growth.reports import url_for


@pytest.mark.parametrize(
    "name", ["person", "objectives:plan", "checkins:person", "reviews:detail", "reports:school"]
)
def test_it_links_like_reverse(name):
    for _ in range(2):
        public_id = uuid.uuid4()
        assert url_for(name, public_id) == reverse(name, args=[public_id])


def test_it_follows_the_script_prefix():
    public_id = uuid.uuid4()
    try:
        set_script_prefix("/growth/")
        assert url_for("person", public_id) == reverse("person", args=[public_id])
        assert url_for("person", public_id).startswith("/growth/")
    finally:
        set_script_prefix("/")
    assert url_for("person", public_id) == reverse("person", args=[public_id])
