"""The composition root: the only module that names every app's URLs."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from growth.domain import duties_views as views_duties
from growth.domain import people_views as views_people
from growth.domain import views
from growth.notifications import views as views_notifications

admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)  # same login and MFA as the app
admin.site.site_header = "Professional Growth administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/count/", views.inbox_count, name="inbox_count"),
    path("inbox/panel/", views.inbox_panel, name="inbox_panel"),
    path("notifications/", views_notifications.notifications, name="notifications"),
    path("notifications/read/", views_notifications.notifications_read, name="notifications_read"),
    path(
        "notifications/settings/",
        views_notifications.notification_settings,
        name="notification_settings",
    ),
    path("people/", views.people, name="people"),
    path("people/<uuid:public_id>/", views_people.person, name="person"),
    path("people/<uuid:public_id>/roles/", views_people.person_role_add, name="person_role_add"),
    path(
        "people/roles/<uuid:public_id>/end/",
        views_people.person_role_remove,
        name="person_role_end",
    ),
    path("people/<uuid:public_id>/details/", views_people.person_details, name="person_details"),
    path("people/<uuid:public_id>/invite/", views.person_invite, name="person_invite"),
    path("trust/import-staff/", views.staff_import_page, name="staff_import"),
    path("trust/staff-export/", views.staff_export, name="staff_export"),
    path("trust/settings/", views.trust_settings, name="trust_settings"),
    path("trust/cycles/", views.trust_cycles, name="trust_cycles"),
    path("trust/cycles/new/", views.trust_cycle_create, name="trust_cycle_create"),
    path("trust/cycles/<uuid:public_id>/", views.trust_cycle_edit, name="trust_cycle_edit"),
    path(
        "trust/cycles/<uuid:public_id>/next-year/", views.trust_cycle_next, name="trust_cycle_next"
    ),
    path("trust/new-year/", views.trust_new_year, name="trust_new_year"),
    path("trust/duties/", views_duties.trust_duties, name="trust_duties"),
    path(
        "trust/duties/<uuid:public_id>/revoke/",
        views_duties.trust_duty_revoke,
        name="trust_duty_revoke",
    ),
    path(
        "trust/duties/leaders/<uuid:public_id>/",
        views_duties.trust_leader_review,
        name="trust_leader_review",
    ),
    path("trust/priorities/", views.trust_priorities, name="trust_priorities"),
    path(
        "trust/priorities/<uuid:public_id>/",
        views.trust_priority_edit,
        name="trust_priority_edit",
    ),
    path("trust/goals/new/", views.trust_goal_create, name="trust_goal_create"),
    path("trust/goals/<uuid:public_id>/", views.trust_goal_edit, name="trust_goal_edit"),
    path("privacy/", include("growth.privacy.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("standards/", include("standards.urls")),
    path("objectives/", include("objectives.urls")),
    path("checkins/", include("checkins.urls")),
    path("reviews/", include("reviews.urls")),
    path("learning/", include("learning.urls")),
]

# Reports (the dashboards): team, school and trust, composed from growth/reporting/reports.py.
urlpatterns.append(path("reports/", include("growth.reporting.urls")))
