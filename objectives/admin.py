"""Admin for the objectives app: read-mostly views of plans; the shared reference data
(bank, examples, checklist) is loaded from fixtures and edited by trusts in the app."""

from django.contrib import admin

from growth.admin import TrustScopedAdmin
from objectives.models import (
    ChecklistQuestion,
    ExampleObjective,
    GrowthPlan,
    Objective,
    ObjectiveBankPhrase,
    PlanVersion,
    SchoolFocus,
)


class ObjectiveInline(admin.StackedInline):
    model = Objective
    extra = 0
    can_delete = False
    readonly_fields = ["area"]


@admin.register(GrowthPlan)
class GrowthPlanAdmin(TrustScopedAdmin):
    list_display = ["staff_member", "cycle", "state", "version", "agreed_version"]
    list_filter = ["state"]
    readonly_fields = ["state", "version", "agreed_by", "agreed_at", "agreed_version"]
    inlines = [ObjectiveInline]


@admin.register(PlanVersion)
class PlanVersionAdmin(TrustScopedAdmin):
    list_display = ["plan", "number", "state", "agreed_by", "agreed_at"]
    readonly_fields = ["snapshot"]


@admin.register(SchoolFocus)
class SchoolFocusAdmin(TrustScopedAdmin):
    list_display = ["school", "cycle", "goal"]


@admin.register(ObjectiveBankPhrase, ExampleObjective, ChecklistQuestion)
class SharedReferenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "trust"]

    def has_module_permission(self, request) -> bool:  # platform admins only
        return request.user.is_superuser
