"""Who may open a person's page: self, line manager, headteacher, trust admin; nobody else."""

import pytest


@pytest.mark.parametrize("viewer", ["staff", "manager", "head", "admin"])
def test_it_shows_the_person_to_those_related_to_them(world, client_for, viewer):
    response = client_for(getattr(world, viewer)).get(f"/people/{world.staff.public_id}/")
    assert response.status_code == 200
    assert world.staff.full_name in response.content.decode()


@pytest.mark.parametrize("viewer", ["colleague", "other_head", "other_school_staff", "support"])
def test_it_is_a_404_for_a_colleague_who_is_not_their_manager(world, client_for, viewer):
    response = client_for(getattr(world, viewer)).get(f"/people/{world.staff.public_id}/")
    assert response.status_code == 404


def test_it_is_a_404_from_another_trust_even_for_its_admin(world, other_world, client_for):
    response = client_for(other_world.admin).get(f"/people/{world.staff.public_id}/")
    assert response.status_code == 404


def test_it_redirects_anonymous_visitors_to_sign_in(world, client_for):
    response = client_for(None).get(f"/people/{world.staff.public_id}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_people_lists_only_those_the_viewer_may_see(world, client_for):
    page = client_for(world.manager).get("/people/").content.decode()
    assert world.staff.full_name in page
    assert world.support.full_name in page
    assert world.colleague.full_name not in page
    assert world.other_school_staff.full_name not in page


def test_a_trust_admin_sees_the_whole_trust_and_no_other(world, other_world, client_for):
    page = client_for(world.admin).get("/people/").content.decode()
    assert world.other_school_staff.full_name in page
    assert other_world.staff.email not in page
