from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_POST

from growth.domain.forms import (
    DatedRowFormSet,
    GrowthCycleForm,
    StaffImportConfirmForm,
    StaffImportUploadForm,
    StageMovesForm,
    StrategicGoalForm,
    TrustPriorityForm,
    TrustSettingsForm,
)
from growth.domain.rollover import (
    career_stages_move,
    cycle_rollover,
    cycle_rollover_proposal,
    leavers_due,
    leavers_end,
    stage_moves_proposed,
)
from growth.domain.selectors import staff_list
from growth.domain.services import (
    DatedRow,
    cycle_save,
    goal_save,
    priority_save,
    staff_invitation_resend,
    trust_settings_update,
)
from growth.domain.staff_import import staff_export_table, staff_import
from growth.models import GrowthCycle, StaffMember, StrategicGoal, Trust, TrustPriority
from growth.navigation.inbox import inbox_of_request
from growth.navigation.registry import home_panels, nav_links
from growth.reporting.dashboards import home_for
from growth.reporting.exports import FORMATS, export_response
from growth.security.access import (
    Relation,
    access_staff_member,
    get_in_trust_or_404,
    require_role,
    require_staff,
    visible_staff,
)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico where a page names no icon (a PDF, a download)."""
    return redirect(static("img/favicon.svg"))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    staff = getattr(request, "staff", None)
    if staff is None:
        return render(request, "growth/no_membership.html", status=200)
    home = home_for(staff)
    return render(
        request,
        "growth/home.html",
        {
            "panels": home_panels(home),
            "cycle": home.cycle,
            "nav": nav_links(request, home.viewer),
        },
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Everything waiting for the signed-in person, each linking to where it is done."""
    require_staff(request)
    return render(request, "growth/inbox.html", {"inbox": inbox_of_request(request)})


# The header's count and the home page's panel are loaded after the page (htmx), each a
# small request of its own: no page pays for the list it does not show.
@login_required
def inbox_count(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    return render(request, "growth/_inbox_count.html", {"inbox": inbox_of_request(request)})


@login_required
def inbox_panel(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    return render(request, "growth/panels/_inbox_body.html", {"inbox": inbox_of_request(request)})


@login_required
def people(request: HttpRequest) -> HttpResponse:
    viewer = require_staff(request)
    members = staff_list(queryset=visible_staff(viewer).exclude(pk=viewer.pk))
    return render(request, "growth/people.html", {"members": members})


@login_required
@require_POST
def person_invite(request: HttpRequest, public_id: str) -> HttpResponse:
    """Send a fresh invitation to someone who has not signed in yet."""
    subject = access_staff_member(
        request, public_id, allow={Relation.TRUST_ADMIN, Relation.HEADTEACHER}
    )
    try:
        staff_invitation_resend(actor=require_staff(request), staff=subject)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("person", public_id=subject.public_id)
    messages.success(request, f"A new invitation is on its way to {subject.user.email}.")
    return redirect("person", public_id=subject.public_id)


# --- Trust admin: staff import ---------------------------------------------------------------

IMPORT_SESSION_KEY = "growth.domain.staff_import"


@login_required
def staff_export(request: HttpRequest) -> HttpResponse:
    """Everyone in the trust as a staff-import file (CSV or Excel), pay included."""
    admin = require_role(request, trust_admin=True)
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        raise Http404("No such export format.")
    return export_response(staff_export_table(trust=admin.trust), fmt, name=admin.trust.name)


@login_required
def staff_import_page(request: HttpRequest) -> HttpResponse:
    """Upload a CSV → preview what will change → confirm. Trust admins only."""
    admin = require_role(request, trust_admin=True)
    if request.method != "POST":
        return _import_page(request)
    if "digest" in request.POST:
        return _import_confirmed(request, admin)
    return _import_previewed(request, admin)


def _import_page(request: HttpRequest, *, status: int = 200, **context: Any) -> HttpResponse:
    context.setdefault("upload_form", StaffImportUploadForm())
    return render(request, "growth/staff_import.html", context, status=status)


def _import_previewed(request: HttpRequest, admin: StaffMember) -> HttpResponse:
    """What the uploaded file would change; a file that changes anything is kept in the
    session for the confirmation, named by its digest."""
    upload = StaffImportUploadForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _import_page(request, upload_form=upload, status=400)
    text = upload.cleaned_data["file"]
    result = staff_import(actor=admin, trust=admin.trust, csv_text=text, dry_run=True)
    context: dict[str, Any] = {}
    if result.ok and result.changes_anything:
        digest = hashlib.sha256(text.encode()).hexdigest()
        request.session[IMPORT_SESSION_KEY] = {"digest": digest, "csv": text}
        context["confirm_form"] = StaffImportConfirmForm(initial={"digest": digest})
    filename = request.FILES["file"].name
    status = 200 if result.ok else 400
    return _import_page(request, result=result, filename=filename, status=status, **context)


def _import_confirmed(request: HttpRequest, admin: StaffMember) -> HttpResponse:
    """Apply the file previewed, if the confirmation names the one kept in the session."""
    confirm = StaffImportConfirmForm(request.POST)
    stored = request.session.get(IMPORT_SESSION_KEY) or {}
    if not confirm.is_valid() or stored.get("digest") != confirm.cleaned_data["digest"]:
        messages.error(request, "That preview has expired. Upload the file again.")
        return redirect("staff_import")
    result = staff_import(actor=admin, trust=admin.trust, csv_text=stored["csv"])
    request.session.pop(IMPORT_SESSION_KEY, None)
    return _import_page(request, result=result, applied=True)


# --- Trust admin: settings, cycles, priorities and goals -------------------------------------


@login_required
def trust_settings(request: HttpRequest) -> HttpResponse:
    admin = require_role(request, trust_admin=True)
    trust = admin.trust
    form = TrustSettingsForm(request.POST or None, instance=trust)
    if request.method == "POST":
        if form.is_valid():
            changed = trust_settings_update(
                actor=admin, trust=Trust.objects.get(pk=trust.pk), **form.cleaned_data
            )
            messages.success(
                request, "Settings saved." if changed else "Nothing changed: settings as before."
            )
            return redirect("trust_settings")
        return render(request, "growth/trust_settings.html", {"form": form}, status=400)
    return render(request, "growth/trust_settings.html", {"form": form})


@login_required
def trust_cycles(request: HttpRequest) -> HttpResponse:
    admin = require_role(request, trust_admin=True)
    cycles = GrowthCycle.objects.for_trust(admin.trust_id).prefetch_related("terms", "closures")
    return render(request, "growth/trust_cycles.html", {"cycles": cycles})


def _dated_rows(formset: Any) -> list[DatedRow]:
    return [
        DatedRow(
            name=f.cleaned_data["name"],
            start_date=f.cleaned_data["start_date"],
            end_date=f.cleaned_data["end_date"],
            public_id=f.cleaned_data.get("public_id"),
        )
        for f in formset.forms
        if f.cleaned_data.get("name") and not f.cleaned_data.get("DELETE")
    ]


def _rows_initial(rows: Any) -> list[dict[str, Any]]:
    return [
        {
            "public_id": getattr(r, "public_id", None),
            "name": r.name,
            "start_date": r.start_date,
            "end_date": r.end_date,
        }
        for r in rows
    ]


def _row_formsets(data: Any, terms: Any, closures: Any) -> dict[str, Any]:
    """The cycle's terms and closures as formsets, starting from ``terms`` and ``closures``
    (None for a new cycle)."""
    return {
        name: DatedRowFormSet(
            data, prefix=name, initial=_rows_initial(rows) if rows is not None else None
        )
        for name, rows in (("terms", terms), ("closures", closures))
    }


def _cycle_saved(
    request: HttpRequest, context: dict[str, Any], save: Callable[..., GrowthCycle]
) -> GrowthCycle | None:
    """On a POST, the cycle saved through ``save`` from the page's form, terms and closures;
    None for a GET, or when they are invalid or the service refuses (its problems then in
    ``context``)."""
    form, terms, closures = context["form"], context["terms"], context["closures"]
    if request.method != "POST":
        return None
    if not (form.is_valid() and terms.is_valid() and closures.is_valid()):
        return None
    values = {name: form.cleaned_data[name] for name in form.Meta.fields}
    try:
        return save(values=values, terms=_dated_rows(terms), closures=_dated_rows(closures))
    except ValidationError as exc:
        context["problems"] = exc.messages
        return None


def _cycle_form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """The cycle's page with its forms: 400 after a POST (refused)."""
    status = 400 if request.method == "POST" else 200
    return render(request, "growth/trust_cycle.html", context, status=status)


def _cycle_page(request: HttpRequest, cycle: GrowthCycle | None) -> HttpResponse:
    admin = require_role(request, trust_admin=True)
    trust = admin.trust
    data = request.POST if request.method == "POST" else None
    context = {
        "form": GrowthCycleForm(data, instance=cycle, trust=trust),
        **_row_formsets(
            data, cycle.terms.all() if cycle else None, cycle.closures.all() if cycle else None
        ),
        "cycle": cycle,
    }
    saved = _cycle_saved(
        request, context, lambda **rows: cycle_save(actor=admin, trust=trust, cycle=cycle, **rows)
    )
    if saved is None:
        return _cycle_form_page(request, context)
    messages.success(request, f"Cycle {saved.name} saved.")
    return redirect("trust_cycle_edit", public_id=saved.public_id)


@login_required
def trust_cycle_create(request: HttpRequest) -> HttpResponse:
    return _cycle_page(request, None)


@login_required
def trust_cycle_next(request: HttpRequest, public_id: str) -> HttpResponse:
    """Next year's cycle from this one: its dates moved on a year, shown for review, saved in
    one step with what each app carries over (growth/domain/rollover.py)."""
    source = get_in_trust_or_404(GrowthCycle, request=request, public_id=public_id)
    admin = require_role(request, trust_admin=True)
    data = request.POST if request.method == "POST" else None
    proposal = cycle_rollover_proposal(cycle=source)
    context = {
        "form": GrowthCycleForm(data, trust=admin.trust, initial=proposal.values),
        **_row_formsets(data, proposal.terms, proposal.closures),
        "cycle": None,
        "source": source,
    }
    saved = _cycle_saved(
        request,
        context,
        lambda **rows: cycle_rollover(actor=admin, trust=admin.trust, source=source, **rows),
    )
    if saved is None:
        return _cycle_form_page(request, context)
    then = "Now check the people changes a new year brings."
    messages.success(request, f"Cycle {saved.name} created from {source.name}. {then}")
    return redirect("trust_new_year")


@login_required
def trust_new_year(request: HttpRequest) -> HttpResponse:
    """The people changes of a new year, each confirmed by HR before anything changes:
    career stages moving on, and leavers whose leaving date has passed."""
    admin = require_role(request, trust_admin=True)
    trust = admin.trust
    moves = stage_moves_proposed(trust=trust)
    form = StageMovesForm(request.POST or None, moves=moves)
    if request.method == "POST" and request.POST.get("action") == "leavers":
        ended = leavers_end(actor=admin, trust=trust)
        messages.success(request, f"{ended} leaver{'s' if ended != 1 else ''} ended.")
        return redirect("trust_new_year")
    if request.method == "POST" and form.is_valid():
        moved = career_stages_move(actor=admin, trust=trust, moves=form.confirmed())
        messages.success(request, f"{moved} career stage{'s' if moved != 1 else ''} moved on.")
        return redirect("trust_new_year")
    return render(
        request,
        "growth/trust_new_year.html",
        {"form": form, "leavers": leavers_due(trust=trust)},
        status=400 if form.errors else 200,
    )


@login_required
def trust_cycle_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    # Another trust's id is "not there" (404) before it is "not your role" (403).
    cycle = get_in_trust_or_404(GrowthCycle, request=request, public_id=public_id)
    return _cycle_page(request, cycle)


@login_required
def trust_priorities(request: HttpRequest) -> HttpResponse:
    admin = require_role(request, trust_admin=True)
    trust = admin.trust
    form = TrustPriorityForm(request.POST or None, trust=trust)
    if request.method == "POST" and form.is_valid():
        priority = priority_save(actor=admin, trust=trust, priority=None, values=form.cleaned_data)
        messages.success(request, f"Priority {priority.name!r} added.")
        return redirect("trust_priorities")
    priorities = TrustPriority.objects.for_trust(trust).prefetch_related(
        Prefetch(
            "goals",
            queryset=StrategicGoal.objects.for_trust(trust).select_related("school", "cycle"),
        )
    )
    return render(
        request,
        "growth/trust_priorities.html",
        {"priorities": priorities, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def trust_priority_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    priority = get_in_trust_or_404(TrustPriority, request=request, public_id=public_id)
    admin = require_role(request, trust_admin=True)
    form = TrustPriorityForm(request.POST or None, instance=priority, trust=admin.trust)
    if request.method == "POST" and form.is_valid():
        priority_save(actor=admin, trust=admin.trust, priority=priority, values=form.cleaned_data)
        messages.success(request, f"Priority {priority.name!r} saved.")
        return redirect("trust_priorities")
    return render(
        request,
        "growth/trust_priority.html",
        {"form": form, "priority": priority},
        status=400 if form.errors else 200,
    )


def _goal_page(request: HttpRequest, goal: StrategicGoal | None) -> HttpResponse:
    admin = require_role(request, trust_admin=True)
    form = StrategicGoalForm(request.POST or None, instance=goal, trust=admin.trust)
    if request.method == "POST" and form.is_valid():
        saved = goal_save(actor=admin, trust=admin.trust, goal=goal, values=form.cleaned_data)
        messages.success(request, f"Goal {saved.title!r} saved.")
        return redirect("trust_priorities")
    return render(
        request,
        "growth/trust_goal.html",
        {"form": form, "goal": goal},
        status=400 if form.errors else 200,
    )


@login_required
def trust_goal_create(request: HttpRequest) -> HttpResponse:
    return _goal_page(request, None)


@login_required
def trust_goal_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    goal = get_in_trust_or_404(StrategicGoal, request=request, public_id=public_id)
    return _goal_page(request, goal)
