"""The standards pages: descriptors browser, and trust admins editing their own frameworks."""

from __future__ import annotations

import pytest

from growth.models import AuditEvent
from growth.security.tenancy import trust_scope
from standards.models import Descriptor, Framework, Standard
from standards.services import framework_publish, framework_save, standard_save
from tests.standards_fixtures import shipped_standards  # noqa: F401

pytestmark = pytest.mark.usefixtures("shipped_standards")


def teachers() -> Framework:
    return Framework.objects.unscoped().get(code="teachers-standards")


def own_framework(world) -> Framework:
    with trust_scope(world.trust):
        framework = framework_save(
            actor=world.admin,
            framework=None,
            code="ours",
            name="Alpha support standards",
            applies_to=["support"],
        )
        standard_save(
            actor=world.admin, framework=framework, standard=None, code="1", text="Be kind."
        )
        framework_publish(actor=world.admin, framework=framework)
    return framework


def test_it_lists_shared_frameworks_and_the_trusts_own_only(world, other_world, client_for):
    own_framework(world)
    page = client_for(world.staff).get("/standards/").content.decode()
    assert "Teachers&#x27; Standards" in page and "Thinking Customer First" in page
    assert "Alpha support standards" in page
    other = client_for(other_world.admin).get("/standards/").content.decode()
    assert "Alpha support standards" not in other


def test_a_teacher_sees_their_stage_beside_the_next(world, client_for):
    # world.staff is on MPR: the next stage is UPR 1.
    page = client_for(world.staff).get(f"/standards/frameworks/{teachers().public_id}/")
    body = page.content.decode()
    assert "Descriptors for MPR and UPR 1" in body
    assert "Confidently fulfil the statements for ECT 1 and 2." in body  # MPR preamble
    assert "Ensure there is, at all times, a positive, stimulating environment" in body
    assert "Oversee target setting and monitor predictions" in body  # 1.2 at UPR 1
    assert "Print this page" in body


def test_it_filters_by_standard_and_stage(world, client_for):
    client = client_for(world.staff)
    body = client.get(
        f"/standards/frameworks/{teachers().public_id}/", {"standard": "7", "stage": "ect1"}
    ).content.decode()
    assert "Descriptors for ECT 1 and ECT 2" in body
    assert "Implement the school policy for behaviour;" in body  # 7.2 at ECT 1
    assert "Ensure there is, at all times" not in body  # standard 1 filtered out
    # 7.2 has no ECT 2 statements in the seed: the empty cell says so.
    assert "No statements at this stage." in body


def test_the_last_stage_has_no_next(world, client_for):
    body = (
        client_for(world.head)
        .get(f"/standards/frameworks/{teachers().public_id}/")
        .content.decode()
    )
    assert "Descriptors for Assistant/Deputy Head</caption>" in body


def test_a_trusts_own_framework_is_a_404_for_another_trust(world, other_world, client_for):
    framework = own_framework(world)
    standard = Standard.objects.unscoped().get(framework=framework)
    for person in other_world.everyone.values():
        client = client_for(person)
        assert client.get(f"/standards/frameworks/{framework.public_id}/").status_code == 404
        assert client.get(f"/standards/frameworks/{framework.public_id}/edit/").status_code == 404
        assert client.get(f"/standards/standard/{standard.public_id}/edit/").status_code == 404
        response = client.post(f"/standards/standard/{standard.public_id}/delete/")
        assert response.status_code == 404
    assert Standard.objects.unscoped().filter(pk=standard.pk).exists()


def test_only_trust_admins_edit_and_never_a_shared_framework(world, client_for):
    framework = own_framework(world)
    assert (
        client_for(world.staff)
        .get(f"/standards/frameworks/{framework.public_id}/edit/")
        .status_code
        == 403
    )
    assert client_for(world.head).get("/standards/frameworks/new/").status_code == 403
    admin = client_for(world.admin)
    assert admin.get(f"/standards/frameworks/{teachers().public_id}/edit/").status_code == 403
    one_one = Standard.objects.unscoped().get(framework=teachers(), code="1.1")
    assert admin.post(f"/standards/standard/{one_one.public_id}/delete/").status_code == 403
    assert Standard.objects.unscoped().filter(pk=one_one.pk).exists()


def test_a_trust_admin_builds_a_framework_in_the_browser(world, client_for):
    admin = client_for(world.admin)
    response = admin.post(
        "/standards/frameworks/new/",
        {"code": "site-team", "name": "Site team standards", "applies_to": ["support"], "order": 5},
    )
    framework = Framework.objects.unscoped().get(code="site-team")
    assert framework.trust == world.trust
    assert response["Location"] == f"/standards/frameworks/{framework.public_id}/edit/"
    new = f"/standards/frameworks/{framework.public_id}/standards/new/"
    admin.post(new, {"code": "1", "text": "Keep the site safe."})
    admin.post(new, {"code": "2", "text": "Be helpful."})
    one = Standard.objects.unscoped().get(framework=framework, code="1")
    admin.post(new, {"code": "1a", "text": "Check the gates.", "parent": one.pk})
    two = Standard.objects.unscoped().get(framework=framework, code="2")
    admin.post(f"/standards/standard/{two.public_id}/move/", {"direction": "up"})
    codes = list(
        Standard.objects.unscoped()
        .filter(framework=framework)
        .order_by("order")
        .values_list("code", flat=True)
    )
    assert codes == ["2", "1", "1a"]
    response = admin.post(
        f"/standards/standard/{one.public_id}/edit/",
        {
            "code": "1",
            "text": "Keep the whole site safe.",
            "d-mpr": "Walk the site daily.\nReport hazards.",
            "d-ect1-empty": "on",
        },
    )
    assert response.status_code == 302
    one.refresh_from_db()
    assert one.text == "Keep the whole site safe."
    cells = {
        d.career_stage.code: d.statements
        for d in Descriptor.objects.unscoped().filter(standard=one).select_related("career_stage")
    }
    assert cells == {"mpr": ["Walk the site daily.", "Report hazards."], "ect1": []}
    assert (
        AuditEvent.objects.for_trust(world.trust).filter(action__startswith="standard.").count()
        >= 5
    )
    edit_page = admin.get(f"/standards/frameworks/{framework.public_id}/edit/").content.decode()
    assert "Keep the whole site safe." in edit_page


def test_bad_framework_input_is_refused_with_the_field_named(world, client_for):
    framework = own_framework(world)
    admin = client_for(world.admin)
    response = admin.post(
        "/standards/frameworks/new/", {"code": "ours", "name": "Again", "order": 1}
    )
    assert response.status_code == 400
    assert "Your trust already has a framework with this code." in response.content.decode()
    response = admin.post(
        f"/standards/frameworks/{framework.public_id}/standards/new/", {"code": "1", "text": ""}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required." in body
    assert Standard.objects.unscoped().filter(framework=framework).count() == 1
    response = admin.post(
        f"/standards/frameworks/{framework.public_id}/standards/new/", {"code": "1", "text": "x"}
    )
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
