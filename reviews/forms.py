from __future__ import annotations

import json
from typing import Any

from django import forms

from growth.domain.forms import DateField
from growth.domain.text import LimitedForm
from reviews import frames, rubric


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


def statement_form_class(slot_list: list[frames.Slot]) -> type[forms.Form]:
    """The statement form: one field per writing-frame slot, then part 1 and part 2."""
    fields: dict[str, forms.Field] = {}
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
    return type("StatementForm", (LimitedForm,), fields)


def choices_from(form_data: Any, slot_list: list[frames.Slot]) -> dict[str, Any]:
    """The reviewer's raw slot choices from POST data, keyed by slot name."""
    raw: dict[str, Any] = {}
    for slot in slot_list:
        key = f"slot_{slot.name}"
        raw[slot.name] = form_data.getlist(key) if slot.kind == "areas" else form_data.get(key, "")
    return raw


class DecisionForm(LimitedForm):
    outcome = forms.ChoiceField(
        label="Final outcome", choices=rubric.OUTCOME_CHOICES, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason for amending (needed if you change the outcome)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
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
