"""The resources hub: trust admins and heads publish links, checked files and pages of text;
everyone finds them by full-text search (PostgreSQL) or its SQLite fallback and by tag, and
sees the ones that fit their objectives."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from growth.security.tenancy import trust_scope
from learning import selectors, services
from learning.models import Resource
from learning.selectors import ResourceFilters
from objectives import services as objective_services
from objectives.models import Area
from objectives.selectors import sorted_objectives
from standards.models import Standard
from tests.standards_fixtures import install_shipped_standards


def publish(world, title, *, actor=None, **fields):
    data = {"format": Resource.Format.PAGE, "body": "Read this.", **fields}
    with trust_scope(world.trust):
        return services.resource_publish(
            actor=actor or world.admin, data=services.ResourceData(title=title, **data)
        )


def search(world, vendor=None, **filters):
    with trust_scope(world.trust):
        found = selectors.resources_search(
            trust_id=world.trust.pk, filters=ResourceFilters(**filters), vendor=vendor
        )
        return [r.title for r in found]


@pytest.fixture
def library(world):
    publish(
        world,
        "Coaching conversations that work",
        summary="The GROW model in ten minutes",
        area=Area.OTHERS,
    )
    publish(
        world,
        "Retrieval practice starter pack",
        body="Low-stakes quizzes help pupils remember what they were taught.",
        area=Area.SELF,
        category="teaching",
        phase="secondary",
    )
    publish(
        world, "Managing a budget", body="Spreadsheets for business managers.", category="support"
    )
    return world


def test_postgres_full_text_search_stems_words_and_ranks_the_title_first(library):
    assert search(library, query="coach") == ["Coaching conversations that work"]
    assert search(library, query="remembering quizzes") == ["Retrieval practice starter pack"]
    assert search(library, query="pupils -quizzes") == []


def test_the_sqlite_fallback_matches_every_word_anywhere(library):
    assert search(library, vendor="sqlite", query="GROW model") == [
        "Coaching conversations that work"
    ]
    assert search(library, vendor="sqlite", query="low-stakes QUIZ") == [
        "Retrieval practice starter pack"
    ]
    assert search(library, vendor="sqlite", query="quiz budget") == []


def test_tags_filter_with_or_without_words(library):
    assert search(library, area=Area.SELF) == ["Retrieval practice starter pack"]
    assert search(library, category="support") == ["Managing a budget"]
    assert search(library, phase="secondary", query="quizzes") == [
        "Retrieval practice starter pack"
    ]
    assert search(library, area=Area.OTHERS, query="quizzes") == []


def test_a_standard_tag_finds_its_resources(world):
    install_shipped_standards()
    standard = Standard.objects.unscoped().get(framework__code="teachers-standards", code="2")
    publish(world, "Progress and outcomes reading list", standards=[standard])
    publish(world, "Something else entirely")
    assert search(world, standard=standard) == ["Progress and outcomes reading list"]


def test_a_person_sees_resources_that_fit_their_objectives(world, client_for):
    install_shipped_standards()
    standard = Standard.objects.unscoped().get(framework__code="teachers-standards", code="2")
    publish(world, "Progress and outcomes reading list", standards=[standard])
    publish(world, "Only for support staff", area=Area.SELF, category="support")
    publish(world, "Nothing to do with Sam")
    with trust_scope(world.trust):
        plan = objective_services.plan_start(
            actor=world.staff, staff=world.staff, cycle=world.cycle
        )
        objective = sorted_objectives(plan)[0]
        objective_services.objective_update(
            actor=world.staff,
            objective=objective,
            to_text="raise attainment",
            through=[],
            in_order_to=[],
            by_date=None,
            success_criteria="",
            priority=None,
            standards=[standard],
        )
    body = client_for(world.staff).get(reverse("learning:resources")).content.decode()
    mine = body.split('id="mine-heading"')[1].split("</section>")[0]
    assert "Progress and outcomes reading list" in mine
    assert "Only for support staff" not in mine and "Nothing to do with Sam" not in mine


def test_everyone_in_the_trust_finds_resources_through_the_page(library, client_for):
    for role in ("staff", "support", "other_school_staff"):
        response = client_for(library.everyone[role]).get(
            reverse("learning:resources"), {"q": "coaching"}
        )
        assert "Coaching conversations that work" in response.content.decode()
        assert "Retrieval practice starter pack" not in response.content.decode()


@pytest.mark.parametrize("role", ["staff", "manager", "colleague"])
def test_only_trust_admins_and_heads_publish(world, client_for, role):
    client = client_for(world.everyone[role])
    assert client.get(reverse("learning:resource_new")).status_code == 403
    post = client.post(
        reverse("learning:resource_new"), {"title": "X", "format": "page", "body": "Y"}
    )
    assert post.status_code == 403


def test_a_head_publishes_a_checked_file_that_colleagues_download(world, client_for):
    pdf = SimpleUploadedFile("guide.pdf", b"%PDF-1.4 a guide", content_type="application/pdf")
    response = client_for(world.head).post(
        reverse("learning:resource_new"),
        {"title": "Feedback guide", "format": "file", "file": pdf},
    )
    assert response.status_code == 302
    with trust_scope(world.trust):
        item = Resource.objects.get(title="Feedback guide")
    download = client_for(world.support).get(
        reverse("learning:resource_file", args=[item.public_id])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_a_file_that_is_not_what_its_name_says_is_refused_naming_the_file(world, client_for):
    fake = SimpleUploadedFile("guide.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client_for(world.admin).post(
        reverse("learning:resource_new"),
        {"title": "Feedback guide", "format": "file", "file": fake},
    )
    assert response.status_code == 400
    assert "File" in response.content.decode()
    with trust_scope(world.trust):
        assert not Resource.objects.exists()


def test_a_link_needs_its_address(world, client_for):
    response = client_for(world.admin).post(
        reverse("learning:resource_new"), {"title": "A link", "format": "link"}
    )
    assert response.status_code == 400 and "Give the link." in response.content.decode()


def test_a_head_changes_only_their_own_resources(world, client_for):
    theirs = publish(world, "HR's own guide", actor=world.admin)
    mine = publish(world, "Head's guide", actor=world.head)
    client = client_for(world.head)
    assert client.get(reverse("learning:resource_edit", args=[theirs.public_id])).status_code == 403
    assert client.get(reverse("learning:resource_edit", args=[mine.public_id])).status_code == 200
    assert (
        client.post(reverse("learning:resource_remove", args=[mine.public_id])).status_code == 302
    )


def test_another_trust_gets_404(world, other_world, client_for):
    item = publish(world, "Alpha's private guide")
    client = client_for(other_world.admin)
    for name in ("learning:resource", "learning:resource_edit", "learning:resource_file"):
        assert client.get(reverse(name, args=[item.public_id])).status_code == 404
    body = client.get(reverse("learning:resources"), {"q": "private"}).content.decode()
    assert "Alpha's private guide" not in body
