"""A headteacher downloads all of a school's statements as one zip, built in the background
with progress shown."""

from __future__ import annotations

import io
import zipfile

from django.core.files.storage import default_storage

from reviews.models import SchoolZip
from tests.reviews_fixtures import placed_review


def test_it_builds_the_schools_zip_in_the_background_with_progress(
    world, client_for, django_capture_on_commit_callbacks
):
    placed_review(world, submit=True)
    placed_review(world, person=world.support, cell=9)
    placed_review(world, person=world.other_school_staff, cell=5)  # another school: not included
    client = client_for(world.head)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reviews/moderation/zip/", {"school": str(world.school.public_id)})
    assert response.status_code == 302
    status_url = response["Location"]
    page = client.get(status_url, HTTP_HX_REQUEST="true")
    assert b"Ready: 2 of 2 statements" in page.content
    bundle = SchoolZip.objects.for_trust(world.trust).get()
    assert bundle.percent == 100
    download = client.get(status_url + "download/")
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert len(archive.namelist()) == 2
    assert all(name.endswith(".pdf") for name in archive.namelist())
    with default_storage.open(bundle.file.name, "rb") as handle:
        assert handle.read(2) == b"PK"


def test_it_polls_while_the_zip_is_building(world, client_for):
    placed_review(world)
    client = client_for(world.head)
    # Without on-commit callbacks the task has not run yet.
    response = client.post("/reviews/moderation/zip/", {"school": str(world.school.public_id)})
    page = client.get(response["Location"])
    assert b"Queued" in page.content
    assert b'hx-trigger="load delay:1s"' in page.content
    assert client.get(response["Location"] + "download/").status_code == 404


def test_it_keeps_the_zip_to_the_schools_headteacher(world, client_for, other_world):
    placed_review(world)
    response = client_for(world.head).post(
        "/reviews/moderation/zip/", {"school": str(world.school.public_id)}
    )
    url = response["Location"]
    for person in (
        world.other_head,
        world.manager,
        world.staff,
        other_world.head,
        other_world.admin,
    ):
        assert client_for(person).get(url).status_code == 404, person
    # A headteacher cannot ask for another school's zip.
    assert (
        client_for(world.other_head)
        .post("/reviews/moderation/zip/", {"school": str(world.school.public_id)})
        .status_code
        == 404
    )
