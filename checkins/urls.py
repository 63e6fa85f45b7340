from django.urls import path

from checkins import views

app_name = "checkins"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("team/", views.team, name="team"),
    path("growth-feedback/", views.growth_feedback_panel, name="growth_feedback_panel"),
    path("people/<uuid:public_id>/", views.person, name="person"),
    path("people/<uuid:public_id>/record/", views.record, name="record"),
    path("people/<uuid:public_id>/excuse/", views.excuse, name="excuse"),
    path("people/<uuid:public_id>/feedback/new/", views.feedback_new, name="feedback_new"),
    path("checkin/<uuid:public_id>/", views.detail, name="detail"),
    path("checkin/<uuid:public_id>/edit/", views.edit, name="edit"),
    path("checkin/<uuid:public_id>/evidence/", views.evidence_add, name="evidence_add"),
    path("evidence/<uuid:public_id>/", views.evidence, name="evidence"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/reset/", views.calendar_revoke, name="calendar_revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("observations/", views.observations, name="observations"),
    path("observations/peer-visits/", views.peer_visits, name="peer_visits"),
    path("observations/<uuid:public_id>/", views.observation, name="observation"),
    path("feedback/<uuid:public_id>/", views.feedback, name="feedback"),
]
