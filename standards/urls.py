from django.urls import path

from standards import views

app_name = "standards"

urlpatterns = [
    path("", views.framework_list, name="framework_list"),
    path("frameworks/new/", views.framework_create, name="framework_create"),
    path("frameworks/upload/", views.framework_upload, name="framework_upload"),
    path("frameworks/<uuid:public_id>/publish/", views.framework_publish, name="framework_publish"),
    path("frameworks/<uuid:public_id>/", views.framework_detail, name="framework_detail"),
    path("frameworks/<uuid:public_id>/edit/", views.framework_edit, name="framework_edit"),
    path(
        "frameworks/<uuid:public_id>/standards/new/",
        views.standard_create,
        name="standard_create",
    ),
    path("standard/<uuid:public_id>/edit/", views.standard_edit, name="standard_edit"),
    path("standard/<uuid:public_id>/move/", views.standard_move, name="standard_move"),
    path("standard/<uuid:public_id>/delete/", views.standard_delete, name="standard_delete"),
    path("self-review/", views.my_self_review, name="my_self_review"),
    path("self-review/start/", views.self_review_start, name="self_review_start"),
    path("self-review/<uuid:public_id>/", views.self_review, name="self_review"),
    path("self-review/<uuid:public_id>/save/", views.self_review_save, name="self_review_save"),
    path(
        "self-review/<uuid:public_id>/comment/",
        views.self_review_comment,
        name="self_review_comment",
    ),
    path(
        "people/<uuid:public_id>/self-reviews/",
        views.person_self_reviews,
        name="person_self_reviews",
    ),
]
