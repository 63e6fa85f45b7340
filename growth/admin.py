"""Django admin, scoped: a trust admin sees and edits only their own trust's rows; a platform
admin (superuser without a trust membership) sees every trust."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from growth import models as m
from growth.reporting.progress import progress_refresh
from growth.reporting.school_progress import school_progress_refresh_all_cycles
from growth.security.tenancy import TenantManager, trust_scope


def _refresh_progress(obj: Any) -> None:
    """An edit in the admin bypasses the services: the person it is about gets their progress
    summary worked out again, as a service would have done, and so does the school of a
    headteacher's role or of a person deleted."""
    person = obj if isinstance(obj, m.StaffMember) else getattr(obj, "staff_member", None)
    with trust_scope(obj.trust_id):
        if isinstance(person, m.StaffMember) and person.pk:
            progress_refresh(people=[person])
        if isinstance(obj, m.RoleAssignment) and obj.school_id:
            school_progress_refresh_all_cycles(trust_id=obj.trust_id, school_ids=[obj.school_id])
        if isinstance(obj, m.StaffMember) and obj.pk is None:
            school_progress_refresh_all_cycles(trust_id=obj.trust_id, school_ids=[obj.school_id])


class TrustScopedAdmin(admin.ModelAdmin):
    """Base admin for trust-owned models. Foreign-key choices are limited to the same trust."""

    def _trust_id(self, request: HttpRequest) -> int | None:
        staff = getattr(request, "staff", None)
        if staff is not None:
            return staff.trust_id
        # A platform admin works inside one trust at a time on a change or add form.
        return getattr(request, "admin_trust_id", None)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """A platform admin's forms run inside the trust of the row (or, to add one, the
        trust chosen first), so choices and saves stay inside that one trust."""
        if getattr(request, "staff", None) is not None or not request.user.is_superuser:
            return super().changeform_view(request, object_id, form_url, extra_context)
        trust_id: int | None = None
        if object_id:
            row = self.model._default_manager.unscoped().filter(pk=object_id).first()
            trust_id = row.trust_id if row else None
        else:
            chosen = request.GET.get("trust", "")
            if not chosen.isdigit() or not m.Trust.objects.filter(pk=chosen).exists():
                return TemplateResponse(
                    request,
                    "admin/growth/choose_trust.html",
                    {
                        **self.admin_site.each_context(request),
                        "opts": self.model._meta,
                        "title": f"Add {self.model._meta.verbose_name}: choose the trust",
                        "trusts": m.Trust.objects.order_by("name"),
                    },
                )
            trust_id = int(chosen)
        if trust_id is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        request.admin_trust_id = trust_id  # type: ignore[attr-defined]
        with trust_scope(trust_id):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if isinstance(response, TemplateResponse):
                response.render()
        return response

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        manager = self.model._default_manager
        trust_id = self._trust_id(request)
        if trust_id is None:
            if request.user.is_superuser and isinstance(manager, TenantManager):
                return manager.unscoped()
            return (
                manager.unscoped().none() if isinstance(manager, TenantManager) else manager.none()
            )
        return manager.for_trust(trust_id)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        trust_id = self._trust_id(request)
        related = db_field.related_model
        if isinstance(related._default_manager, TenantManager):
            if trust_id is not None:
                kwargs["queryset"] = related._default_manager.for_trust(trust_id)
            elif request.user.is_superuser:
                # The platform admin works across trusts; models' clean() (and services)
                # refuse a row that points into another trust.
                kwargs["queryset"] = related._default_manager.unscoped()
        if trust_id is not None and related is m.Trust:
            kwargs["queryset"] = m.Trust.objects.filter(pk=trust_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_filter(self, request: HttpRequest) -> Any:
        # A filter on a trust-owned relation lists its choices through the scoped manager,
        # which (rightly) refuses with no trust in scope: the platform admin filters by trust.
        filters = list(super().get_list_filter(request))
        if self._trust_id(request) is not None:
            return filters
        kept = []
        for name in filters:
            field = self.model._meta.get_field(name) if isinstance(name, str) else None
            related = getattr(field, "related_model", None)
            if related is None or not isinstance(related._default_manager, TenantManager):
                kept.append(name)
        return ["trust", *kept]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        trust_id = self._trust_id(request)
        if trust_id is not None:
            obj.trust_id = trust_id
        super().save_model(request, obj, form, change)
        _refresh_progress(obj)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        _refresh_progress(obj)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        exclude = list(super().get_exclude(request, obj) or [])
        if self._trust_id(request) is not None:
            exclude.append("trust")
        return exclude


@admin.register(m.Trust)
class TrustAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "require_mfa_for_leaders"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        staff = getattr(request, "staff", None)
        qs = super().get_queryset(request)
        return qs.filter(pk=staff.trust_id) if staff else qs

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser and getattr(request, "staff", None) is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser and getattr(request, "staff", None) is None

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change:  # a setting a school figure reads may have changed (as trust_settings_update)
            with trust_scope(obj.pk):
                school_progress_refresh_all_cycles(trust_id=obj.pk)


@admin.register(m.CareerStage)
class CareerStageAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "code"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser and getattr(request, "staff", None) is None

    has_add_permission = has_delete_permission = lambda self, request, obj=None: (
        request.user.is_superuser and getattr(request, "staff", None) is None
    )


@admin.register(m.School)
class SchoolAdmin(TrustScopedAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]


@admin.register(m.StaffMember)
class StaffMemberAdmin(TrustScopedAdmin):
    list_display = ["__str__", "school", "job_title", "category", "career_stage", "is_active"]
    list_filter = ["category", "school", "is_active"]
    search_fields = ["user__first_name", "user__last_name", "user__email"]
    list_select_related = ["user", "school", "career_stage"]
    raw_id_fields = ["user"]


@admin.register(m.RoleAssignment)
class RoleAssignmentAdmin(TrustScopedAdmin):
    list_display = ["staff_member", "role", "school"]
    list_select_related = ["staff_member__user", "school"]


class TrustScopedInline(admin.TabularInline):
    extra = 0
    exclude = ["trust"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        staff = getattr(request, "staff", None)
        manager = self.model._default_manager
        if staff is not None:
            return manager.for_trust(staff.trust_id)
        return manager.unscoped() if request.user.is_superuser else manager.unscoped().none()


class TermInline(TrustScopedInline):
    model = m.Term


class ClosureInline(TrustScopedInline):
    model = m.Closure
    extra = 0
    exclude = ["trust"]


@admin.register(m.GrowthCycle)
class GrowthCycleAdmin(TrustScopedAdmin):
    list_display = ["name", "start_date", "end_date", "objectives_deadline"]
    inlines = [TermInline, ClosureInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for obj in formset.save(commit=False):
            obj.trust_id = form.instance.trust_id
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(m.TrustPriority)
class TrustPriorityAdmin(TrustScopedAdmin):
    list_display = ["name", "order"]


@admin.register(m.StrategicGoal)
class StrategicGoalAdmin(TrustScopedAdmin):
    list_display = ["title", "priority", "school", "cycle"]


@admin.register(m.AuditEvent)
class AuditEventAdmin(TrustScopedAdmin):
    """Read-only: audit rows cannot be edited through the app."""

    list_display = ["at", "actor", "action", "object_type", "subject"]
    list_filter = ["action", "object_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
