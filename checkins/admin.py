from django.contrib import admin

from checkins import models as m
from growth.admin import TrustScopedAdmin


@admin.register(m.ThinkingTool)
class ThinkingToolAdmin(TrustScopedAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(m.ReminderLog)
class ReminderLogAdmin(TrustScopedAdmin):
    list_display = [
        "kind",
        "target_date",
        "recipient",
        "about",
        "claimed_at",
        "sent_at",
        "attempts",
    ]
    list_filter = ["kind", "sent_at"]
    readonly_fields = [f.name for f in m.ReminderLog._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
