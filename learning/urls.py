from django.urls import path

from learning import views

app_name = "learning"

urlpatterns = [
    path("coaching/", views.coaching, name="coaching"),
    path("coaching/people/", views.coaching_overview, name="coaching_overview"),
    path("coaching/people/<uuid:public_id>/", views.coaching_person, name="coaching_person"),
    path("coaching/<uuid:public_id>/end/", views.coaching_end, name="coaching_end"),
    path("coaching/<uuid:public_id>/sessions/new/", views.session_new, name="session_new"),
    path("coaching/sessions/<uuid:public_id>/", views.session_edit, name="session_edit"),
    path("settings/", views.learning_settings, name="settings"),
    path("record/", views.record, name="record"),
    path("record/new/", views.entry_new, name="entry_new"),
    path("record/<uuid:public_id>/", views.entry_edit, name="entry_edit"),
    path("record/<uuid:public_id>/impact/", views.entry_impact, name="entry_impact"),
    path("record/team/", views.team_record, name="team_record"),
    path("record/school/", views.my_school_record, name="my_school_record"),
    path("record/schools/<uuid:public_id>/", views.school_record, name="school_record"),
    path("record/trust/", views.trust_record, name="trust_record"),
    path("resources/", views.resources, name="resources"),
    path("resources/new/", views.resource_new, name="resource_new"),
    path("resources/<uuid:public_id>/", views.resource, name="resource"),
    path("resources/<uuid:public_id>/edit/", views.resource_edit, name="resource_edit"),
    path("resources/<uuid:public_id>/remove/", views.resource_remove, name="resource_remove"),
    path("resources/<uuid:public_id>/download/", views.resource_file, name="resource_file"),
    path("plan-review/", views.plan_review, name="plan_review"),
    path("plan-review/<uuid:public_id>/", views.plan_review_detail, name="plan_review_detail"),
    path("plan-review/<uuid:public_id>/share/", views.plan_review_share, name="plan_review_share"),
    path(
        "plan-review/<uuid:public_id>/withdraw/",
        views.plan_review_withdraw,
        name="plan_review_withdraw",
    ),
    path("library/", views.library, name="library"),
    path("library/<uuid:public_id>/", views.library_entry, name="library_entry"),
]
