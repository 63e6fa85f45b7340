"""Pay range and point in the staff import and export (issue 17 part 4): a teacher's range
and point are read from the file ("Main" and "3", or "M3"), a wrong one names the field and
saves nothing, a file without the columns leaves pay alone, and the export writes the same
columns back so the file round-trips."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from growth.domain.staff_import import staff_import
from growth.models import StaffMember
from growth.security.tenancy import trust_scope
from tests.pay_fixtures import on_pay

HEADER = (
    "First name,Last name,Email,School,Job title,Category,Career stage,Line manager email,"
    "Start date,Pay range,Pay point\n"
)


def run(world, body: str, header: str = HEADER):
    with trust_scope(world.trust):
        return staff_import(actor=world.admin.user, trust=world.trust, csv_text=header + body)


def row(world, pay_range: str, point: str, email: str = "nia.hughes@alpha.example") -> str:
    return (
        f"Nia,Hughes,{email},Alpha Primary,Teacher of Science,Teaching,MPR,"
        f"{world.head.email},2019-09-01,{pay_range},{point}\n"
    )


def test_it_reads_a_teachers_range_and_point(world):
    result = run(world, row(world, "Main", "M4"))
    assert result.ok, result.errors
    with trust_scope(world.trust):
        nia = StaffMember.objects.get(user__email="nia.hughes@alpha.example")
    assert (nia.pay_range, nia.pay_point, nia.pay_position) == ("main", 4, "M4")


def test_it_updates_a_range_and_lists_the_change(world):
    run(world, row(world, "Main", "6"))
    result = run(world, row(world, "Upper", "1"))
    assert [c.label for c in result.updated[0].changes] == ["Pay range", "Pay point"]
    assert result.updated[0].changes[0].after == "Upper pay range"


def test_a_point_beyond_the_range_names_the_field_and_saves_nothing(world):
    result = run(world, row(world, "Upper", "5"))
    assert not result.ok
    assert "The upper pay range has points 1 to 3." in str(result.errors[0])
    with trust_scope(world.trust):
        assert not StaffMember.objects.filter(user__email="nia.hughes@alpha.example").exists()


def test_an_unknown_range_is_refused(world):
    result = run(world, row(world, "Spine B", "2"))
    assert "Unknown pay range 'Spine B'" in str(result.errors[0])


def test_support_staff_are_not_on_a_teachers_range(world):
    body = "Kay,Lamb,kay.lamb@alpha.example,Alpha Primary,Teaching Assistant,Support,,,,Main,2\n"
    assert "Only teaching staff" in str(run(world, body).errors[0])


def test_a_file_without_pay_columns_leaves_pay_alone(world):
    on_pay(world, world.staff, "main", 3)
    header = HEADER.replace(",Pay range,Pay point", "")
    staff = world.staff
    body = (
        f"{staff.user.first_name},{staff.user.last_name},{staff.email},{staff.school.name},"
        f"{staff.job_title},Teaching,MPR,{world.manager.email},"
        f"{staff.start_date.isoformat()}\n"
    )
    run(world, body, header=header)
    staff.refresh_from_db()
    assert (staff.pay_range, staff.pay_point) == ("main", 3)


def test_the_export_round_trips_through_the_import(world, client_for):
    on_pay(world, world.staff, "main", 3)
    response = client_for(world.admin).get(reverse("staff_export"), {"format": "csv"})
    assert response.status_code == 200
    text = response.content.decode().lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    sam = next(r for r in rows if r["Email"] == world.staff.email)
    assert (sam["Pay range"], sam["Pay point"]) == ("Main pay range", "3")
    result = run(world, text, header="")
    assert result.ok, result.errors[:3]
    assert not result.updated and not result.created


def test_only_the_trust_admin_exports_the_staff(world, other_world, client_for):
    assert client_for(world.head).get(reverse("staff_export")).status_code == 403
    body = client_for(other_world.admin).get(reverse("staff_export")).content.decode()
    assert world.staff.email not in body
