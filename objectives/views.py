"""Views of the objectives app: thin — access helper, form, service, redirect or render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from growth.domain.forms import service_result
from growth.domain.selectors import cycle_current
from growth.domain.text import too_long_messages
from growth.models import GrowthCycle
from growth.security.access import (
    Relation,
    access_subject_object,
    get_in_trust_or_404,
    relations,
    require_role,
    require_staff,
    roles_of,
)
from objectives import selectors, services
from objectives.forms import (
    AUTOSAVE_KEYS,
    BankPhraseAddForm,
    BankPhraseEditForm,
    DecisionForm,
    GrowForm,
    ObjectiveForm,
    SchoolFocusForm,
    grow_draft,
    grow_initial,
    objective_initial,
)
from objectives.grow import LEADERSHIP_NOTE, LINE_MANAGER_SCRIPT
from objectives.models import (
    Area,
    ChecklistQuestion,
    GrowthPlan,
    Objective,
    ObjectiveBankPhrase,
    objective_sentence,
)
from objectives.rules import grow_plan_required, plan_required
from standards.selectors import standards_to_develop


def _current_cycle(request: HttpRequest) -> GrowthCycle:
    staff = require_staff(request)
    cycle = cycle_current(trust=staff.trust_id)
    if cycle is None:
        raise Http404("No growth cycle has been set up yet.")
    return cycle


def _errors_of(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def _plan_url(plan: GrowthPlan) -> str:
    from django.urls import reverse

    return reverse("objectives:plan", kwargs={"public_id": plan.public_id})


# Said when a page opens on what the person typed but did not save (an autosaved draft).
RESTORED_DRAFT = "We restored what you typed last time but had not saved yet."


# --- The person's own plan -----------------------------------------------------------------


@login_required
def my_plan(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    cycle = _current_cycle(request)
    plan = selectors.plan_for(staff=staff, cycle=cycle)
    if plan is not None:
        return redirect(_plan_url(plan))
    return render(
        request,
        "objectives/start.html",
        {
            "cycle": cycle,
            "required": plan_required(staff),
            "coaching": selectors.coaching_for(staff=staff, cycle=cycle),
            "focus": selectors.school_focus_for(school_id=staff.school_id, cycle=cycle),
            "carry": selectors.carry_forward_candidates(staff=staff, cycle=cycle),
        },
    )


@login_required
@require_POST
def plan_start(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    cycle = _current_cycle(request)
    try:
        plan = services.plan_start(actor=staff, staff=staff, cycle=cycle)
    except ValidationError as exc:
        for message in _errors_of(exc):
            messages.error(request, message)
        return redirect("objectives:my_plan")
    return redirect(_plan_url(plan))


def _access_plan(
    request: HttpRequest, public_id: Any, *, allow: set[Relation] | None = None
) -> tuple[GrowthPlan, set[Relation]]:
    return access_subject_object(
        request,
        GrowthPlan.objects.select_related("staff_member", "cycle"),
        public_id,
        allow=allow,
    )


def _plan_page(
    request: HttpRequest,
    plan: GrowthPlan,
    *,
    is_owner: bool,
    decision_form: DecisionForm | None,
    status: int = 200,
) -> HttpResponse:
    """The plan page. ``decision_form``: the line manager's (None for anyone else)."""
    is_manager = decision_form is not None
    return render(
        request,
        "objectives/plan.html",
        {
            **selectors.plan_page_for(plan, is_owner=is_owner),
            "is_manager": is_manager,
            "decision_form": decision_form,
            "script": LINE_MANAGER_SCRIPT if is_manager else None,
        },
        status=status,
    )


@login_required
def plan_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    plan, found = _access_plan(request, public_id)
    return _plan_page(
        request,
        plan,
        is_owner=Relation.SELF in found,
        decision_form=DecisionForm() if Relation.LINE_MANAGER in found else None,
    )


@login_required
@require_POST
def plan_submit(request: HttpRequest, public_id: str) -> HttpResponse:
    plan, _ = _access_plan(request, public_id, allow={Relation.SELF})
    try:
        services.plan_submit(actor=require_staff(request), plan=plan)
    except ValidationError as exc:
        messages.error(request, "Your plan cannot be submitted yet: " + " ".join(exc.messages))
    else:
        messages.success(request, "Your plan has been sent to your line manager to agree.")
    return redirect(_plan_url(plan))


@login_required
@require_POST
def plan_withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    plan, _ = _access_plan(request, public_id, allow={Relation.SELF})
    try:
        services.plan_withdraw(actor=require_staff(request), plan=plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Submission withdrawn: you can edit your plan again.")
    return redirect(_plan_url(plan))


# What the line manager is told once their decision is saved.
DECISION_DONE = {"agree": "Objectives agreed.", "changes": "Your comments have been sent."}


@login_required
@require_POST
def plan_decide(request: HttpRequest, public_id: str) -> HttpResponse:
    plan, _ = _access_plan(request, public_id, allow={Relation.LINE_MANAGER})
    form = DecisionForm(request.POST)
    if service_result(form, form.save, actor=require_staff(request), plan=plan) is not None:
        messages.success(request, DECISION_DONE[form.cleaned_data["decision"]])
        return redirect(_plan_url(plan))
    return _plan_page(request, plan, is_owner=False, decision_form=form, status=400)


@login_required
def plan_versions(request: HttpRequest, public_id: str) -> HttpResponse:
    plan, _ = _access_plan(request, public_id)
    page = selectors.plan_page(plan)
    comments: dict[int, list] = {}
    for comment in page.comments:
        comments.setdefault(comment.version_number, []).append(comment)
    versions = [(v, comments.get(v.number, [])) for v in page.versions]
    return render(
        request,
        "objectives/versions.html",
        {"plan": page.plan, "versions": versions},
    )


@login_required
def plan_grow(request: HttpRequest, public_id: str) -> HttpResponse:
    plan, _ = _access_plan(request, public_id, allow={Relation.SELF})
    with_leadership = plan.staff_member.writes_leadership_goal
    if request.method != "POST":
        if plan.grow_autosave:
            messages.info(request, RESTORED_DRAFT)
        form = GrowForm(initial=grow_initial(plan), with_leadership=with_leadership)
        return _grow_page(request, plan, form)
    form = GrowForm(request.POST, with_leadership=with_leadership)
    if service_result(form, form.save, actor=require_staff(request), plan=plan) is not None:
        messages.success(request, "Saved.")
        return redirect(_plan_url(plan))
    # Keep what was typed even if the person leaves now.
    _grow_autosave_quietly(request, plan)
    return _grow_page(request, plan, form, status=400)


def _grow_page(
    request: HttpRequest, plan: GrowthPlan, form: GrowForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "objectives/grow.html",
        {
            "plan": plan,
            "form": form,
            "leadership_note": LEADERSHIP_NOTE,
            "grow_required": grow_plan_required(plan.staff_member),
        },
        status=status,
    )


def _grow_autosave_quietly(request: HttpRequest, plan: GrowthPlan) -> str | None:
    return _quietly(
        lambda: services.plan_grow_autosave(
            actor=require_staff(request), plan=plan, data=grow_draft(request.POST)
        )
    )


def _quietly(autosave: Callable[[], object]) -> str | None:
    """Run an autosave; return its error message rather than raising (the page still
    renders, and what was typed is shown back)."""
    try:
        autosave()
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


@login_required
@require_POST
def plan_grow_autosave(request: HttpRequest, public_id: str) -> HttpResponse:
    """htmx: keep the GROW page's unsaved text while the person types."""
    plan, _ = _access_plan(request, public_id, allow={Relation.SELF})
    error = _grow_autosave_quietly(request, plan)
    # The draft keeps all of it; the status says now what the Save button will refuse.
    with_leadership = plan.staff_member.writes_leadership_goal
    too_long = too_long_messages(GrowForm(request.POST, with_leadership=with_leadership))
    return render(
        request,
        "objectives/_autosave_status.html",
        {"saved_at": None if error else timezone.now(), "error": error, "too_long": too_long},
        status=400 if error else 200,
    )


# --- The objective builder -----------------------------------------------------------------


def _access_objective(
    request: HttpRequest, public_id: Any, *, allow: set[Relation] | None = None
) -> tuple[Objective, set[Relation]]:
    """An objective the viewer may see: 404 for strangers and other trusts, 403 for a
    related person without the role (only the owner writes objectives)."""
    viewer = require_staff(request)
    objective = get_in_trust_or_404(
        Objective.objects.select_related(
            "plan__staff_member__school",
            "plan__staff_member__trust",
            "plan__cycle",
            "priority",
            "strategic_goal",
        ),
        request=request,
        public_id=public_id,
    )
    found = relations(viewer, objective.plan.staff_member)
    if not found:
        raise Http404("No such page.")
    if allow is not None and not (found & allow):
        raise PermissionDenied("Only the member of staff writes their own objectives.")
    return objective, found


def _builder_page(
    request: HttpRequest,
    objective: Objective,
    form: ObjectiveForm,
    sentence: str,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "objectives/objective_form.html",
        _builder_context(objective, form, sentence),
        status=status,
    )


def _builder_context(objective: Objective, form: ObjectiveForm, sentence: str) -> dict[str, Any]:
    staff = objective.plan.staff_member
    return {
        "objective": objective,
        "plan": objective.plan,
        "form": form,
        "sentence": sentence,
        "bank": selectors.bank_for(
            trust=objective.trust_id, area=objective.area, category=staff.category
        ),
        "examples": selectors.examples_for(
            trust=objective.trust_id,
            area=objective.area,
            category=staff.category,
            cycle=objective.plan.cycle,
        ),
        "to_develop": standards_to_develop(staff=staff, cycle=objective.plan.cycle)
        if objective.area == Area.SELF
        else [],
        "focus": selectors.school_focus_for(school_id=staff.school_id, cycle=objective.plan.cycle)
        if objective.area == Area.TRUST
        else None,
    }


@login_required
def objective_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    objective, _ = _access_objective(request, public_id, allow={Relation.SELF})
    plan = objective.plan
    if plan.state == GrowthPlan.State.SUBMITTED:
        messages.info(
            request,
            "Your plan is with your line manager. Withdraw the submission to edit it.",
        )
        return redirect(_plan_url(plan))
    questions = selectors.checklist_questions(
        objective.trust_id, category=plan.staff_member.category
    )
    if request.method != "POST":
        return _builder_as_saved(request, objective, questions)
    form = ObjectiveForm(request.POST, objective=objective, cycle=plan.cycle, questions=questions)
    if service_result(form, form.save, actor=require_staff(request)) is not None:
        messages.success(request, f"{objective.get_area_display()} saved.")
        return redirect(_plan_url(plan))
    # Keep what was typed even if the person leaves now.
    _autosave_quietly(request, objective)
    return _builder_page(request, objective, form, _sentence_from(request.POST), status=400)


def _builder_as_saved(
    request: HttpRequest, objective: Objective, questions: list[ChecklistQuestion]
) -> HttpResponse:
    """The builder as it opens: the saved objective, with any unsaved draft typed over it."""
    answers = selectors.checklist_answers(objective.plan)
    form = ObjectiveForm(
        initial=objective_initial(objective, questions, answers),
        objective=objective,
        cycle=objective.plan.cycle,
        questions=questions,
    )
    sentence = objective.sentence
    if objective.autosave:
        messages.info(request, RESTORED_DRAFT)
        sentence = _sentence_from(objective.autosave)
    return _builder_page(request, objective, form, sentence)


def _sentence_from(data: Any) -> str:
    import datetime as dt

    def lines(name: str) -> list[str]:
        return [line.strip(" \t-•") for line in str(data.get(name, "")).splitlines()][:20]

    by = None
    try:
        by = dt.date.fromisoformat(str(data.get("by_date", "")))
    except ValueError:
        by = None
    return objective_sentence(
        to_text=str(data.get("to_text", ""))[:2000],
        through=[p[:500] for p in lines("through")],
        in_order_to=[p[:500] for p in lines("in_order_to")],
        by_date=by,
    )


def _autosave_data(post: Any) -> dict[str, str]:
    return {k: str(post.get(k, "")) for k in AUTOSAVE_KEYS if k in post}


def _autosave_quietly(request: HttpRequest, objective: Objective) -> str | None:
    return _quietly(
        lambda: services.objective_autosave(
            actor=require_staff(request), objective=objective, data=_autosave_data(request.POST)
        )
    )


@login_required
@require_POST
def objective_preview(request: HttpRequest, public_id: str) -> HttpResponse:
    """htmx: the live "To … through … in order to … by …" sentence; also autosaves the draft."""
    objective, _ = _access_objective(request, public_id, allow={Relation.SELF})
    error = None
    if objective.plan.state != GrowthPlan.State.SUBMITTED:
        error = _autosave_quietly(request, objective)
    return render(
        request,
        "objectives/_preview.html",
        {
            "sentence": _sentence_from(request.POST),
            "saved_at": None if error else timezone.now(),
            "error": error,
        },
    )


# --- Line managers and headteachers --------------------------------------------------------


@login_required
def team(request: HttpRequest) -> HttpResponse:
    viewer = require_staff(request)
    if not selectors.sees_team_lists(viewer):
        raise PermissionDenied("Your role does not allow this.")
    cycle = _current_cycle(request)
    page = selectors.team_page(viewer=viewer, cycle=cycle, today=timezone.localdate())
    return render(request, "objectives/team.html", page)


@login_required
def team_panel(request: HttpRequest) -> HttpResponse:
    """The home page's figures over everyone the viewer oversees, loaded after the page."""
    viewer = require_staff(request)
    if not selectors.sees_team_lists(viewer):
        raise PermissionDenied("Your role does not allow this.")
    today = timezone.localdate()
    cycle = cycle_current(trust=viewer.trust_id, on=today)
    if cycle is None:
        raise Http404("No growth cycle has been set up yet.")
    figures = selectors.team_plan_figures(viewer=viewer, cycle=cycle, today=today)
    return render(request, "objectives/_panel_team_figures.html", {"panel": figures})


@login_required
def school_focus(request: HttpRequest) -> HttpResponse:
    head = require_role(request, headteacher=True)
    cycle = _current_cycle(request)
    posted = request.POST if request.method == "POST" else None
    form = SchoolFocusForm(posted, head=head, school_ids=set(roles_of(head).headteacher_of))
    if service_result(form, form.save, actor=head, cycle=cycle) is not None:
        messages.success(request, f"The focus for {form.cleaned_data['school'].name} is set.")
        return redirect("objectives:school_focus")
    foci = selectors.school_foci(schools=form.fields["school"].queryset, cycle=cycle)
    return render(
        request,
        "objectives/school_focus.html",
        {"form": form, "cycle": cycle, "foci": foci},
        status=400 if posted is not None else 200,
    )


# --- The bank, for trust admins ------------------------------------------------------------


@login_required
def bank(request: HttpRequest) -> HttpResponse:
    """The trust's objectives bank: the shared phrases with the trust's own edits, and a new
    phrase of its own."""
    admin = require_role(request, trust_admin=True)
    add_form = BankPhraseAddForm(request.POST or None, prefix="add")
    added = service_result(
        add_form, lambda: services.bank_phrase_add(actor=admin, **add_form.cleaned_data)
    )
    if added is not None:
        messages.success(request, "Phrase added.")
        return redirect("objectives:bank")
    return render(
        request,
        "objectives/bank.html",
        {
            "rows": selectors.bank_phrases_shown(trust=admin.trust_id),
            "add_form": add_form,
            "area_label": dict(Area.choices),
        },
        status=400 if add_form.errors else 200,
    )


@login_required
@require_POST
def bank_phrase(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Change or hide one phrase of the bank (a shared one is replaced for this trust only)."""
    # Another trust's phrase is not there (404) before it is not yours to edit (403).
    phrase = get_object_or_404(
        ObjectiveBankPhrase.objects.for_trust(require_staff(request).trust_id), public_id=public_id
    )
    admin = require_role(request, trust_admin=True)
    form = BankPhraseEditForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.get("text") or "Write the phrase.")
        services.bank_phrase_edit(actor=admin, phrase=phrase, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "That phrase could not be saved: " + " ".join(exc.messages))
    else:
        messages.success(request, "Phrase saved.")
    return redirect("objectives:bank")


def objective_carry_forward(request: HttpRequest, public_id: str) -> HttpResponse:
    """Carry last year's objective into this year's plan in one click."""
    objective, _ = _access_objective(request, public_id, allow={Relation.SELF})
    cycle = _current_cycle(request)
    try:
        carried = services.objective_carry_forward(
            actor=require_staff(request), objective=objective, cycle=cycle
        )
    except ValidationError as exc:
        for message in _errors_of(exc):
            messages.error(request, message)
        return redirect("objectives:my_plan")
    messages.success(
        request,
        f"Your {carried.get_area_display()} objective is carried forward from "
        f"{objective.plan.cycle.name}: check it still fits this year.",
    )
    return redirect(_plan_url(carried.plan))
