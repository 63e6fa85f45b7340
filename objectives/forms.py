"""Forms of the objectives app. They validate shape and length with messages that name the
field; the services own the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.formats import date_format

from growth.domain.forms import DateField
from growth.domain.text import LimitedForm
from growth.models import GrowthCycle, School, StaffMember, StrategicGoal, TrustPriority
from objectives import services
from objectives.grow import GROW_PLAN, LEADERSHIP_GOAL, LEADERSHIP_LINK_CHOICES
from objectives.models import (
    LONG_TEXT_MAX,
    PHRASE_MAX,
    PHRASES_MAX,
    TO_MAX,
    Area,
    ChecklistQuestion,
    GrowthPlan,
    Objective,
    ObjectiveBankPhrase,
    PlanComment,
    PlanVersion,
    SchoolFocus,
)
from standards.models import Standard
from standards.selectors import framework_for, rated_standards

YES_NO = [("", "Not answered"), ("yes", "Yes"), ("no", "No")]


class PublicIdChoiceField(forms.ModelChoiceField):
    """Chooses a trust-owned row by its public id. Anything else — a pk, another trust's id,
    junk — is the same clear "choose one of yours" error, never a 500."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("to_field_name", "public_id")
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except forms.ValidationError as exc:
            if exc.code == "invalid_choice":
                raise
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from exc


class PublicIdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several rows by public id; junk ids get the field's own clear message."""

    def _check_values(self, value: Any) -> Any:
        try:
            return super()._check_values(value)
        except forms.ValidationError as exc:
            if exc.code in ("invalid_choice", "invalid_list"):
                raise
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from exc


class PhraseListField(forms.CharField):
    """One phrase per line, as a list. Errors name the line that is wrong."""

    widget = forms.Textarea

    def __init__(self, *, min_items: int = 1, **kwargs: Any) -> None:
        self.min_items = min_items
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        # A generous bound on the whole box; each line is checked below.
        kwargs.setdefault("max_length", (PHRASE_MAX + 1) * PHRASES_MAX)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        phrases = [line.strip(" \t-•") for line in text.splitlines()]
        phrases = [p for p in phrases if p]
        if len(phrases) < self.min_items:
            raise forms.ValidationError(
                f"Add at least {self.min_items} {'phrase' if self.min_items == 1 else 'phrases'}."
            )
        if len(phrases) > PHRASES_MAX:
            raise forms.ValidationError(
                f"Use at most {PHRASES_MAX} lines (there are {len(phrases)})."
            )
        for number, phrase in enumerate(phrases, start=1):
            if len(phrase) > PHRASE_MAX:
                raise forms.ValidationError(
                    f"Line {number} is {len(phrase)} characters long; each line can be at most "
                    f"{PHRASE_MAX}."
                )
        return phrases


class ObjectiveForm(LimitedForm):
    to_text = forms.CharField(
        label="To… (what I will do)",
        max_length=TO_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Say what you will do: the To… part."},
    )
    through = PhraseListField(
        label="Through… (key activities, one per line)",
        error_messages={"required": "Add at least one key activity: the Through… part."},
    )
    in_order_to = PhraseListField(
        label="In order to… (the impact and how it is measured, one per line)",
        error_messages={"required": "Add at least one impact: the In order to… part."},
    )
    by_date = DateField(
        label="By… (a date in the cycle)",
        error_messages={
            "required": "Choose the date you expect to have achieved this.",
            "invalid": "Enter a real date, e.g. 31/07/2027.",
        },
    )
    success_criteria = forms.CharField(
        label="How will I know I have been successful?",
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    priority = PublicIdChoiceField(
        label="Trust priority",
        queryset=TrustPriority.objects.unscoped().none(),
        required=False,
        error_messages={"invalid_choice": "Choose one of your trust's priorities."},
    )
    strategic_goal = PublicIdChoiceField(
        label="Strategic goal (optional)",
        queryset=StrategicGoal.objects.unscoped().none(),
        required=False,
        error_messages={"invalid_choice": "Choose one of your trust's strategic goals."},
    )
    is_coaching_qualification = forms.BooleanField(
        label="This objective is completing the coaching qualification", required=False
    )
    standards = PublicIdMultipleChoiceField(
        label="Standards this objective develops (optional)",
        help_text="Hold Ctrl (or Cmd) to choose more than one.",
        queryset=Standard.objects.unscoped().none(),
        to_field_name="public_id",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={
            "invalid_choice": "Choose standards from your own framework.",
            "invalid_pk_value": "Choose standards from your own framework.",
        },
    )

    def __init__(
        self,
        *args: Any,
        objective: Objective,
        cycle: GrowthCycle,
        questions: list[ChecklistQuestion],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.objective = objective
        self.cycle = cycle
        trust_id = objective.trust_id
        staff = objective.plan.staff_member
        self.fields["priority"].queryset = TrustPriority.objects.for_trust(trust_id)
        self.fields["strategic_goal"].queryset = (
            StrategicGoal.objects.for_trust(trust_id)
            .filter(Q(school__isnull=True) | Q(school_id=staff.school_id))
            .filter(Q(cycle__isnull=True) | Q(cycle=cycle))
            .select_related("priority")
        )
        self.fields[
            "by_date"
        ].help_text = f"Between {date_format(cycle.start_date)} and {date_format(cycle.end_date)}."
        framework = framework_for(staff=staff)
        if framework is None:
            del self.fields["standards"]
        else:
            ids = [st.pk for st in rated_standards(framework=framework)]
            self.fields["standards"].queryset = Standard.objects.unscoped().filter(pk__in=ids)
            self.fields["standards"].label_from_instance = lambda st: (
                f"{st.ref} {st.text[:90]}{'…' if len(st.text) > 90 else ''}"
            )
        if objective.area == Area.TRUST:
            self.fields["priority"].required = True
            self.fields["priority"].error_messages["required"] = (
                "Choose the trust priority this objective supports."
            )
        self.questions = [q for q in questions if q.area == objective.area]
        for question in self.questions:
            self.fields[f"check_{question.key}"] = forms.ChoiceField(
                label=question.text,
                help_text=f"({question.hint})" if question.hint else "",
                choices=YES_NO,
                required=False,
                widget=forms.RadioSelect,
            )

    @property
    def checklist_fields(self) -> list[forms.BoundField]:
        return [self[f"check_{q.key}"] for q in self.questions]

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("check_")]

    def clean_by_date(self) -> Any:
        value = self.cleaned_data["by_date"]
        if value and not self.cycle.contains(value):
            raise forms.ValidationError(
                f"The date must fall inside the {self.cycle.name} cycle "
                f"({date_format(self.cycle.start_date)} to "
                f"{date_format(self.cycle.end_date)})."
            )
        return value

    def checklist(self) -> dict[int, bool | None]:
        answers = {"yes": True, "no": False, "": None}
        return {
            q.pk: answers[self.cleaned_data.get(f"check_{q.key}", "") or ""] for q in self.questions
        }

    def save(self, *, actor: StaffMember) -> Objective:
        """Save the objective as written; the service may refuse (``ValidationError``)."""
        data = self.cleaned_data
        return services.objective_update(
            actor=actor,
            objective=self.objective,
            to_text=data["to_text"],
            through=data["through"],
            in_order_to=data["in_order_to"],
            by_date=data["by_date"],
            success_criteria=data["success_criteria"],
            priority=data["priority"],
            strategic_goal=data["strategic_goal"],
            is_coaching_qualification=data["is_coaching_qualification"],
            checklist=self.checklist(),
            # Without a framework the field is not shown: leave the standards as they are.
            standards=list(data["standards"]) if "standards" in data else None,
        )


def objective_initial(
    objective: Objective,
    questions: list[ChecklistQuestion],
    answers: dict[tuple[int, int], bool | None],
) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "to_text": objective.to_text,
        "through": "\n".join(objective.through),
        "in_order_to": "\n".join(objective.in_order_to),
        "by_date": objective.by_date,
        "success_criteria": objective.success_criteria,
        "priority": objective.priority,
        "strategic_goal": objective.strategic_goal,
        "is_coaching_qualification": objective.is_coaching_qualification,
        "standards": list(objective.standards.all()),
    }
    word = {True: "yes", False: "no", None: ""}
    for question in questions:
        initial[f"check_{question.key}"] = word[answers.get((objective.pk, question.pk))]
    if objective.autosave:
        # Unsaved typing wins: it is newer than the saved objective.
        initial.update({k: v for k, v in objective.autosave.items() if k in AUTOSAVE_KEYS})
    return initial


AUTOSAVE_KEYS = {
    "to_text",
    "through",
    "in_order_to",
    "by_date",
    "success_criteria",
    "priority",
    "strategic_goal",
}


class GrowForm(LimitedForm):
    """The GROW notes (appendix B) and, for those who write one, the leadership goal
    (appendix E). Every answer is optional; lengths are bounded."""

    def __init__(self, *args: Any, with_leadership: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for prompt in GROW_PLAN:
            self.fields[f"grow_{prompt.key}"] = forms.CharField(
                label=prompt.question,
                help_text=prompt.guidance,
                required=False,
                max_length=LONG_TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.with_leadership = with_leadership
        if with_leadership:
            self.fields["lead_link_to"] = forms.ChoiceField(
                label="Linked to", choices=LEADERSHIP_LINK_CHOICES, required=False
            )
            for prompt in LEADERSHIP_GOAL:
                self.fields[f"lead_{prompt.key}"] = forms.CharField(
                    label=prompt.question,
                    required=False,
                    max_length=LONG_TEXT_MAX,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def sections(self, prefix: str, prompts: list) -> list[tuple[str, list[forms.BoundField]]]:
        out: list[tuple[str, list[forms.BoundField]]] = []
        for prompt in prompts:
            bound = self[f"{prefix}{prompt.key}"]
            if out and out[-1][0] == prompt.section:
                out[-1][1].append(bound)
            else:
                out.append((prompt.section, [bound]))
        return out

    @property
    def grow_sections(self) -> list:
        return self.sections("grow_", GROW_PLAN)

    @property
    def leadership_sections(self) -> list:
        return self.sections("lead_", LEADERSHIP_GOAL) if self.with_leadership else []

    def grow_notes(self) -> dict[str, str]:
        return {p.key: self.cleaned_data.get(f"grow_{p.key}", "") for p in GROW_PLAN}

    def leadership_goal(self) -> dict[str, str]:
        if not self.with_leadership:
            return {}
        data = {p.key: self.cleaned_data.get(f"lead_{p.key}", "") for p in LEADERSHIP_GOAL}
        data["link_to"] = self.cleaned_data.get("lead_link_to", "")
        return data

    def save(self, *, actor: StaffMember, plan: GrowthPlan) -> GrowthPlan:
        return services.plan_grow_update(
            actor=actor,
            plan=plan,
            grow_notes=self.grow_notes(),
            leadership_goal=self.leadership_goal(),
        )


def grow_initial(plan: Any) -> dict[str, str]:
    """The saved notes, overlaid with an unsaved draft if there is one."""
    initial = {f"grow_{k}": v for k, v in plan.grow_notes.items()}
    initial.update({f"lead_{k}": v for k, v in plan.leadership_goal.items()})
    initial.update({k: v for k, v in plan.grow_autosave.items() if grow_field_name(k)})
    return initial


# The GROW page's field names: what a draft may keep.
GROW_FIELD_NAMES = frozenset(
    {f"grow_{p.key}" for p in GROW_PLAN} | {f"lead_{p.key}" for p in LEADERSHIP_GOAL}
) | {"lead_link_to"}


def grow_field_name(name: str) -> bool:
    """Whether a posted name is one of the GROW page's fields (what a draft may keep)."""
    return name in GROW_FIELD_NAMES


def grow_draft(post: Any) -> dict[str, str]:
    return {k: str(v) for k, v in post.items() if grow_field_name(k)}


class DecisionForm(LimitedForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("agree", "Agree these objectives"), ("changes", "Request changes")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to agree or to request changes."},
    )
    comment = forms.CharField(
        label="Comments for the member of staff",
        help_text="Required when you request changes: say what you would like changed.",
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "changes" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Say what you would like changed.")
        return data

    def save(self, *, actor: StaffMember, plan: GrowthPlan) -> PlanVersion | PlanComment:
        """Agree the plan or send it back with the comment, as the manager decided."""
        comment = self.cleaned_data["comment"]
        if self.cleaned_data["decision"] == "agree":
            return services.plan_agree(actor=actor, plan=plan, comment=comment)
        return services.plan_request_changes(actor=actor, plan=plan, comment=comment)


class SchoolFocusForm(LimitedForm):
    school = PublicIdChoiceField(
        label="School or team",
        queryset=School.objects.unscoped().none(),
        empty_label=None,
    )
    goal = PublicIdChoiceField(
        label="An existing strategic goal",
        queryset=StrategicGoal.objects.unscoped().none(),
        required=False,
        error_messages={"invalid_choice": "Choose one of your trust's strategic goals."},
    )
    priority = PublicIdChoiceField(
        label="Or a new goal under the trust priority",
        queryset=TrustPriority.objects.unscoped().none(),
        required=False,
        error_messages={"invalid_choice": "Choose one of your trust's priorities."},
    )
    title = forms.CharField(label="New goal title", max_length=300, required=False)
    description = forms.CharField(
        label="New goal description",
        max_length=LONG_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, head: StaffMember, school_ids: set[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        trust_id = head.trust_id
        self.fields["school"].queryset = School.objects.for_trust(trust_id).filter(
            pk__in=school_ids
        )
        self.fields["goal"].queryset = (
            StrategicGoal.objects.for_trust(trust_id)
            .filter(Q(school__isnull=True) | Q(school_id__in=school_ids))
            .select_related("priority")
        )
        self.fields["priority"].queryset = TrustPriority.objects.for_trust(trust_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("goal") and not (data.get("priority") and data.get("title", "").strip()):
            raise forms.ValidationError(
                "Choose an existing strategic goal, or give a new goal a priority and a title."
            )
        return data

    def save(self, *, actor: StaffMember, cycle: GrowthCycle) -> SchoolFocus:
        data = self.cleaned_data
        return services.school_focus_set(
            actor=actor,
            school=data["school"],
            cycle=cycle,
            goal=data["goal"],
            priority=data["priority"],
            title=data["title"],
            description=data["description"],
        )


class BankPhraseAddForm(LimitedForm):
    kind = forms.ChoiceField(label="Kind", choices=ObjectiveBankPhrase.Kind.choices)
    area = forms.ChoiceField(
        label="Area (for In order to… phrases)",
        choices=[("", "—"), *Area.choices],
        required=False,
    )
    text = forms.CharField(label="Phrase", max_length=PHRASE_MAX)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == ObjectiveBankPhrase.Kind.IMPACT and not data.get("area"):
            self.add_error("area", "Choose the area this impact belongs to.")
        return data


class BankPhraseEditForm(LimitedForm):
    text = forms.CharField(label="Phrase", max_length=PHRASE_MAX)
    hidden = forms.BooleanField(label="Hide from this trust's bank", required=False)
