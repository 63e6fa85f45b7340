"""The staff CSV carries the flags that change what a person writes (TLR, SLT, coaching
facilitator, coaching qualified, leadership goal) and their leaving date, as HR sets them on a
person's page: applied where the file has the column, named with their line when wrong."""

from __future__ import annotations

import csv
import datetime as dt
import io

from growth.domain.staff_import import staff_import
from growth.models import AuditEvent, StaffMember
from growth.security.tenancy import trust_scope

HEADER = (
    "First name,Last name,Email,School,Job title,Category,Career stage,Line manager email,"
    "Start date,TLR,SLT,Coaching facilitator,Coaching qualified,Leadership goal,Leaving date\n"
)


def run(world, body: str, header: str = HEADER):
    with trust_scope(world.trust):
        return staff_import(actor=world.admin.user, trust=world.trust, csv_text=header + body)


def person(world, email: str) -> StaffMember:
    with trust_scope(world.trust):
        return StaffMember.objects.get(user__email=email)


def test_new_people_arrive_with_their_flags_and_leaving_date(world):
    result = run(
        world,
        "Nia,Hughes,nia@alpha.example,Alpha Primary,Head of Science,Teaching,UPR 2/3,"
        f"{world.head.email},2019-09-01,yes,Y,no,TRUE,x,31/08/2027\n"
        "Tom,Reed,tom@alpha.example,Alpha Primary,Teacher,Teaching,ect1,,2026-09-01,,,,,,\n",
    )
    assert result.ok and result.applied, result.errors
    nia, tom = person(world, "nia@alpha.example"), person(world, "tom@alpha.example")
    assert (nia.holds_tlr, nia.is_senior_leader, nia.is_coaching_facilitator) == (
        True,
        True,
        False,
    )
    assert (nia.coaching_qualified, nia.asked_for_leadership_goal) == (True, True)
    assert nia.leave_date == dt.date(2027, 8, 31)
    assert not any((tom.holds_tlr, tom.is_senior_leader, tom.coaching_qualified, tom.leave_date))


def test_a_changed_flag_is_listed_applied_and_audited(world):
    staff = world.staff
    body = (
        f"Sam,Tester,{staff.email},Alpha Primary,Teacher of English,Teaching,MPR,"
        f"{world.manager.email},{staff.start_date:%Y-%m-%d},yes,no,no,no,no,2027-07-31\n"
    )
    result = run(world, body)
    assert result.ok and result.applied
    changes = {c.label: (c.before, c.after) for c in result.updated[0].changes}
    assert changes == {"TLR": ("no", "yes"), "Leaving date": ("—", "31 Jul 2027")}
    staff = person(world, staff.email)
    assert staff.holds_tlr and staff.leave_date == dt.date(2027, 7, 31)
    with trust_scope(world.trust):
        event = AuditEvent.objects.filter(subject=staff).latest("pk")
    assert event.after["holds_tlr"] is True
    # The same file again changes nothing.
    assert not run(world, body).changes_anything


def test_a_file_without_the_columns_leaves_the_flags_as_they_are(world):
    with trust_scope(world.trust):
        StaffMember.objects.filter(pk=world.staff.pk).update(holds_tlr=True)
    header = HEADER.split(",TLR")[0] + "\n"
    body = (
        f"Sam,Tester,{world.staff.email},Alpha Primary,Teacher of English,Teaching,MPR,"
        f"{world.manager.email},{world.staff.start_date:%Y-%m-%d}\n"
    )
    assert not run(world, body, header=header).changes_anything
    assert person(world, world.staff.email).holds_tlr


def test_a_flag_that_is_not_yes_or_no_and_a_leaving_date_before_the_start_are_refused(world):
    result = run(
        world,
        "Nia,Hughes,nia@alpha.example,Alpha Primary,Head of Science,Teaching,UPR 2/3,,"
        "2019-09-01,maybe,,,,,\n"
        "Tom,Reed,tom@alpha.example,Alpha Primary,Teacher,Teaching,ect1,,2026-09-01,,,,,,"
        "2025-07-31\n",
    )
    assert not result.applied
    assert [str(e) for e in result.errors] == [
        "Line 2: TLR 'maybe' is not yes or no.",
        "Line 3: Leaving date is before the start date.",
    ]
    with trust_scope(world.trust):
        assert not StaffMember.objects.filter(user__email__in=["nia@alpha.example"]).exists()


def test_the_staff_export_carries_the_flags_and_imports_back_unchanged(world, client_for):
    with trust_scope(world.trust):
        StaffMember.objects.filter(pk=world.staff.pk).update(
            coaching_qualified=True, leave_date=dt.date(2027, 8, 31)
        )
    exported = client_for(world.admin).get("/trust/staff-export/?format=csv")
    text = b"".join(exported.streaming_content if exported.streaming else [exported.content])
    rows = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))
    sam = next(r for r in rows if r["Email"] == world.staff.email)
    assert (sam["Coaching qualified"], sam["TLR"], sam["Leaving date"]) == (
        "yes",
        "no",
        "2027-08-31",
    )
    with trust_scope(world.trust):
        again = staff_import(
            actor=world.admin.user, trust=world.trust, csv_text=text.decode("utf-8-sig")
        )
    assert again.ok and not again.changes_anything, again.errors
