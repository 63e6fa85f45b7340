"""Observations: never graded; at most the trust's minutes a term unless the observee asks;
the observee chooses timing and focus; each teacher visits a colleague once a year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from checkins import services
from checkins.models import Observation
from growth.security.tenancy import trust_scope

D = dt.date


def arrange(world, *, actor=None, minutes=20, day=None, requested=False, **kw):
    return services.observation_create(
        actor=actor or world.manager,
        cycle=world.cycle,
        observee=kw.pop("observee", world.staff),
        observer=kw.pop("observer", world.manager),
        date=day or D(2026, 9, 21),
        minutes=minutes,
        purpose=kw.pop("purpose", "support"),
        focus_area="self",
        requested_by_observee=requested,
    )


def test_no_model_anywhere_has_a_grade_field():
    for model in apps.get_models():
        names = {f.name.lower() for f in model._meta.get_fields()}
        assert not [n for n in names if "grade" in n], model


def test_it_caps_unrequested_observation_at_the_trusts_minutes_a_term(in_trust):
    world = in_trust
    arrange(world, minutes=20)
    with pytest.raises(ValidationError) as refused:
        arrange(world, minutes=15, day=D(2026, 10, 5))
    assert "10 of the 30 minutes" in str(refused.value) and "Autumn 1" in str(refused.value)
    arrange(world, minutes=10, day=D(2026, 10, 5))
    # A new term, a new allowance.
    arrange(world, minutes=30, day=D(2026, 11, 9))


def test_it_allows_extra_observation_the_observee_asks_for(in_trust):
    world = in_trust
    arrange(world, minutes=30)
    extra = arrange(world, actor=world.staff, minutes=45, requested=True, day=D(2026, 9, 28))
    assert extra.requested_by_observee and extra.status == "agreed"
    with pytest.raises(ValidationError):
        arrange(world, actor=world.manager, minutes=10, requested=True, day=D(2026, 9, 29))


def test_it_refuses_observation_in_a_holiday(in_trust):
    with pytest.raises(ValidationError) as refused:
        arrange(in_trust, day=D(2026, 10, 28))
    assert "holiday" in str(refused.value)


def test_it_lets_only_the_observee_choose_timing_and_focus(in_trust):
    world = in_trust
    proposed = arrange(world)
    assert proposed.status == "proposed"
    with pytest.raises(PermissionDenied):
        services.observation_agree(
            actor=world.manager, observation=proposed, date=D(2026, 9, 22), focus_area="others"
        )
    agreed = services.observation_agree(
        actor=world.staff, observation=proposed, date=D(2026, 9, 24), focus_area="others"
    )
    assert agreed.status == "agreed" and agreed.date == D(2026, 9, 24)
    done = services.observation_complete(
        actor=world.manager, observation=agreed, notes="Students explained their reasoning."
    )
    assert done.status == "done"


def test_it_shows_the_cap_message_on_the_form(world, client_for):
    client = client_for(world.manager)
    url = reverse("checkins:observations")
    data = {
        "observee": world.staff.pk,
        "observer": world.manager.pk,
        "date": "2026-09-21",
        "minutes": 40,
        "purpose": "support",
        "focus_area": "self",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "30 minutes of observation a term" in response.content.decode()
    with trust_scope(world.trust):
        assert not Observation.objects.exists()
    assert client.post(url, {**data, "minutes": 20}).status_code == 302


def test_it_lists_teachers_who_have_not_yet_visited_a_colleague(world, client_for):
    with trust_scope(world.trust):
        services.observation_create(
            actor=world.staff,
            cycle=world.cycle,
            observee=world.colleague,
            observer=world.staff,
            date=D(2026, 10, 6),
            minutes=30,
            purpose="learn",
            focus_area="self",
        )
    page = client_for(world.head).get(reverse("checkins:peer_visits"))
    assert page.status_code == 200
    not_yet = [t.full_name for t in page.context["not_yet"]]
    visited = [t.full_name for t, _ in page.context["visited"]]
    assert world.staff.full_name in visited and world.staff.full_name not in not_yet
    assert world.colleague.full_name in not_yet and world.manager.full_name in not_yet
    assert world.support.full_name not in not_yet  # support staff are not teachers
    assert world.other_school_staff.full_name not in not_yet  # not the head's school


def test_it_hides_an_observation_from_strangers(world, client_for):
    with trust_scope(world.trust):
        obs = arrange(world)
    url = reverse("checkins:observation", kwargs={"public_id": obs.public_id})
    assert client_for(world.staff).get(url).status_code == 200
    assert client_for(world.head).get(url).status_code == 200
    assert client_for(world.colleague).get(url).status_code == 404
