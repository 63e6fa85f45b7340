from __future__ import annotations

from typing import Any

from django import forms

from growth.forms import DateField
from growth.models import StaffMember
from growth.text import LimitedForm
from objectives.models import Objective


class CoachChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: StaffMember) -> str:
        return f"{obj.full_name} ({obj.job_title}, {obj.school.name})"


class CoachAssignForm(LimitedForm):
    coach = CoachChoice(
        label="Coach",
        queryset=StaffMember.objects.unscoped().none(),
        help_text="Coaching-qualified colleagues outside this person's line management, "
        "fewest coachees first.",
    )

    def __init__(self, *args: Any, coaches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches


class CoachingSessionForm(LimitedForm):
    held_on = DateField(label="Date")
    minutes = forms.IntegerField(label="Length (minutes)", min_value=5, max_value=480)
    focus = forms.CharField(label="Focus", max_length=200)
    objective = forms.ModelChoiceField(
        label="Linked objective",
        queryset=Objective.objects.unscoped().none(),
        required=False,
        help_text="Optional: the coachee's objective this session worked on.",
    )
    notes = forms.CharField(
        label="Notes (only the coach and the coachee see these)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, objectives: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = objectives
        self.fields["objective"].label_from_instance = lambda o: (
            f"{o.get_area_display()}: {o.to_text or 'not written yet'}"
        )


class LearningSettingsForm(LimitedForm):
    coachees_per_coach = forms.IntegerField(
        label="Most coachees per coach", min_value=1, max_value=50
    )
