import pytest

from growth.models import School, StaffMember
from growth.security.tenancy import NoTrustInScope, current_trust_id, trust_scope


def test_it_refuses_a_query_with_no_trust_in_scope(world):
    with pytest.raises(NoTrustInScope):
        list(StaffMember.objects.all())


def test_it_sees_only_the_trust_in_scope(world, other_world):
    with trust_scope(world.trust):
        names = set(School.objects.values_list("name", flat=True))
    assert "Alpha Primary" in names
    assert "Beta Primary" not in names


def test_it_refuses_to_save_a_row_of_another_trust(world, other_world):
    with trust_scope(other_world.trust), pytest.raises(NoTrustInScope):
        world.school.name = "Renamed"
        world.school.save()
    world.school.refresh_from_db()
    assert world.school.name == "Alpha Primary"


def test_it_clears_the_scope_after_each_request(world, client_for):
    response = client_for(world.staff).get("/")
    assert response.status_code == 200
    assert current_trust_id() is None


def test_it_clears_the_scope_when_a_view_fails(world, client_for):
    client = client_for(world.staff)
    client.raise_request_exception = False
    client.get("/people/not-a-uuid/")
    assert current_trust_id() is None


def test_a_request_looks_the_current_cycle_up_once_but_tasks_always_see_a_new_one(
    world, other_world, django_assert_num_queries
):
    import datetime as dt

    from growth.domain.selectors import cycle_current
    from growth.security.tenancy import request_memo_scope
    from tests.factories import make_cycle

    day = dt.date(2026, 11, 23)
    with request_memo_scope():
        first = cycle_current(trust=world.trust, on=day)
        with django_assert_num_queries(0):
            assert cycle_current(trust=world.trust, on=day) == first
        # Keyed by trust: another trust's cycle is never served from this memo.
        assert cycle_current(trust=other_world.trust, on=day).trust_id == other_world.trust.pk
    # Outside a request nothing is remembered: a cycle added a moment ago is seen.
    next_year = dt.date(2027, 10, 1)
    assert cycle_current(trust=world.trust, on=next_year) == world.cycle  # the latest so far
    newer = make_cycle(world.trust, 2027)
    assert cycle_current(trust=world.trust, on=next_year) == newer
