from django.urls import path

from objectives import views

app_name = "objectives"

urlpatterns = [
    path("", views.my_plan, name="my_plan"),
    path("start/", views.plan_start, name="start"),
    path("team/", views.team, name="team"),
    path("team/panel/", views.team_panel, name="team_panel"),
    path("focus/", views.school_focus, name="school_focus"),
    path("bank/", views.bank, name="bank"),
    path("bank/<uuid:public_id>/", views.bank_phrase, name="bank_phrase"),
    path("plan/<uuid:public_id>/", views.plan_detail, name="plan"),
    path("plan/<uuid:public_id>/submit/", views.plan_submit, name="plan_submit"),
    path("plan/<uuid:public_id>/withdraw/", views.plan_withdraw, name="plan_withdraw"),
    path("plan/<uuid:public_id>/decide/", views.plan_decide, name="plan_decide"),
    path("plan/<uuid:public_id>/versions/", views.plan_versions, name="plan_versions"),
    path("plan/<uuid:public_id>/grow/", views.plan_grow, name="plan_grow"),
    path(
        "plan/<uuid:public_id>/grow/autosave/",
        views.plan_grow_autosave,
        name="plan_grow_autosave",
    ),
    path("objective/<uuid:public_id>/", views.objective_edit, name="objective"),
    path(
        "objective/<uuid:public_id>/carry-forward/",
        views.objective_carry_forward,
        name="objective_carry_forward",
    ),
    path("objective/<uuid:public_id>/preview/", views.objective_preview, name="objective_preview"),
]
