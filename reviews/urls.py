from django.urls import path

from reviews import pay_views, views

app_name = "reviews"

urlpatterns = [
    path("", views.index, name="index"),
    path("reflection/", views.reflection, name="reflection"),
    path("start/<uuid:public_id>/", views.start, name="start"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/placement/", views.placement, name="placement"),
    path("<uuid:public_id>/statement/", views.statement, name="statement"),
    path("<uuid:public_id>/autosave/", views.autosave, name="autosave"),
    path("<uuid:public_id>/versions/", views.versions, name="versions"),
    path("<uuid:public_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<uuid:public_id>/comment/", views.comment, name="comment"),
    path("<uuid:public_id>/pdf/", views.pdf_download, name="pdf"),
    path("<uuid:public_id>/pdf/status/", views.pdf_status, name="pdf_status"),
    path("<uuid:public_id>/decide/", views.decide, name="decide"),
    path("moderation/", views.moderation, name="moderation"),
    path("passed-to-you/", views.passed, name="passed"),
    path("moderation/zip/", views.zip_request, name="zip_request"),
    path("zips/<uuid:public_id>/", views.zip_status, name="zip_status"),
    path("zips/<uuid:public_id>/download/", views.zip_download, name="zip_download"),
    path("calibration/", views.calibration, name="calibration"),
    path("settings/key/", views.settings_key, name="settings_key"),
    path("settings/frames/", views.settings_frames, name="settings_frames"),
    path("settings/frames/<int:part>/<int:cell>/", views.settings_frame, name="settings_frame"),
    path("pay/", pay_views.pay, name="pay"),
    path("pay/trust/", pay_views.pay_trust, name="pay_trust"),
    path("pay/settings/", pay_views.pay_settings, name="pay_settings"),
    path("pay/<uuid:public_id>/decide/", pay_views.pay_decide, name="pay_decide"),
    path("upper-pay-scale/", pay_views.ups_mine, name="ups_mine"),
    path("upper-pay-scale/<uuid:public_id>/", pay_views.ups_detail, name="ups_detail"),
]
