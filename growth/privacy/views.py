"""Trust admin pages for data protection: a person's audit trail, subject access and
whole-trust exports (request → built → reviewed/released → download), marking a leaver, and
the retention dry-run report. Every page is for trust admins only (403 for other roles of the
trust, 404 for a person or export of another trust)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from growth.domain.forms import DateField
from growth.domain.text import LimitedForm
from growth.models import AuditEvent, DataExport, RetentionRun
from growth.privacy import services as privacy
from growth.security.access import access_staff_member, get_in_trust_or_404, require_role


class LeaverForm(LimitedForm):
    leave_date = DateField(label="Leave date", initial=timezone.localdate)

    def __init__(self, *args, subject=None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.subject = subject

    def clean_leave_date(self) -> dt.date:
        value = self.cleaned_data["leave_date"]
        if self.subject is not None and value < self.subject.start_date:
            raise ValidationError("The leave date is before the person's start date.")
        return value


@login_required
def person_privacy(request: HttpRequest, public_id: str) -> HttpResponse:
    """A person's audit trail (everything done to or by them), with their exports and the
    leaver form."""
    subject = access_staff_member(request, public_id)  # 404 first: another trust, a stranger
    admin = require_role(request, trust_admin=True)
    events = (
        AuditEvent.objects.for_trust(admin.trust_id)
        .filter(subject=subject)
        .select_related("actor")
        .order_by("-at", "-pk")
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    exports = DataExport.objects.for_trust(admin.trust_id).filter(subject=subject)
    return render(
        request,
        "growth/privacy/person.html",
        {
            "subject": subject,
            "page": page,
            "exports": exports,
            "leaver_form": LeaverForm(subject=subject),
        },
    )


@login_required
@require_POST
def person_export(request: HttpRequest, public_id: str) -> HttpResponse:
    subject = access_staff_member(request, public_id)  # 404 first: another trust, a stranger
    admin = require_role(request, trust_admin=True)
    export = privacy.subject_export_request(actor=admin, subject=subject)
    messages.success(request, f"Subject access export for {subject.full_name} requested.")
    return redirect("privacy_export", public_id=export.public_id)


@login_required
def person_leave(request: HttpRequest, public_id: str) -> HttpResponse:
    subject = access_staff_member(request, public_id)  # 404 first: another trust, a stranger
    admin = require_role(request, trust_admin=True)
    form = LeaverForm(request.POST or None, subject=subject)
    if request.method == "POST" and form.is_valid():
        privacy.staff_member_leave(
            actor=admin, staff=subject, leave_date=form.cleaned_data["leave_date"]
        )
        messages.success(
            request, f"{subject.full_name} is now a leaver: sign-in is refused, records are kept."
        )
        return redirect("privacy_person", public_id=subject.public_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "growth/privacy/leave.html", {"subject": subject, "form": form}, status=status
    )


@login_required
def exports(request: HttpRequest) -> HttpResponse:
    admin = require_role(request, trust_admin=True)
    if request.method == "POST":
        export = privacy.trust_export_request(actor=admin)
        messages.success(request, "Whole-trust export requested.")
        return redirect("privacy_export", public_id=export.public_id)
    rows = (
        DataExport.objects.for_trust(admin.trust_id)
        .select_related("subject__user", "requested_by__user", "reviewed_by__user")
        .order_by("-created_at")[:200]
    )
    return render(request, "growth/privacy/exports.html", {"exports": rows})


@login_required
def export_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    export = get_in_trust_or_404(
        DataExport.objects.select_related("subject__user", "requested_by__user"),
        request=request,
        public_id=public_id,
    )
    require_role(request, trust_admin=True)
    return render(request, "growth/privacy/export.html", {"export": export})


@login_required
@require_POST
def export_release(request: HttpRequest, public_id: str) -> HttpResponse:
    export = get_in_trust_or_404(DataExport, request=request, public_id=public_id)
    admin = require_role(request, trust_admin=True)
    try:
        privacy.export_release(actor=admin, export=export)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return render(request, "growth/privacy/export.html", {"export": export}, status=409)
    messages.success(request, "Export released: it can now be downloaded and handed over.")
    return redirect("privacy_export", public_id=export.public_id)


@login_required
@require_POST
def export_withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    export = get_in_trust_or_404(DataExport, request=request, public_id=public_id)
    admin = require_role(request, trust_admin=True)
    privacy.export_withdraw(actor=admin, export=export)
    messages.success(request, "Export withdrawn and its file deleted.")
    return redirect("privacy_export", public_id=export.public_id)


@login_required
def export_download(request: HttpRequest, public_id: str) -> HttpResponse:
    export = get_in_trust_or_404(DataExport, request=request, public_id=public_id)
    admin = require_role(request, trust_admin=True)
    if export.status != DataExport.Status.RELEASED or not export.file:
        raise Http404("No such page.")
    privacy.export_download_record(actor=admin, export=export)
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.file.name.rsplit("/", 1)[-1],
        content_type="application/zip",
    )


@login_required
def retention(request: HttpRequest) -> HttpResponse:
    admin = require_role(request, trust_admin=True)
    trust = admin.trust
    today = timezone.localdate()
    if request.method == "POST":
        privacy.retention_run(trust=trust, today=today, dry_run=True)
        messages.success(request, "Dry-run report recorded.")
        return redirect("privacy_retention")
    return render(
        request,
        "growth/privacy/retention.html",
        {
            "trust": trust,
            "report": privacy.retention_report(trust, today),
            "runs": RetentionRun.objects.for_trust(trust)[:20],
        },
    )
