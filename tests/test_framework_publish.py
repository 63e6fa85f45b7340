"""A trust's own framework is uploaded (YAML or JSON) or built in the browser as a draft that
nobody's self-review uses, and published by a trust admin, never while it is empty."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from growth.models import AuditEvent
from growth.security.tenancy import trust_scope
from standards.models import Framework
from standards.selectors import framework_for
from tests.standards_fixtures import shipped_standards  # noqa: F401

pytestmark = pytest.mark.usefixtures("shipped_standards")

EXAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "example_framework.yaml"
UPLOAD = "/standards/frameworks/upload/"


def _upload(client, name: str, content: bytes):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


def _uploaded(world) -> Framework:
    return Framework.objects.unscoped().get(trust=world.trust)


def test_an_uploaded_framework_is_a_draft_nobody_uses_until_published(world, client_for):
    admin = client_for(world.admin)
    response = _upload(admin, "ours.yaml", EXAMPLE.read_bytes())
    framework = _uploaded(world)
    assert response.status_code == 302
    assert response["Location"] == f"/standards/frameworks/{framework.public_id}/edit/"
    assert framework.is_draft
    with trust_scope(world.trust):
        assert framework_for(staff=world.support).code == "thinking-customer-first"
    # Staff neither see the draft listed nor open it; the trust admin sees it marked.
    assert framework.name not in client_for(world.support).get("/standards/").content.decode()
    detail = f"/standards/frameworks/{framework.public_id}/"
    assert client_for(world.support).get(detail).status_code == 404
    assert "Draft, not used yet" in admin.get("/standards/").content.decode()

    response = admin.post(f"/standards/frameworks/{framework.public_id}/publish/", follow=True)
    assert f"{framework.name} is published" in response.content.decode()
    framework.refresh_from_db()
    assert not framework.is_draft
    with trust_scope(world.trust):
        assert framework_for(staff=world.support) == framework
        assert AuditEvent.objects.filter(action="framework.publish").count() == 1


def test_an_empty_framework_is_refused_publication(world, client_for):
    admin = client_for(world.admin)
    admin.post(
        "/standards/frameworks/new/",
        {"code": "empty", "name": "Empty standards", "applies_to": ["support"], "order": 5},
    )
    framework = _uploaded(world)
    assert framework.is_draft
    response = admin.post(f"/standards/frameworks/{framework.public_id}/publish/", follow=True)
    assert "Empty standards has no standards yet" in response.content.decode()
    framework.refresh_from_db()
    assert framework.is_draft
    with trust_scope(world.trust):
        assert framework_for(staff=world.support).code == "thinking-customer-first"


def test_a_json_file_loads_too(world, client_for):
    body = (
        b'{"code": "site", "name": "Site team", "applies_to": ["support"],'
        b' "standards": [{"code": "1", "text": "Keep the site safe."}]}'
    )
    assert _upload(client_for(world.admin), "site.json", body).status_code == 302
    assert _uploaded(world).name == "Site team"


def test_a_bad_file_is_refused_with_its_problems_named_and_nothing_saved(world, client_for):
    admin = client_for(world.admin)
    response = _upload(admin, "bad.yaml", b"code: Bad Code\nname: x\nstandards: []\n")
    assert response.status_code == 400
    assert "code" in response.content.decode()
    response = _upload(admin, "bad.yaml", b"code: [unclosed\n")
    assert response.status_code == 400 and "not valid YAML" in response.content.decode()
    response = _upload(admin, "notes.txt", b"hello")
    assert response.status_code == 400
    assert "That type of file is not accepted" in response.content.decode()
    assert not Framework.objects.unscoped().filter(trust=world.trust).exists()


def test_only_trust_admins_upload_or_publish(world, client_for):
    assert client_for(world.head).get(UPLOAD).status_code == 403
    assert _upload(client_for(world.staff), "ours.yaml", EXAMPLE.read_bytes()).status_code == 403
    _upload(client_for(world.admin), "ours.yaml", EXAMPLE.read_bytes())
    framework = _uploaded(world)
    publish = f"/standards/frameworks/{framework.public_id}/publish/"
    assert client_for(world.head).post(publish).status_code in (403, 404)
    framework.refresh_from_db()
    assert framework.is_draft


CSV = (
    "Code,Text,Title,Parent\n"
    "1,Put customers first.,Trusted,\n"
    "1a,Answer queries the same day.,,1\n"
    "2,Find solutions.,Solution focused,\n"
)


def test_a_csv_file_loads_with_the_name_and_staff_given_on_the_form(world, client_for):
    response = client_for(world.admin).post(
        UPLOAD,
        {
            "file": SimpleUploadedFile("office.csv", CSV.encode()),
            "name": "Office standards",
            "applies_to": ["support", "central"],
        },
    )
    assert response.status_code == 302
    framework = _uploaded(world)
    assert (framework.name, framework.applies_to, framework.is_draft) == (
        "Office standards",
        ["support", "central"],
        True,
    )
    with trust_scope(world.trust):
        standards = {s.code: s for s in framework.standards.all()}
    assert standards["1a"].parent == standards["1"] and standards["2"].title == "Solution focused"


def test_a_csv_file_needs_a_name_and_its_parents_above_their_children(world, client_for):
    admin = client_for(world.admin)
    response = admin.post(UPLOAD, {"file": SimpleUploadedFile("office.csv", CSV.encode())})
    assert response.status_code == 400
    assert "Give the framework a name" in response.content.decode()
    backwards = "code,text,parent\n1a,Child first.,1\n1,Parent.,\n"
    response = admin.post(
        UPLOAD,
        {
            "file": SimpleUploadedFile("office.csv", backwards.encode()),
            "name": "Office",
            "applies_to": ["support"],
        },
    )
    assert response.status_code == 400
    assert "line 2: parent &#x27;1&#x27; is not a standard above it" in response.content.decode()
    assert not Framework.objects.unscoped().filter(trust=world.trust).exists()
