from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from growth.domain.forms import DateField, service_result
from growth.domain.text import LimitedForm
from growth.models import GrowthCycle, StaffMember, Trust
from reviews import frames, rubric, services
from reviews.models import JulyReflection, Review, WritingFrame
from reviews.rubric import Suggestion


class PlacementForm(LimitedForm):
    cell = forms.TypedChoiceField(
        label="Placement on the grid",
        coerce=int,
        choices=[(c, rubric.cell_label(c)) for c in rubric.CELLS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a cell on the grid, or 10 Exceptional."},
    )
    override_reason = forms.CharField(
        label="Reason for differing from the suggested engagement level",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consulted_on = DateField(label="Date you consulted the headteacher", required=False)
    consulted_note = forms.CharField(
        label="Note of the consultation (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data: Any = None, *, review: Review | None = None) -> None:
        initial = {}
        if review is not None:
            initial = {
                "cell": review.cell,
                "override_reason": review.engagement_override_reason,
                "consulted_on": review.headteacher_consulted_on,
                "consulted_note": review.headteacher_consulted_note,
            }
        super().__init__(data, initial=initial)

    def place(self, *, actor: StaffMember, review: Review, suggestion: Suggestion) -> Review | None:
        """Place the review where the form says, beside the engagement level suggested."""
        return service_result(
            self,
            services.review_place,
            actor=actor,
            review=review,
            suggested_engagement=suggestion.level,
            evidence=suggestion.reasons,
            **self.cleaned_data,
        )


class StatementFormBase(LimitedForm):
    """The statement page's form; ``statement_form_class`` adds one field per writing-frame
    slot of the review's cell."""

    slots: list[frames.Slot] = []

    def __init__(self, data: Any = None, *, review: Review | None = None) -> None:
        initial: dict[str, Any] = {}
        if review is not None:
            initial = {
                "part1": review.part1,
                "considers_objectives": review.considers_objectives,
                "considers_job_description": review.considers_job_description,
                "considers_standards": review.considers_standards,
                **{
                    f"slot_{slot.name}": review.frame_choices[slot.name]
                    for slot in self.slots
                    if slot.name in review.frame_choices
                },
            }
        super().__init__(data, initial=initial)

    def slot_fields(self) -> list[forms.BoundField]:
        return [self[f"slot_{slot.name}"] for slot in self.slots]

    def frame_choices(self) -> dict[str, Any]:
        """The reviewer's slot choices as posted, keyed by slot name: the frame checks them
        itself (an unfinished choice is kept with the draft, not refused)."""
        return {
            slot.name: self.data.getlist(f"slot_{slot.name}")
            if slot.kind == "areas"
            else self.data.get(f"slot_{slot.name}", "")
            for slot in self.slots
        }

    def statement_values(self) -> dict[str, Any]:
        """The service's arguments (``statement_update``)."""
        data = self.cleaned_data
        return {
            "part1": data["part1"],
            "frame_choices": self.frame_choices(),
            "considers_objectives": data["considers_objectives"],
            "considers_job_description": data["considers_job_description"],
            "considers_standards": data["considers_standards"],
            "early_reason": data["early_reason"],
            "early_reason_text": data["early_reason_text"],
        }

    def add_frame_errors(self, error: frames.FrameError) -> None:
        for name, message in error.errors.items():
            self.add_error(f"slot_{name}" if f"slot_{name}" in self.fields else None, message)

    def save(self, *, actor: StaffMember, review: Review, action: str) -> bool:
        """One of the page's buttons (``services.STATEMENT_ACTIONS``); False, with the frame's
        or the service's refusal on the form, when refused."""
        try:
            services.statement_update(
                actor=actor, review=review, action=action, **self.statement_values()
            )
        except frames.FrameError as exc:
            self.add_frame_errors(exc)
        except ValidationError as exc:
            self.add_service_errors(exc)
        return not self.errors


def statement_form_class(slot_list: list[frames.Slot]) -> type[StatementFormBase]:
    """The statement form: one field per writing-frame slot, then part 1, part 2's boxes and
    the reason for submitting early."""
    fields: dict[str, Any] = {"slots": slot_list}
    for slot in slot_list:
        name = f"slot_{slot.name}"
        if slot.kind == "areas":
            fields[name] = forms.MultipleChoiceField(
                label=slot.label,
                choices=[(a, a) for a in frames.AREAS],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text=slot.help,
            )
        elif slot.kind == "choice":
            fields[name] = forms.ChoiceField(
                label=slot.label,
                choices=[(o, o) for o in slot.options],
                widget=forms.RadioSelect,
                required=False,
                help_text=slot.help,
            )
        else:
            fields[name] = forms.CharField(
                label=slot.label,
                required=False,
                help_text=slot.help,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
    fields["part1"] = forms.CharField(
        label="Part 1 of the statement",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Fill it from the frame, then edit freely. Drafts save as you type.",
    )
    fields["considers_objectives"] = forms.BooleanField(label="Objectives", required=False)
    fields["considers_job_description"] = forms.BooleanField(
        label="Job description", required=False
    )
    fields["considers_standards"] = forms.BooleanField(label="Standards", required=False)
    fields["early_reason"] = forms.ChoiceField(
        label="Why the review cannot wait",
        choices=Review.EarlyReason.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    fields["early_reason_text"] = forms.CharField(
        label="If other, why", required=False, max_length=2000
    )
    return type("StatementForm", (StatementFormBase,), fields)


class DecisionForm(LimitedForm):
    outcome = forms.ChoiceField(
        label="Final outcome", choices=rubric.OUTCOME_CHOICES, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason for amending (needed if you change the outcome)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def decide(self, *, actor: StaffMember, review: Review) -> Review | None:
        return service_result(
            self,
            services.review_decide,
            actor=actor,
            review=review,
            outcome=self.cleaned_data["outcome"],
            reason=self.cleaned_data["reason"],
        )


class AcknowledgeForm(LimitedForm):
    comment = forms.CharField(
        label="Your comment (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class OutcomeKeyForm(LimitedForm):
    def __init__(self, *args: Any, key: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for cell in rubric.CELLS:
            self.fields[f"cell_{cell}"] = forms.ChoiceField(
                label=rubric.cell_label(cell),
                choices=rubric.OUTCOME_CHOICES,
                initial=key[cell],
            )

    def key(self) -> dict[int, str]:
        return {cell: self.cleaned_data[f"cell_{cell}"] for cell in rubric.CELLS}


class WritingFrameForm(LimitedForm):
    body = forms.CharField(
        label="Frame text",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Write [[name]] where the reviewer chooses or types; [[outcome]] is filled "
        "from the outcome key.",
    )
    slots = forms.CharField(
        label="Choices and inputs (JSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "class": "font-monospace"}),
        help_text='e.g. {"areas": {"kind": "areas", "label": "Particularly in"}}; kinds are '
        "areas, choice (with options) and text.",
    )

    def clean_slots(self) -> dict:
        text = self.cleaned_data.get("slots") or "{}"
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                f"Choices and inputs: not valid JSON (line {exc.lineno}: {exc.msg})."
            ) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError("Choices and inputs must be a JSON object.")
        return value

    def clean(self) -> dict:
        data = super().clean()
        if "body" in data and "slots" in data:
            try:
                frames.parse_slots(data["body"], data["slots"])
            except frames.FrameError as exc:
                for message in exc.errors.values():
                    self.add_error("slots", message)
        return data

    @classmethod
    def initial_from(cls, frame: WritingFrame) -> dict[str, str]:
        return {"body": frame.body, "slots": json.dumps(frame.slots, indent=2)}

    def save(
        self, *, actor: StaffMember, trust: Trust, part: int, cell: int
    ) -> WritingFrame | None:
        """The trust's own wording of the frame for (part, cell)."""
        return service_result(
            self,
            services.writing_frame_save,
            actor=actor,
            trust=trust,
            part=part,
            cell=cell,
            body=self.cleaned_data["body"],
            slots=self.cleaned_data["slots"],
        )


RATING_CHOICES = [("met", "Met"), ("partially_met", "Partially met"), ("not_met", "Not met")]
IMPACTS = (
    ("impact_self", "Impact on self"),
    ("impact_others", "Impact on others"),
    ("impact_trust", "Impact on trust"),
)


class JulyReflectionForm(LimitedForm):
    """The July reflection: a rating and evidence for each of the person's objectives, then the
    impact on self, others and the trust. The service checks what a submission needs."""

    def __init__(
        self,
        data: Any = None,
        *,
        objectives: list[Any],
        reflection: Any = None,
        ratings: dict[int, Any],
    ) -> None:
        super().__init__(data)
        self.objectives = objectives
        for objective in objectives:
            key, area = objective.public_id, objective.get_area_display()
            saved = ratings.get(objective.pk)
            self.fields[f"rating_{key}"] = forms.ChoiceField(
                label=f"How far did you meet it? ({area})",
                choices=RATING_CHOICES,
                required=False,
                initial=saved.rating if saved else "",
                widget=forms.RadioSelect,
            )
            self.fields[f"evidence_{key}"] = forms.CharField(
                label=f"Evidence ({area})",
                required=False,
                max_length=4000,
                initial=saved.evidence if saved else "",
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        for name, label in IMPACTS:
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                max_length=4000,
                initial=getattr(reflection, name, ""),
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def rows(self) -> list[dict[str, Any]]:
        """Each objective with its two fields, for the template."""
        return [
            {
                "objective": objective,
                "rating": self[f"rating_{objective.public_id}"],
                "evidence": self[f"evidence_{objective.public_id}"],
            }
            for objective in self.objectives
        ]

    def impacts(self) -> list[forms.BoundField]:
        return [self[name] for name, _ in IMPACTS]

    def saved_values(self) -> dict[str, Any]:
        """The service's arguments: ratings by objective id, and the three impacts."""
        data = self.cleaned_data
        return {
            "ratings": {
                o.pk: (data[f"rating_{o.public_id}"], data[f"evidence_{o.public_id}"])
                for o in self.objectives
            },
            **{name: data[name] for name, _ in IMPACTS},
        }

    def save(
        self, *, actor: StaffMember, cycle: GrowthCycle, submit: bool
    ) -> JulyReflection | None:
        return service_result(
            self,
            services.july_reflection_save,
            actor=actor,
            cycle=cycle,
            submit=submit,
            **self.saved_values(),
        )
