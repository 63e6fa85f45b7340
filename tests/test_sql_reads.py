"""growth/sql.py: the plain-SQL reads behind every page return what the ORM would, within one
trust, and refuse to read a trust's table without the trust."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q

from growth import sql
from growth.models import GrowthCycle, RoleAssignment, StaffMember
from tests.factories import make_cycle


def test_it_returns_the_instances_the_orm_would_with_the_other_fields_deferred(world):
    people = sql.instances(
        StaffMember,
        ("job_title", "start_date", "line_manager"),
        trust_id=world.trust.pk,
        school=world.school,
        is_active=True,
        order_by=("id",),
    )
    expected = list(
        StaffMember.objects.for_trust(world.trust).filter(school=world.school, is_active=True)
    )
    assert [p.pk for p in people] == sorted(p.pk for p in expected)
    by_pk = {p.pk: p for p in expected}
    for person in people:
        assert person.job_title == by_pk[person.pk].job_title
        assert isinstance(person.start_date, dt.date)
        assert person.start_date == by_pk[person.pk].start_date
        assert person.line_manager_id == by_pk[person.pk].line_manager_id
        assert "fte" in person.get_deferred_fields()
    # A deferred field still loads when asked for, as with .only().
    assert people[0].fte == by_pk[people[0].pk].fte


def test_it_reads_every_field_when_none_are_named(world):
    later = make_cycle(world.trust, start_year=2027)
    cycles = sql.instances(GrowthCycle, (), trust_id=world.trust.pk, order_by=("-start_date",))
    assert [c.pk for c in cycles] == [later.pk, world.cycle.pk]
    assert cycles[0].get_deferred_fields() == set()
    assert cycles[0].objectives_deadline == later.objectives_deadline
    assert cycles[0].name == later.name


def test_it_never_returns_another_trusts_rows(world, other_world):
    mine = sql.rows(RoleAssignment, ("staff_member",), trust_id=world.trust.pk)
    theirs = sql.rows(RoleAssignment, ("staff_member",), trust_id=other_world.trust.pk)
    assert {pk for (pk,) in mine} <= set(
        StaffMember.objects.for_trust(world.trust).values_list("pk", flat=True)
    )
    assert not {pk for (pk,) in mine} & {pk for (pk,) in theirs}
    # Asking for another trust's person by id from this trust finds nothing.
    assert sql.rows(StaffMember, ("id",), trust_id=world.trust.pk, id=other_world.staff.pk) == []


def test_it_refuses_to_read_a_trusts_table_without_the_trust(world):
    with pytest.raises(ValueError, match="needs the trust"):
        sql.rows(StaffMember, ("id",), trust_id=None)


def test_it_matches_a_list_an_empty_list_and_a_missing_value(world):
    ids = [world.staff.pk, world.manager.pk]
    found = sql.rows(StaffMember, ("id",), trust_id=world.trust.pk, id__in=ids)
    assert sorted(pk for (pk,) in found) == sorted(ids)
    assert sql.rows(StaffMember, ("id",), trust_id=world.trust.pk, id__in=[]) == []
    no_manager = sql.rows(StaffMember, ("id",), trust_id=world.trust.pk, line_manager__isnull=True)
    expected = StaffMember.objects.for_trust(world.trust).filter(line_manager__isnull=True)
    assert {pk for (pk,) in no_manager} == set(expected.values_list("pk", flat=True))


def test_it_orders_and_limits_like_the_orm(world):
    newest = sql.rows(
        StaffMember, ("id",), trust_id=world.trust.pk, order_by=("-start_date", "-id"), limit=2
    )
    expected = (
        StaffMember.objects.for_trust(world.trust)
        .order_by("-start_date", "-id")
        .values_list("id")[:2]
    )
    assert [tuple(r) for r in newest] == list(expected)


def test_it_rejects_a_lookup_it_does_not_write(world):
    with pytest.raises(ValueError, match="Unsupported filter"):
        sql.rows(StaffMember, ("id",), trust_id=world.trust.pk, start_date__lt=dt.date.today())


def test_it_reads_related_rows_in_the_same_statement(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        people = sql.instances(
            StaffMember,
            ("job_title",),
            trust_id=world.trust.pk,
            related={
                "user": ("first_name", "last_name", "email"),
                "line_manager": ("user",),
                "line_manager__user": ("first_name", "last_name", "email"),
            },
            either=({"id": world.manager.pk}, {"line_manager": world.manager.pk}),
            order_by=("user__last_name", "user__first_name", "id"),
        )
        names = {p.pk: (p.full_name, p.line_manager and p.line_manager.full_name) for p in people}
    expected = (
        StaffMember.objects.for_trust(world.trust)
        .filter(Q(pk=world.manager.pk) | Q(line_manager=world.manager))
        .select_related("user", "line_manager__user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    assert [p.pk for p in people] == [p.pk for p in expected]
    assert names == {
        p.pk: (p.full_name, p.line_manager and p.line_manager.full_name) for p in expected
    }


def test_it_counts_and_pages_like_the_orm(world):
    everyone = StaffMember.objects.for_trust(world.trust).order_by("id")
    assert sql.count(StaffMember, trust_id=world.trust.pk) == everyone.count()
    page = sql.rows(StaffMember, ("id",), trust_id=world.trust.pk, order_by=("id",), limit=3)
    rest = sql.instances(StaffMember, ("id",), trust_id=world.trust.pk, order_by=("id",), offset=3)
    assert [pk for (pk,) in page] + [p.pk for p in rest] == [p.pk for p in everyone]


def test_it_finds_a_row_by_its_public_id(world):
    found = sql.instances(
        StaffMember, (), trust_id=world.trust.pk, public_id=world.staff.public_id, limit=1
    )
    assert [p.pk for p in found] == [world.staff.pk]
    assert found[0].public_id == world.staff.public_id


def test_it_filters_on_a_joined_relation(in_trust):
    from objectives.models import GrowthPlan

    world = in_trust
    plan = GrowthPlan.objects.create(trust=world.trust, cycle=world.cycle, staff_member=world.staff)
    GrowthPlan.objects.create(trust=world.trust, cycle=world.cycle, staff_member=world.manager)
    found = sql.instances(
        GrowthPlan,
        ("staff_member",),
        trust_id=world.trust.pk,
        related={"staff_member": ("job_title",)},
        staff_member__school=world.school,
        staff_member__line_manager=world.manager,
    )
    assert [p.pk for p in found] == [plan.pk]
    assert found[0].staff_member.job_title == world.staff.job_title


def test_it_makes_instances_that_save_compare_and_reload_like_the_orms(in_trust):
    """The instances are made without Model.__init__; they must still be loaded (not new),
    equal to the ORM's, and save only what changed when saved with update_fields."""
    (person,) = sql.instances(
        StaffMember, ("job_title",), trust_id=in_trust.trust.pk, id=in_trust.staff.pk
    )
    orm = StaffMember.objects.for_trust(in_trust.trust).get(pk=in_trust.staff.pk)
    assert person == orm and hash(person) == hash(orm)
    assert person._state.adding is False and person._state.db == "default"
    assert (
        person.get_deferred_fields()
        == orm.__class__.objects.only("job_title").get(pk=orm.pk).get_deferred_fields()
    )
    person.job_title = "Head of Science"
    person.save(update_fields=["job_title"])
    orm.refresh_from_db()
    assert orm.job_title == "Head of Science" and orm.fte == in_trust.staff.fte
    person.refresh_from_db(fields=["job_title"])
    assert person.job_title == "Head of Science"


def test_it_leaves_a_model_that_stores_a_field_its_own_way_to_from_db(world):
    from checkins.models import Evidence

    assert sql._maker(Evidence) == Evidence.from_db  # its file field has its own descriptor
    assert sql._maker(StaffMember) != StaffMember.from_db


def test_it_sends_one_statement_for_every_page_and_every_list_of_a_read(world):
    """The statement's text does not change with the values read (a page's offset, a
    team's size), so PostgreSQL prepares it once; each read still gets its own rows."""
    from django.db import connection

    everyone = list(
        StaffMember.objects.for_trust(world.trust).order_by("id").values_list("pk", flat=True)
    )
    sent: list[str] = []

    def page(offset: int, among: list[int]) -> list[int]:
        found = sql.instances(
            StaffMember,
            ("job_title",),
            trust_id=world.trust.pk,
            id__in=among,
            order_by=("id",),
            limit=2,
            offset=offset,
        )
        return [p.pk for p in found]

    def record(execute, statement, params, many, context):
        sent.append(statement)
        return execute(statement, params, many, context)

    with connection.execute_wrapper(record):
        first, second = page(0, everyone), page(2, everyone)
        few = page(0, everyone[:3])
    assert first == everyone[:2] and second == everyone[2:4] and few == everyone[:2]
    assert len(sent) == 3
    if connection.vendor == "postgresql":  # SQLite writes one placeholder per listed value
        assert len(set(sent)) == 1
