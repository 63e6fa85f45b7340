"""Every read of a review or its statement by someone other than its subject is recorded."""

from django.urls import reverse

from growth.models import AuditEvent
from growth.security.tenancy import trust_scope
from tests.records.reviews import populate


def read_events(world, subject):
    with trust_scope(world.trust):
        return list(
            AuditEvent.objects.filter(subject=subject, action__endswith=".read").values_list(
                "actor_id", "action"
            )
        )


def test_it_records_the_head_reading_a_review_and_not_the_person_themselves(world, client_for):
    with trust_scope(world.trust):
        populate(world)
        from reviews.models import Review

        review = Review.objects.filter(staff_member=world.staff).first()
    url = reverse("reviews:detail", kwargs={"public_id": review.public_id})
    assert client_for(world.head).get(url).status_code == 200
    assert (world.head.user_id, "reviews.review.read") in read_events(world, world.staff)
    before = len(read_events(world, world.staff))
    client_for(world.staff).get(url)
    assert len(read_events(world, world.staff)) == before
