"""Admin: shared frameworks are platform data (platform admins only); trust admins edit their own
frameworks in the app's framework editor, and self-reviews are read here, never edited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from growth.admin import TrustScopedAdmin
from standards.models import Descriptor, Framework, SelfReview, SelfReviewComment, Standard


def _platform_admin(request: HttpRequest) -> bool:
    return request.user.is_superuser and getattr(request, "staff", None) is None


class PlatformOnlyAdmin(admin.ModelAdmin):
    def get_queryset(self, request: HttpRequest) -> Any:
        return (
            self.model.objects.unscoped() if _platform_admin(request) else self.model.objects.none()
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _platform_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _platform_admin(request)

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


class StandardInline(admin.TabularInline):
    model = Standard
    fields = ["order", "code", "alt_code", "label", "part", "parent", "title", "text"]
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(PlatformOnlyAdmin):
    list_display = ["name", "code", "trust", "order"]
    list_filter = ["trust"]
    inlines = [StandardInline]


@admin.register(Descriptor)
class DescriptorAdmin(PlatformOnlyAdmin):
    list_display = ["standard", "career_stage"]
    list_filter = ["standard__framework", "career_stage"]


class CommentInline(admin.TabularInline):
    model = SelfReviewComment
    fields = ["author", "standard", "text", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(SelfReview)
class SelfReviewAdmin(TrustScopedAdmin):
    list_display = ["staff_member", "cycle", "framework", "state", "shared_at"]
    list_filter = ["state", "cycle"]
    readonly_fields = ["staff_member", "cycle", "framework", "state", "shared_at"]
    inlines = [CommentInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
