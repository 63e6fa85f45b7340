from django.contrib import admin

from growth.admin import TrustScopedAdmin
from reviews.models import JulyReflection, OutcomeKeyEntry, Review, SchoolZip, StatementPdf


@admin.register(Review)
class ReviewAdmin(TrustScopedAdmin):
    list_display = ["staff_member", "cycle", "reviewer", "status", "cell", "placed_outcome"]
    list_filter = ["status", "placed_outcome", "final_outcome"]
    # Reviews change only through the app's services (audited); the admin reads.
    readonly_fields = [f.name for f in Review._meta.fields]


@admin.register(OutcomeKeyEntry)
class OutcomeKeyEntryAdmin(TrustScopedAdmin):
    list_display = ["cell", "outcome"]


@admin.register(StatementPdf)
class StatementPdfAdmin(TrustScopedAdmin):
    list_display = ["review", "status", "content_hash", "render_ms", "created_at"]
    readonly_fields = [f.name for f in StatementPdf._meta.fields]


@admin.register(SchoolZip)
class SchoolZipAdmin(TrustScopedAdmin):
    list_display = ["school", "cycle", "status", "done", "total", "created_at"]
    readonly_fields = [f.name for f in SchoolZip._meta.fields]


@admin.register(JulyReflection)
class JulyReflectionAdmin(TrustScopedAdmin):
    list_display = ["staff_member", "cycle", "submitted_at"]
    readonly_fields = [f.name for f in JulyReflection._meta.fields]
