"""A trust admin sets the trust's pay progression mapping (seed 003: decided outcome to overall
rating and pay recommendation) on its settings page; nobody else may."""

from __future__ import annotations

from growth.models import AuditEvent
from growth.security.tenancy import trust_scope
from reviews.pay_selectors import pay_mapping

URL = "/reviews/pay/settings/"


def posted(**changes: str) -> dict[str, str]:
    data = {
        "rating_exceeded": "exceptional",
        "recommendation_exceeded": "progress",
        "rating_met": "achieved",
        "recommendation_met": "progress",
        "rating_partially_met": "achieved",
        "recommendation_partially_met": "refer",
        "rating_not_met": "not_met",
        "recommendation_not_met": "refer",
    }
    return {**data, **changes}


def test_a_trust_admin_changes_what_partially_met_recommends_and_it_is_audited(world, client_for):
    admin = client_for(world.admin)
    page = admin.get(URL)
    assert page.status_code == 200
    assert "Partially met: recommendation" in page.content.decode()
    response = admin.post(URL, posted(recommendation_partially_met="progress"), follow=True)
    assert "The pay progression mapping is saved." in response.content.decode()
    with trust_scope(world.trust):
        assert pay_mapping(trust=world.trust)["partially_met"] == ("achieved", "progress")
        assert AuditEvent.objects.filter(action="reviews.pay_mapping.update").count() == 1


def test_an_unknown_choice_is_refused_naming_the_field_and_nothing_changes(world, client_for):
    response = client_for(world.admin).post(URL, posted(rating_met="generous"))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    with trust_scope(world.trust):
        assert pay_mapping(trust=world.trust)["met"] == ("achieved", "progress")


def test_only_a_trust_admin_may_open_it(world, client_for):
    assert client_for(world.head).get(URL).status_code == 403
    assert client_for(world.staff).post(URL, posted()).status_code == 403
