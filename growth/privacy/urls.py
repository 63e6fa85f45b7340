"""Data protection pages (trust admins). Included from growth/urls.py under /privacy/."""

from django.urls import path

from growth.privacy import views as v

urlpatterns = [
    path("people/<uuid:public_id>/", v.person_privacy, name="privacy_person"),
    path("people/<uuid:public_id>/export/", v.person_export, name="privacy_person_export"),
    path("people/<uuid:public_id>/leave/", v.person_leave, name="privacy_person_leave"),
    path("exports/", v.exports, name="privacy_exports"),
    path("exports/<uuid:public_id>/", v.export_detail, name="privacy_export"),
    path("exports/<uuid:public_id>/release/", v.export_release, name="privacy_export_release"),
    path("exports/<uuid:public_id>/withdraw/", v.export_withdraw, name="privacy_export_withdraw"),
    path("exports/<uuid:public_id>/download/", v.export_download, name="privacy_export_download"),
    path("retention/", v.retention, name="privacy_retention"),
]
