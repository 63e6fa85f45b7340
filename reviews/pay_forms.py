"""Forms of the pay pages: the head's pay decision, the Upper Pay Scale application and its
decision, and the trust's mapping."""

from __future__ import annotations

from typing import Any

from django import forms

from growth.domain.forms import service_result
from growth.domain.text import LimitedForm
from growth.models import GrowthCycle, StaffMember
from reviews import pay_services, rubric
from reviews.models import PayDecision, Review, UpperPayApplication
from reviews.pay_rules import UPS_CRITERIA, PayOutcome, PayRating, PayRecommendation

MAX_ANSWER = 6000


class PayDecisionForm(LimitedForm):
    outcome = forms.ChoiceField(
        label="Pay decision",
        choices=PayOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether they progress or stay on their point."},
    )
    reason = forms.CharField(
        label="Reason (needed if you amend the recommendation or it was referred to you)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, recommended: str, **kwargs: Any) -> None:
        # The mapping's recommendation to progress is the head's to confirm; any other, theirs
        # to choose.
        initial = {"outcome": "progress" if recommended == PayRecommendation.PROGRESS else None}
        super().__init__(*args, initial=initial, **kwargs)

    def decide(self, *, actor: StaffMember, review: Review) -> PayDecision | None:
        return service_result(
            self,
            pay_services.pay_decide,
            actor=actor,
            review=review,
            outcome=self.cleaned_data["outcome"],
            reason=self.cleaned_data["reason"],
        )


class UpperPayApplicationForm(LimitedForm):
    def __init__(self, *args: Any, evidence_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (label, help_text) in UPS_CRITERIA.items():
            self.fields[name] = forms.CharField(
                label=label,
                help_text=help_text,
                max_length=MAX_ANSWER,
                widget=forms.Textarea(attrs={"rows": 5}),
                error_messages={"required": f"Answer “{label}”: say how you meet it."},
            )
        self.fields["evidence"] = forms.MultipleChoiceField(
            label="Link your evidence in the app (optional)",
            choices=evidence_choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )

    def apply(self, *, actor: StaffMember, cycle: GrowthCycle) -> UpperPayApplication | None:
        return service_result(
            self,
            pay_services.ups_apply,
            actor=actor,
            cycle=cycle,
            answers={name: self.cleaned_data[name] for name in UPS_CRITERIA},
            evidence=self.cleaned_data["evidence"],
        )


class UpperPayDecisionForm(LimitedForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            ("approve", "Approve: they move onto the Upper Pay Scale"),
            ("decline", "Do not approve this year"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve the application."},
    )
    reason = forms.CharField(
        label="Reason (the teacher sees it)",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason for your decision: the teacher sees it."},
    )

    def decide(
        self, *, actor: StaffMember, application: UpperPayApplication
    ) -> UpperPayApplication | None:
        return service_result(
            self,
            pay_services.ups_decide,
            actor=actor,
            application=application,
            approve=self.cleaned_data["decision"] == "approve",
            reason=self.cleaned_data["reason"],
        )


class PayMappingForm(LimitedForm):
    def __init__(self, *args: Any, mapping: dict[str, tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for outcome, label in rubric.OUTCOME_CHOICES:
            rating, recommendation = mapping[outcome]
            self.fields[f"rating_{outcome}"] = forms.ChoiceField(
                label=f"{label}: overall rating",
                choices=PayRating.choices,
                initial=rating,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[f"recommendation_{outcome}"] = forms.ChoiceField(
                label=f"{label}: recommendation",
                choices=PayRecommendation.choices,
                initial=recommendation,
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    def mapping(self) -> dict[str, tuple[str, str]]:
        return {
            outcome: (
                self.cleaned_data[f"rating_{outcome}"],
                self.cleaned_data[f"recommendation_{outcome}"],
            )
            for outcome in rubric.OUTCOMES
        }
