from django.urls import path

from growth.reporting import views as report_views

app_name = "reports"

urlpatterns = [
    path("team/", report_views.team_report, name="team"),
    path("school/", report_views.my_school_report, name="my_school"),
    path("schools/<uuid:public_id>/", report_views.school_report, name="school"),
    path("trust/", report_views.trust_report, name="trust"),
    path("trust/panel/", report_views.trust_panel, name="trust_panel"),
]
