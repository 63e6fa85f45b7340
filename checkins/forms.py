from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.formats import date_format

from checkins import services
from checkins.models import (
    Checkin,
    CheckinReflection,
    Evidence,
    FeedbackConversation,
    Observation,
)
from checkins.services import CheckinData, FeedbackData
from growth.domain.forms import DateField
from growth.domain.text import LimitedForm
from growth.models import GrowthCycle, StaffMember
from objectives.models import Area


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: StaffMember) -> str:
        return f"{obj.full_name} ({obj.job_title})"


class PersonSingleChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: StaffMember) -> str:
        return f"{obj.full_name} ({obj.job_title}, {obj.school.name})"


class CheckinForm(LimitedForm):
    """The whole check-in on one short page."""

    held_on = DateField(label="Date held")
    reflect_self = forms.CharField(
        label="Impact on Self: progress", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reflect_others = forms.CharField(
        label="Impact on Others: progress",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reflect_trust = forms.CharField(
        label="Impact on Trust: progress", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_step_by = forms.CharField(label="By …", required=False, max_length=200)
    next_step_i_am = forms.CharField(label="I am …", required=False, max_length=500)
    next_step_so_that = forms.CharField(label="so that …", required=False, max_length=500)
    recognised = PersonChoice(
        label="Recognition of others (colleagues to recognise)",
        queryset=StaffMember.objects.unscoped().none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    thinking_tools = forms.ModelMultipleChoiceField(
        label="Thinking tools used",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    took_part_in_360 = forms.BooleanField(label="Took part in 360 feedback", required=False)
    manager_comment = forms.CharField(
        label="Line manager's comment", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        colleagues: Any,
        tools: Any,
        is_manager: bool,
        objectives: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for area, objective in (objectives or {}).items():
            if objective.to_text:
                self.fields[f"reflect_{area}"].help_text = f"Objective: To {objective.to_text}"
        self.fields["recognised"].queryset = colleagues
        self.fields["thinking_tools"].queryset = tools
        if not is_manager:
            del self.fields["manager_comment"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        parts = [
            data.get("next_step_by"),
            data.get("next_step_i_am"),
            data.get("next_step_so_that"),
        ]
        if any(parts) and not data.get("next_step_i_am"):
            self.add_error("next_step_i_am", 'Complete the next step: "I am …".')
        return data

    def to_data(self) -> CheckinData:
        d = self.cleaned_data
        return CheckinData(
            held_on=d["held_on"],
            reflections={
                Area.SELF: d["reflect_self"],
                Area.OTHERS: d["reflect_others"],
                Area.TRUST: d["reflect_trust"],
            },
            next_step_by=d["next_step_by"],
            next_step_i_am=d["next_step_i_am"],
            next_step_so_that=d["next_step_so_that"],
            recognised=list(d["recognised"]),
            thinking_tools=list(d["thinking_tools"]),
            took_part_in_360=d["took_part_in_360"],
            manager_comment=d.get("manager_comment") if "manager_comment" in self.fields else None,
        )

    def save(
        self,
        *,
        actor: StaffMember,
        staff: StaffMember,
        cycle: GrowthCycle,
        due_on: dt.date | None = None,
        checkin: Checkin | None = None,
    ) -> Checkin:
        """Record the check-in (``checkin``: correct that one instead)."""
        return services.checkin_record(
            actor=actor,
            staff=staff,
            cycle=cycle,
            due_on=due_on,
            checkin=checkin,
            data=self.to_data(),
        )

    @classmethod
    def initial_from(cls, checkin: Checkin) -> dict[str, Any]:
        notes = {r.area: r.progress_note for r in checkin.reflections.all()}
        return {
            "held_on": checkin.held_on,
            "reflect_self": notes.get(Area.SELF, ""),
            "reflect_others": notes.get(Area.OTHERS, ""),
            "reflect_trust": notes.get(Area.TRUST, ""),
            "next_step_by": checkin.next_step_by,
            "next_step_i_am": checkin.next_step_i_am,
            "next_step_so_that": checkin.next_step_so_that,
            "recognised": [r.colleague for r in checkin.recognitions.all()],
            "thinking_tools": list(checkin.thinking_tools.all()),
            "took_part_in_360": checkin.took_part_in_360,
            "manager_comment": checkin.manager_comment,
        }


class ExcuseForm(LimitedForm):
    status = forms.ChoiceField(
        label="What happened",
        choices=[
            (Checkin.Status.MISSED, "Missed"),
            (Checkin.Status.MOVED, "Moved"),
            (Checkin.Status.CANCELLED, "Cancelled"),
        ],
    )
    moved_to = DateField(label="New date (if moved)", required=False)
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("status") == Checkin.Status.MOVED and not data.get("moved_to"):
            self.add_error("moved_to", "Give the new date.")
        return data

    def save(
        self, *, actor: StaffMember, staff: StaffMember, cycle: GrowthCycle, due_on: dt.date
    ) -> Checkin:
        return services.checkin_excuse(
            actor=actor,
            staff=staff,
            cycle=cycle,
            due_on=due_on,
            status=self.cleaned_data["status"],
            reason=self.cleaned_data["reason"],
            moved_to=self.cleaned_data.get("moved_to"),
        )


class EvidenceForm(LimitedForm):
    area = forms.ChoiceField(label="Objective", choices=Area.choices)
    title = forms.CharField(label="Title", required=False, max_length=200)
    url = forms.URLField(label="Link", required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(
        label="Or a file (PDF, image, Office, text; at most 5 MB)", required=False
    )

    def __init__(self, *args: Any, reflections: list[CheckinReflection], **kwargs: Any) -> None:
        """Evidence goes with one of the objectives the check-in reflected on."""
        super().__init__(*args, **kwargs)
        self.reflections = {r.area: r for r in reflections}
        self.fields["area"].choices = [(r.area, r.get_area_display()) for r in reflections]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("url")) == bool(data.get("file")):
            raise forms.ValidationError("Give either a link or a file.")
        return data

    def save(self, *, actor: StaffMember) -> Evidence:
        data = self.cleaned_data
        return services.evidence_add(
            actor=actor,
            reflection=self.reflections[data["area"]],
            url=data.get("url") or "",
            upload=data.get("file"),
            title=data.get("title") or "",
        )


class DigestForm(LimitedForm):
    weekly_digest = forms.BooleanField(
        label="Send me one weekly email about my team instead of single reminders",
        required=False,
    )


class ObservationForm(LimitedForm):
    observee = PersonSingleChoice(
        label="Who is observed", queryset=StaffMember.objects.unscoped().none()
    )
    observer = PersonSingleChoice(label="Observer", queryset=StaffMember.objects.unscoped().none())
    date = DateField(label="Date")
    minutes = forms.IntegerField(label="Minutes", min_value=5, max_value=240, initial=20)
    purpose = forms.ChoiceField(label="Purpose", choices=Observation.Purpose.choices)
    focus_area = forms.ChoiceField(label="Focus (objective)", choices=Area.choices)
    focus_note = forms.CharField(label="Focus in a few words", required=False, max_length=300)
    requested_by_observee = forms.BooleanField(
        label="I am asking for this observation (outside the per-term limit)", required=False
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["observee"].queryset = people
        self.fields["observer"].queryset = people

    def save(self, *, actor: StaffMember, cycle: GrowthCycle) -> Observation:
        """Arrange the observation. The fields are the service's own arguments."""
        try:
            return services.observation_create(actor=actor, cycle=cycle, **self.cleaned_data)
        except PermissionDenied as error:
            # Arranging for people one may not is said on the page like any other refusal.
            raise ValidationError(str(error)) from error


class ObservationStepForm(LimitedForm):
    """One step of an observation, shown filled in with what the observation holds."""

    def __init__(self, data: Any = None, *, observation: Observation) -> None:
        initial = {name: getattr(observation, name) for name in self.base_fields}
        super().__init__(data, initial=initial)


class ObservationAgreeForm(ObservationStepForm):
    date = DateField(label="Date")
    focus_area = forms.ChoiceField(label="Focus (objective)", choices=Area.choices)
    focus_note = forms.CharField(label="Focus in a few words", required=False, max_length=300)


class ObservationNotesForm(ObservationStepForm):
    notes = forms.CharField(
        label="What was seen (information, not a judgement)",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ObservationCancelForm(ObservationStepForm):
    """Cancelling needs nothing but the button."""


class FeedbackForm(LimitedForm):
    held_on = DateField(label="Date of the conversation")
    previous = forms.ModelChoiceField(
        label="Previous action step the praise links to",
        queryset=FeedbackConversation.objects.unscoped().none(),
        required=False,
    )
    praise = forms.CharField(
        label="Praise",
        help_text="Appreciative feedback linked to a previous action step: specific and authentic.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    probing_question = forms.CharField(
        label="Probe",
        help_text="A probing question that gets your colleague to reflect on their focus.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next_action_step = forms.CharField(
        label="Next action step", widget=forms.Textarea(attrs={"rows": 2})
    )
    support_level = forms.TypedChoiceField(
        label="Level of support used",
        coerce=int,
        choices=FeedbackConversation.Support.choices,
        widget=forms.RadioSelect,
    )
    plan_ahead = forms.CharField(
        label="Plan ahead",
        help_text="A short-term target (a small +1) that fits in with future lessons, and what "
        "it will look like when achieved.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    timeline = DateField(label="Timeline: in place by")
    lock_in_i_am = forms.CharField(label="By next week I am …", max_length=500)
    lock_in_so_that = forms.CharField(label="so that the students …", max_length=500)

    def __init__(self, *args: Any, previous: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["previous"].queryset = previous
        self.fields["previous"].label_from_instance = lambda c: (
            f"{date_format(c.held_on)}: {c.next_action_step[:80]}"
        )

    def to_data(self, observation: Observation | None) -> FeedbackData:
        d = self.cleaned_data
        return FeedbackData(
            held_on=d["held_on"],
            praise=d["praise"],
            probing_question=d["probing_question"],
            next_action_step=d["next_action_step"],
            support_level=d["support_level"],
            plan_ahead=d["plan_ahead"],
            timeline=d["timeline"],
            lock_in_i_am=d["lock_in_i_am"],
            lock_in_so_that=d["lock_in_so_that"],
            previous=d["previous"],
            observation=observation,
        )

    def save(
        self, *, actor: StaffMember, staff: StaffMember, observation: Observation | None
    ) -> FeedbackConversation:
        return services.feedback_create(actor=actor, staff=staff, data=self.to_data(observation))


def default_date(value: dt.date | None) -> dt.date:
    return value or dt.date.today()
