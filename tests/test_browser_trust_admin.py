"""In Chromium, from the demo: Northbridge's trust admin (HR) imports a new teacher for
Northbridge Primary School starting with the current cycle (upload → preview → confirm) and
the teacher is saved there; then, keeping every other value the pages pre-fill, changes the
days between check-ins, renames the current cycle's first term and adds a new priority, each
saved; every page passes axe and fits a laptop's and a phone's width."""

from __future__ import annotations

import pytest

from growth.domain.selectors import cycle_current
from growth.models import StaffMember, Term, Trust, TrustPriority
from growth.security.tenancy import trust_scope
from tests import demo as people
from tests.browser import assert_fits_on_laptop_and_phone

HEADER = (
    "First name,Last name,Email,School,Job title,Category,Career stage,Line manager email,"
    "Start date\n"
)
NEW_PRIORITY = "Partnership with families"  # not one of the demo's five pillars


@pytest.mark.browser
def test_a_trust_admin_imports_staff_and_keeps_the_trust_settings(
    follow_menu, demo, live_server, page, sign_in, assert_accessible, tmp_path
):
    trust = demo.northbridge
    school = demo.person(people.TEACHER).school
    with trust_scope(trust):
        cycle = cycle_current(trust=trust)
        first_term = cycle.terms.order_by("start_date").first()
        assert not TrustPriority.objects.filter(name=NEW_PRIORITY).exists()
    assert trust.checkin_cadence_days != 21
    email = f"nia.hughes@{trust.email_domains}"
    starts = cycle.start_date

    sign_in(page, demo.person(people.TRUST_ADMIN), demo.password)
    follow_menu(page, "Import staff")
    assert_accessible(page, "import staff")
    assert_fits_on_laptop_and_phone(page, "import staff")
    csv_file = tmp_path / "staff.csv"
    csv_file.write_text(
        HEADER + f"Nia,Hughes,{email},{school.name},Teacher of Art,Teaching,ECT 1,,"
        f"{starts:%d/%m/%Y}\n"
    )
    page.get_by_label("CSV file", exact=False).and_(
        page.locator("input[type=file]")
    ).set_input_files(str(csv_file))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()
    assert page.get_by_text("Nothing has been saved yet").is_visible()
    assert_accessible(page, "import preview")
    assert_fits_on_laptop_and_phone(page, "import preview")
    page.get_by_role("button", name="Apply these changes").click()
    page.wait_for_load_state()
    assert page.get_by_text("Import complete.").is_visible()
    assert_accessible(page, "import done")
    assert_fits_on_laptop_and_phone(page, "import done")
    with trust_scope(trust):
        nia = StaffMember.objects.select_related("career_stage").get(user__email=email)
        assert (nia.school, nia.job_title, nia.start_date) == (school, "Teacher of Art", starts)
        assert nia.career_stage.name == "ECT 1"

    follow_menu(page, "Trust settings")
    assert_accessible(page, "trust settings")
    assert_fits_on_laptop_and_phone(page, "trust settings")
    page.get_by_label("Days between check-ins").fill("21")
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_load_state()
    assert page.get_by_text("Settings saved.").is_visible()
    assert Trust.objects.get(pk=trust.pk).checkin_cadence_days == 21

    page.get_by_role("link", name="Cycles and terms").click()
    page.get_by_role("heading", name="Cycles and terms").wait_for()
    assert_accessible(page, "cycles")
    assert_fits_on_laptop_and_phone(page, "cycles")
    page.get_by_role("link", name=cycle.name, exact=True).click()
    page.get_by_role("heading", name=f"Cycle {cycle.name}").wait_for()
    assert_accessible(page, "cycle")
    assert_fits_on_laptop_and_phone(page, "cycle")
    assert page.get_by_label("Term 1 name").input_value() == first_term.name
    page.get_by_label("Term 1 name").fill("Autumn term 1")
    page.get_by_role("button", name="Save cycle").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"Cycle {cycle.name} saved.").is_visible()
    with trust_scope(trust):
        term = Term.objects.get(cycle=cycle, name="Autumn term 1")
        assert (term.start_date, term.end_date) == (first_term.start_date, first_term.end_date)

    page.get_by_role("link", name="Priorities and goals").click()
    page.get_by_role("heading", name="Priorities and goals").wait_for()
    assert_accessible(page, "priorities")
    assert_fits_on_laptop_and_phone(page, "priorities")
    page.get_by_label("Priority (pillar)").fill(NEW_PRIORITY)
    page.get_by_role("button", name="Add priority").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=NEW_PRIORITY).is_visible()
    with trust_scope(trust):
        assert TrustPriority.objects.filter(name=NEW_PRIORITY).exists()
    page.get_by_role("link", name="Add a strategic goal").click()
    page.get_by_role("heading", name="New strategic goal").wait_for()
    assert_accessible(page, "new goal")
    assert_fits_on_laptop_and_phone(page, "new goal")
