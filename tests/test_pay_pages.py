"""The pay pages (issue 17 parts 4 and 5): the school's pay table and its export are the
school's only, the trust's totals the trust admin's; the head confirms or amends a
recommendation in the browser's form; a teacher applies for the Upper Pay Scale once a year
and the head decides it; the same refusals reach anyone who posts directly."""

from __future__ import annotations

from django.urls import reverse

from growth.security.tenancy import trust_scope
from reviews import pay_services
from reviews.models import PayDecision, UpperPayApplication
from tests.pay_fixtures import decided_review, on_pay
from tests.test_upper_pay_scale_services import ANSWERS

PAY = reverse("reviews:pay")


def test_the_head_sees_their_schools_teachers_with_recommendations(world, client_for):
    on_pay(world, world.staff, "main", 3)
    decided_review(world)
    html = client_for(world.head).get(PAY).content.decode()
    assert world.staff.full_name in html and "M3" in html
    assert "Achieved expectations" in html and "Progress to the next point" in html
    assert world.other_school_staff.full_name not in html
    table = html.split("<table", 1)[1].split("</table>", 1)[0]
    assert world.head.full_name not in table  # not their own row


def test_the_pay_table_is_for_the_head_and_hr_only(world, client_for):
    for who in (world.staff, world.manager, world.support):
        assert client_for(who).get(PAY).status_code == 403


def test_a_head_cannot_open_another_schools_table(world, client_for):
    response = client_for(world.other_head).get(PAY, {"school": world.school.public_id})
    assert response.status_code == 404


def test_another_trusts_admin_cannot_open_this_trusts_school(world, other_world, client_for):
    response = client_for(other_world.admin).get(PAY, {"school": world.school.public_id})
    assert response.status_code == 404


def test_the_export_holds_the_schools_rows_only(world, client_for):
    on_pay(world, world.staff, "main", 3)
    on_pay(world, world.other_school_staff, "main", 2)
    response = client_for(world.head).get(PAY, {"export": "pay", "format": "csv"})
    assert response.status_code == 200
    body = response.content.decode()
    assert world.staff.full_name in body and "Overall rating" in body
    assert world.other_school_staff.full_name not in body
    xlsx = client_for(world.admin).get(
        PAY, {"school": world.other_school.public_id, "export": "pay", "format": "xlsx"}
    )
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_trust_admin_sees_every_schools_totals(world, other_world, client_for):
    on_pay(world, world.staff, "main", 3)
    decided_review(world)
    url = reverse("reviews:pay_trust")
    html = client_for(world.admin).get(url).content.decode()
    assert world.school.name in html and world.other_school.name in html
    assert other_world.school.name not in html
    csv = client_for(world.admin).get(url, {"export": "pay-totals", "format": "csv"})
    assert world.school.name in csv.content.decode()
    assert client_for(world.head).get(url).status_code == 403


def test_the_head_confirms_a_recommendation_in_the_form(world, client_for):
    on_pay(world, world.staff, "main", 3)
    review = decided_review(world)
    url = reverse("reviews:pay_decide", args=[review.public_id])
    assert client_for(world.head).get(url).status_code == 200
    response = client_for(world.head).post(url, {"outcome": "progress", "reason": ""})
    assert response.status_code == 302
    with trust_scope(world.trust):
        assert PayDecision.objects.get().decision == "confirmed"


def test_amending_without_a_reason_names_the_field(world, client_for):
    on_pay(world, world.staff, "main", 3)
    review = decided_review(world)
    url = reverse("reviews:pay_decide", args=[review.public_id])
    response = client_for(world.head).post(url, {"outcome": "hold", "reason": ""})
    assert response.status_code == 400
    assert "Amending the recommendation needs a reason" in response.content.decode()
    with trust_scope(world.trust):
        assert not PayDecision.objects.exists()


def test_posting_a_pay_decision_directly_is_refused_to_others(world, other_world, client_for):
    on_pay(world, world.staff, "main", 3)
    review = decided_review(world)
    url = reverse("reviews:pay_decide", args=[review.public_id])
    manager = client_for(world.manager).post(url, {"outcome": "progress"})
    assert manager.status_code == 403
    assert "You wrote this review as the reviewer" in manager.content.decode()
    assert client_for(world.staff).post(url, {"outcome": "progress"}).status_code == 404
    assert client_for(other_world.head).post(url, {"outcome": "progress"}).status_code == 404
    with trust_scope(world.trust):
        assert not PayDecision.objects.exists()


def test_a_teacher_applies_and_a_second_application_is_refused(world, client_for):
    on_pay(world, world.staff, "main", 6)
    url = reverse("reviews:ups_mine")
    client = client_for(world.staff)
    assert "Send my application" in client.get(url).content.decode()
    response = client.post(url, ANSWERS)
    assert response.status_code == 302
    again = client.post(url, ANSWERS)
    assert again.status_code == 400
    assert "one application each academic year" in again.content.decode()
    assert "you can apply again next year" in client.get(url).content.decode()


def test_a_missing_answer_names_the_criterion(world, client_for):
    on_pay(world, world.staff, "main", 6)
    response = client_for(world.staff).post(
        reverse("reviews:ups_mine"), {**ANSWERS, "wider_contribution": ""}
    )
    assert response.status_code == 400
    assert "Answer “Wider contribution”" in response.content.decode()


def test_the_head_decides_an_application_and_the_teacher_reads_the_reason(world, client_for):
    on_pay(world, world.staff, "main", 6)
    with trust_scope(world.trust):
        application = pay_services.ups_apply(actor=world.staff, cycle=world.cycle, answers=ANSWERS)
    url = reverse("reviews:ups_detail", args=[application.public_id])
    staff_post = client_for(world.staff).post(url, {"decision": "approve", "reason": "Me"})
    assert staff_post.status_code == 403
    response = client_for(world.head).post(
        url, {"decision": "approve", "reason": "Well evidenced."}
    )
    assert response.status_code == 302
    html = client_for(world.staff).get(url).content.decode()
    assert "Approved" in html and "Well evidenced." in html
    with trust_scope(world.trust):
        assert UpperPayApplication.objects.get().status == "approved"


def test_an_application_is_nobody_elses_business(world, other_world, client_for):
    on_pay(world, world.staff, "main", 6)
    with trust_scope(world.trust):
        application = pay_services.ups_apply(actor=world.staff, cycle=world.cycle, answers=ANSWERS)
    url = reverse("reviews:ups_detail", args=[application.public_id])
    assert client_for(world.colleague).get(url).status_code == 404
    assert client_for(other_world.head).get(url).status_code == 404
    assert client_for(world.manager).get(url).status_code == 403
