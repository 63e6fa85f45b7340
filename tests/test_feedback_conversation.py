"""Feedback conversations (seed 004 appendix F): praise linked to a previous action step, a
probing question, the next action step with its level of support, plan ahead with a timeline,
and lock it in, confirmed by both."""

from __future__ import annotations

from django.urls import reverse

from checkins.models import FeedbackConversation
from growth.security.tenancy import trust_scope

DATA = {
    "held_on": "2026-11-11",
    "praise": "The students were really focused during your explanation.",
    "probing_question": "What was the impact of your modelling on the quality of the work?",
    "next_action_step": "Share expert thinking out loud.",
    "support_level": "4",
    "plan_ahead": "Model one paragraph in each lesson next week.",
    "timeline": "2026-11-18",
    "lock_in_i_am": "sharing my expert thinking out loud",
    "lock_in_so_that": "really understand what success looks like for that piece of writing",
}


def test_it_records_the_conversation_and_locks_it_in_when_both_confirm(world, client_for):
    new = reverse("checkins:feedback_new", kwargs={"public_id": world.staff.public_id})
    coach = client_for(world.manager)
    form = coach.get(new)
    assert b"always offer at least two possible courses of action" in form.content
    response = coach.post(new, DATA)
    assert response.status_code == 302
    with trust_scope(world.trust):
        conversation = FeedbackConversation.objects.get()
    assert conversation.lock_in == (
        "By next week I am sharing my expert thinking out loud so that the students really "
        "understand what success looks like for that piece of writing"
    )
    assert conversation.confirmed_by_coach_at and not conversation.is_locked_in
    colleague = client_for(world.staff)
    page = colleague.get(response.url)
    assert b"Confirm this next step" in page.content
    # Seed 004, lock it in: "asking them to summarise the feedback ... Get them to write it
    # down." Confirming without the colleague's own summary is refused.
    refused = colleague.post(response.url)
    assert refused.status_code == 400
    assert b"summarise the feedback and the next action you will take" in refused.content
    conversation.refresh_from_db()
    assert not conversation.is_locked_in
    summary = "Model my thinking aloud when I write in front of Year 8, starting Monday."
    colleague.post(response.url, {"colleague_summary": summary})
    conversation.refresh_from_db()
    assert conversation.is_locked_in
    assert conversation.colleague_summary == summary
    assert summary.encode() in coach.get(response.url).content
    # The next conversation's praise links to this action step.
    second = coach.post(
        new,
        {**DATA, "held_on": "2026-11-25", "timeline": "2026-12-02", "previous": conversation.pk},
    )
    assert second.status_code == 302, second.context["form"].errors
    with trust_scope(world.trust):
        assert FeedbackConversation.objects.get(held_on="2026-11-25").previous == conversation


def test_it_names_the_missing_part_and_keeps_the_rest(world, client_for):
    new = reverse("checkins:feedback_new", kwargs={"public_id": world.staff.public_id})
    response = client_for(world.manager).post(new, {**DATA, "support_level": "5", "praise": ""})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert b"sharing my expert thinking out loud" in response.content


def test_it_is_private_to_the_two_people_and_those_above(world, client_for):
    new = reverse("checkins:feedback_new", kwargs={"public_id": world.staff.public_id})
    url = client_for(world.manager).post(new, DATA).url
    assert client_for(world.head).get(url).status_code == 200
    assert client_for(world.colleague).get(url).status_code == 404
    assert (
        client_for(world.staff)
        .get(reverse("checkins:feedback_new", kwargs={"public_id": world.staff.public_id}))
        .status_code
        == 403
    )
