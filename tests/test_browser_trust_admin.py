"""In Chromium: a trust admin imports staff (upload → preview → confirm) and edits the trust's
settings, cycle and priorities; every page passes axe."""

from __future__ import annotations

import pytest

from growth.models import StaffMember
from growth.security.tenancy import trust_scope

CSV = (
    "First name,Last name,Email,School,Job title,Category,Career stage,Line manager email,"
    "Start date\n"
    "Nia,Hughes,nia@alpha.example,Alpha Primary,Teacher of Art,Teaching,ECT 1,,01/09/2026\n"
)


@pytest.mark.browser
def test_a_trust_admin_imports_staff_and_keeps_the_trust_settings(
    follow_menu, world, live_server, page, sign_in, assert_accessible, tmp_path
):
    sign_in(page, world.admin)
    follow_menu(page, "Import staff")
    assert_accessible(page, "import staff")
    csv_file = tmp_path / "staff.csv"
    csv_file.write_text(CSV)
    page.get_by_label("CSV file", exact=False).and_(
        page.locator("input[type=file]")
    ).set_input_files(str(csv_file))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()
    assert page.get_by_text("Nothing has been saved yet").is_visible()
    assert_accessible(page, "import preview")
    page.get_by_role("button", name="Apply these changes").click()
    page.wait_for_load_state()
    assert page.get_by_text("Import complete.").is_visible()
    assert_accessible(page, "import done")
    with trust_scope(world.trust):
        assert StaffMember.objects.filter(user__email="nia@alpha.example").exists()

    follow_menu(page, "Trust settings")
    assert_accessible(page, "trust settings")
    page.get_by_label("Days between check-ins").fill("21")
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_load_state()
    assert page.get_by_text("Settings saved.").is_visible()

    page.get_by_role("link", name="Cycles and terms").click()
    assert_accessible(page, "cycles")
    page.get_by_role("link", name="2026-27", exact=True).click()
    assert_accessible(page, "cycle")
    page.get_by_label("Term 1 name").fill("Autumn term 1")
    page.get_by_role("button", name="Save cycle").click()
    page.wait_for_load_state()
    assert page.get_by_text("Cycle 2026-27 saved.").is_visible()

    page.get_by_role("link", name="Priorities and goals").click()
    assert_accessible(page, "priorities")
    page.get_by_label("Priority (pillar)").fill("Trust of choice")
    page.get_by_role("button", name="Add priority").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Trust of choice").is_visible()
    page.get_by_role("link", name="Add a strategic goal").click()
    assert_accessible(page, "new goal")
