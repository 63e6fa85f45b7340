from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.db import models
from django.forms.models import model_to_dict

from growth.domain.forms import DateField, service_result
from growth.domain.text import LimitedForm
from growth.models import GrowthCycle, School, StaffMember
from learning import services
from learning.models import (
    CoachAssignment,
    CoachingSession,
    LearningBudget,
    LearningEntry,
    LearningSettings,
    PlanReview,
    Resource,
)
from learning.selectors import LibraryFilters, ResourceFilters
from learning.services import EntryData, ResourceData
from objectives.models import Area, GrowthPlan, Objective
from objectives.selectors import sorted_objectives
from standards.models import Standard

T = TypeVar("T")


def data_of(data_class: type[T], cleaned: dict[str, Any]) -> T:
    """The service's data object from a form's cleaned data, field by field (a chosen set of
    records as a list)."""
    return data_class(
        **{
            f.name: list(cleaned[f.name])
            if isinstance(cleaned[f.name], models.QuerySet)
            else cleaned[f.name]
            for f in dataclasses.fields(data_class)
        }
    )


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

    def save(self, *, actor: StaffMember, coachee: StaffMember) -> CoachAssignment | None:
        return service_result(
            self,
            services.coach_assign,
            actor=actor,
            coachee=coachee,
            coach=self.cleaned_data["coach"],
        )


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

    @classmethod
    def initial_from(cls, session: CoachingSession) -> dict[str, Any]:
        return model_to_dict(session, fields=list(cls.base_fields))

    def save(
        self,
        *,
        actor: StaffMember,
        assignment: CoachAssignment,
        session: CoachingSession | None,
    ) -> CoachingSession | None:
        return service_result(
            self,
            services.coaching_session_record,
            actor=actor,
            assignment=assignment,
            session=session,
            **self.cleaned_data,
        )


class LearningSettingsForm(LimitedForm):
    coachees_per_coach = forms.IntegerField(
        label="Most coachees per coach", min_value=1, max_value=50
    )

    def save(self, *, actor: StaffMember) -> LearningSettings | None:
        return service_result(
            self, services.learning_settings_update, actor=actor, **self.cleaned_data
        )


class StandardChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Standard) -> str:
        return f"{obj.framework.name} {obj}"


class StandardSingleChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Standard) -> str:
        return f"{obj.framework.name} {obj}"


class LearningEntryForm(LimitedForm):
    kind = forms.ChoiceField(label="What kind of learning", choices=LearningEntry.Kind.choices)
    title = forms.CharField(label="Title", max_length=200)
    provider = forms.CharField(label="Provider", max_length=200, required=False)
    started_on = DateField(label="Date")
    hours = forms.DecimalField(
        label="Hours", min_value=Decimal("0.5"), max_value=2000, decimal_places=1
    )
    cost = forms.DecimalField(
        label="Cost (£)", min_value=0, max_digits=9, decimal_places=2, initial=0, required=False
    )
    paid_by = forms.ChoiceField(label="Who paid", choices=LearningEntry.PaidBy.choices)
    objectives = forms.ModelMultipleChoiceField(
        label="Objectives it supports",
        queryset=Objective.objects.unscoped().none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    standards = StandardChoice(
        label="Standards it develops",
        queryset=Standard.objects.unscoped().none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, objectives: Any, standards: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objectives"].queryset = objectives
        self.fields["objectives"].label_from_instance = lambda o: (
            f"{o.plan.cycle.name} {o.get_area_display()}: {o.to_text or 'not written yet'}"
        )
        self.fields["standards"].queryset = standards

    def clean_cost(self) -> Decimal:
        return self.cleaned_data.get("cost") or Decimal("0")

    def to_data(self) -> EntryData:
        return data_of(EntryData, self.cleaned_data)

    def save(self, *, actor: StaffMember, entry: LearningEntry | None) -> LearningEntry | None:
        """The entry in the person's own record (``entry``: the one they change, if any)."""
        return service_result(
            self,
            services.learning_entry_record,
            actor=actor,
            staff=actor,
            data=self.to_data(),
            entry=entry,
        )

    @classmethod
    def initial_from(cls, entry: LearningEntry) -> dict[str, Any]:
        return model_to_dict(entry, fields=list(cls.base_fields))


class ImpactForm(LimitedForm):
    impact = forms.CharField(
        label="What difference has it made?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="To you, your pupils or your colleagues: what changed, and how you know.",
    )

    def save(self, *, actor: StaffMember, entry: LearningEntry) -> LearningEntry | None:
        return service_result(
            self, services.learning_impact_record, actor=actor, entry=entry, **self.cleaned_data
        )


class BudgetForm(LimitedForm):
    amount = forms.DecimalField(
        label="Professional learning budget for the year (£)",
        min_value=0,
        max_digits=10,
        decimal_places=2,
    )

    def save(self, *, actor: StaffMember, school: School, cycle: GrowthCycle) -> LearningBudget:
        return services.learning_budget_set(
            actor=actor, school=school, cycle=cycle, amount=self.cleaned_data["amount"]
        )


def _blank_first(choices: Any, label: str) -> list[tuple[str, str]]:
    return [("", label), *choices]


class ResourceSearchForm(LimitedForm):
    q = forms.CharField(label="Search", max_length=200, required=False)
    area = forms.ChoiceField(
        label="Objective area", choices=_blank_first(Area.choices, "Any area"), required=False
    )
    category = forms.ChoiceField(
        label="Staff category",
        choices=_blank_first(StaffMember.Category.choices, "Any category"),
        required=False,
    )
    phase = forms.ChoiceField(
        label="Phase", choices=_blank_first(Resource.Phase.choices, "Any phase"), required=False
    )
    standard = StandardSingleChoice(
        label="Standard",
        queryset=Standard.objects.unscoped().none(),
        required=False,
        empty_label="Any standard",
    )

    def __init__(self, *args: Any, standards: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standard"].queryset = standards

    def filters(self) -> ResourceFilters:
        d = self.cleaned_data if self.is_valid() else {}
        return ResourceFilters(
            query=d.get("q", ""),
            area=d.get("area", ""),
            category=d.get("category", ""),
            phase=d.get("phase", ""),
            standard=d.get("standard"),
        )


class ResourceForm(LimitedForm):
    title = forms.CharField(label="Title", max_length=200)
    summary = forms.CharField(
        label="Summary", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    format = forms.ChoiceField(label="What it is", choices=Resource.Format.choices)
    url = forms.URLField(
        label="Link",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="For a link.",
    )
    file = forms.FileField(
        label="File",
        required=False,
        help_text="For a file: PDF, Word, PowerPoint, Excel, an image or text, up to 5 MB.",
    )
    body = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="For a page of text.",
    )
    area = forms.ChoiceField(
        label="Objective area", choices=_blank_first(Area.choices, "Every area"), required=False
    )
    category = forms.ChoiceField(
        label="Staff category",
        choices=_blank_first(StaffMember.Category.choices, "Every category"),
        required=False,
    )
    phase = forms.ChoiceField(
        label="Phase", choices=_blank_first(Resource.Phase.choices, "Every phase"), required=False
    )
    standards = StandardChoice(
        label="Standards",
        queryset=Standard.objects.unscoped().none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, standards: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standards"].queryset = standards

    def to_data(self) -> ResourceData:
        return data_of(ResourceData, self.cleaned_data)

    def save(self, *, actor: StaffMember, resource: Resource | None) -> Resource | None:
        """Publish a new resource, or change ``resource``."""
        return service_result(
            self,
            services.resource_publish,
            actor=actor,
            data=self.to_data(),
            upload=self.cleaned_data.get("file"),
            resource=resource,
        )

    @classmethod
    def initial_from(cls, resource: Resource) -> dict[str, Any]:
        return model_to_dict(resource, fields=list(cls.base_fields))


class PlanReviewForm(LimitedForm):
    """Seed 004's "Professional Growth Plan: Review", question for question."""

    intended = forms.CharField(
        label=PlanReview._meta.get_field("intended").verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    did = forms.CharField(
        label=PlanReview._meta.get_field("did").verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    impact = forms.CharField(
        label=PlanReview._meta.get_field("impact").verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    recommendations = forms.CharField(
        label=PlanReview._meta.get_field("recommendations").verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    other_contexts = forms.CharField(
        label=PlanReview._meta.get_field("other_contexts").verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    area = forms.ChoiceField(
        label="The area it addressed",
        choices=_blank_first(Area.choices, "Not one area"),
        required=False,
    )
    standards = StandardChoice(
        label="The standards it addressed",
        queryset=Standard.objects.unscoped().none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, standards: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standards"].queryset = standards

    @classmethod
    def initial_for(cls, plan: GrowthPlan, review: PlanReview | None) -> dict[str, Any]:
        """The draft as saved; a new review starts from what the plan set out to do."""
        if review is not None:
            return model_to_dict(review, fields=list(cls.base_fields))
        objectives = sorted_objectives(plan)
        return {
            "intended": "\n".join(o.sentence for o in objectives if o.to_text),
            "standards": [s.pk for o in objectives for s in o.standards.all()],
        }

    def save(
        self, *, actor: StaffMember, plan: GrowthPlan, review: PlanReview | None, submit: bool
    ) -> PlanReview | None:
        data = self.cleaned_data
        return service_result(
            self,
            services.plan_review_write,
            actor=actor,
            plan=plan,
            review=review,
            answers={name: data[name] for name in services.REVIEW_ANSWERS},
            area=data["area"],
            standards=list(data["standards"]),
            submit=submit,
        )


class ShareForm(LimitedForm):
    scope = forms.ChoiceField(
        label="Share it with",
        choices=[
            (PlanReview.Sharing.SCHOOL, "My school"),
            (PlanReview.Sharing.TRUST, "The whole trust"),
        ],
        widget=forms.RadioSelect,
        help_text="Colleagues will see your answers above, the area and the standards — "
        "never your check-ins, your review or its outcome. You can withdraw it at any time.",
    )


class LibrarySearchForm(LimitedForm):
    q = forms.CharField(label="Search", max_length=200, required=False)
    area = forms.ChoiceField(
        label="Objective area", choices=_blank_first(Area.choices, "Any area"), required=False
    )
    standard = StandardSingleChoice(
        label="Standard",
        queryset=Standard.objects.unscoped().none(),
        required=False,
        empty_label="Any standard",
    )

    def __init__(self, *args: Any, standards: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standard"].queryset = standards

    def filters(self) -> LibraryFilters:
        d = self.cleaned_data if self.is_valid() else {}
        return LibraryFilters(
            query=d.get("q", ""), area=d.get("area", ""), standard=d.get("standard")
        )
