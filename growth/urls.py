"""The composition root: the only module that names every app's URLs."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from growth import views

admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)  # same login and MFA as the app
admin.site.site_header = "Professional Growth administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.people, name="people"),
    path("people/<uuid:public_id>/", views.person, name="person"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("standards/", include("standards.urls")),
    path("objectives/", include("objectives.urls")),
    path("checkins/", include("checkins.urls")),
    path("reviews/", include("reviews.urls")),
]

# Reports (the dashboards): team, school and trust, composed from growth/reports.py.
urlpatterns.append(path("reports/", include("growth.report_urls")))

if settings.BENCHMARK_FLOOR:  # the benchmark's floor view (manage.py benchmark), never in prod
    from growth.report_views import bench_floor

    urlpatterns.append(path("bench/floor/", bench_floor, name="bench_floor"))
