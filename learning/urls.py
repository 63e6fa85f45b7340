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
]
