from __future__ import annotations

from typing import Any

from django import forms

from growth.domain.text import LimitedForm, LimitedModelForm
from growth.models import CareerStage, StaffMember
from growth.security.uploads import UploadValidator
from standards import services
from standards.loader import (
    FrameworkFileError,
    csv_framework_data,
    parse_framework_text,
    validate_framework,
)
from standards.models import Framework, Rating, SelfReview, Standard
from standards.selectors import framework_tree


def _short(standard: Standard) -> str:
    text = standard.title or standard.text
    return text if len(text) <= 60 else text[:57].rsplit(" ", 1)[0] + "…"


def rating_field(standard: Standard) -> str:
    return f"rating-{standard.public_id.hex}"


def steps_field(standard: Standard) -> str:
    return f"steps-{standard.public_id.hex}"


class SelfReviewForm(LimitedForm):
    """Ratings of the rated standards, next steps per top-level standard, and the reflection
    questions. Built from the framework so a trust's own frameworks work the same way."""

    strengths = forms.CharField(
        label=SelfReview._meta.get_field("strengths").verbose_name,
        help_text=SelfReview._meta.get_field("strengths").help_text,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    development_needs = forms.CharField(
        label=SelfReview._meta.get_field("development_needs").verbose_name,
        help_text=SelfReview._meta.get_field("development_needs").help_text,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    learning_needs = forms.CharField(
        label=SelfReview._meta.get_field("learning_needs").verbose_name,
        help_text=SelfReview._meta.get_field("learning_needs").help_text,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, review: SelfReview, **kwargs: Any) -> None:
        self.review = review
        self.tree = framework_tree(framework=review.framework)
        existing = {r.standard_id: r for r in review.ratings.all()}
        initial = {
            "strengths": review.strengths,
            "development_needs": review.development_needs,
            "learning_needs": review.learning_needs,
        }
        self.rated: list[Standard] = []
        self.headings: list[Standard] = []
        for part in self.tree:
            for node in part.nodes:
                self.headings.append(node.standard)
                for standard in node.rated:
                    self.rated.append(standard)
                    row = existing.get(standard.pk)
                    initial[rating_field(standard)] = row.rating if row else ""
                row = existing.get(node.standard.pk)
                initial[steps_field(node.standard)] = row.next_steps if row else ""
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        if review.staff_member.category != StaffMember.Category.TEACHING:
            # "The learning needs of my class" is a teacher's question (seed 004).
            del self.fields["learning_needs"]
        for standard in self.rated:
            self.fields[rating_field(standard)] = forms.ChoiceField(
                label=standard.ref,
                choices=Rating.choices,
                required=False,
                widget=forms.RadioSelect,
            )
        for standard in self.headings:
            self.fields[steps_field(standard)] = forms.CharField(
                label=f"Next step(s) for {standard.ref} {_short(standard)}",
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def layout(self) -> list[dict[str, Any]]:
        """Parts → top-level standards → rated standards, with their bound fields, for the
        template."""
        return [
            {
                "title": part.title,
                "nodes": [
                    {
                        "standard": node.standard,
                        "has_children": bool(node.children),
                        "steps": self[steps_field(node.standard)],
                        "rated": [(s, self[rating_field(s)]) for s in node.rated],
                    }
                    for node in part.nodes
                ],
            }
            for part in self.tree
        ]

    def ratings(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data.get(rating_field(s)) or "" for s in self.rated}

    def next_steps(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data.get(steps_field(s)) or "" for s in self.headings}

    def reflections(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(name) or ""
            for name in ("strengths", "development_needs", "learning_needs")
            if name in self.fields
        }

    def save(self, *, actor: StaffMember) -> list[str]:
        """Save the draft; what changed (the service may refuse: ``SelfReviewError``)."""
        return services.self_review_save(
            actor=actor,
            review=self.review,
            ratings=self.ratings(),
            next_steps=self.next_steps(),
            reflections=self.reflections(),
        )


class CommentForm(LimitedForm):
    standard = forms.ModelChoiceField(
        queryset=Standard.objects.none(),
        required=False,
        label="About (optional)",
        empty_label="The whole self-review",
        # Bootstrap's select: as wide as its box, so a long standard's text does not widen
        # the page on a phone.
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    text = forms.CharField(label="Your comment", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, review: SelfReview, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standard"].queryset = Standard.objects.unscoped().filter(
            framework_id=review.framework_id
        )
        self.fields["standard"].label_from_instance = lambda s: f"{s.ref} {s.title or s.text}"[:120]


class DescriptorFilterForm(LimitedForm):
    standard = forms.ChoiceField(label="Standard", required=False)
    stage = forms.ModelChoiceField(
        queryset=CareerStage.objects.all(),
        to_field_name="code",
        label="Career stage",
        required=False,
        empty_label=None,
    )

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "All standards")]
        for part in framework_tree(framework=framework):
            for node in part.nodes:
                choices.append(
                    (node.standard.code, f"{node.standard.ref} {node.standard.text}"[:90])
                )
        self.fields["standard"].choices = choices

    def chosen(self, default_stage: CareerStage | None) -> tuple[CareerStage | None, str]:
        """The career stage (the person's own until they choose) and standard code chosen."""
        if not self.is_bound or not self.is_valid():
            return default_stage, ""
        return self.cleaned_data["stage"] or default_stage, self.cleaned_data["standard"]


class FrameworkForm(LimitedModelForm):
    applies_to = forms.MultipleChoiceField(
        label="Who reflects against it",
        choices=StaffMember.Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Framework
        fields = ["code", "name", "description", "applies_to", "order"]
        help_texts = {"code": "Lower-case letters, digits and hyphens, e.g. support-standards."}

    def __init__(self, *args: Any, trust_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.trust_id = trust_id

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        taken = (
            Framework.objects.unscoped()
            .filter(trust_id=self.instance.trust_id, code=code)
            .exclude(pk=self.instance.pk)
        )
        if taken.exists():
            raise forms.ValidationError("Your trust already has a framework with this code.")
        return code


class StandardForm(LimitedModelForm):
    class Meta:
        model = Standard
        fields = ["parent", "code", "alt_code", "label", "part", "title", "text"]
        labels = {
            "parent": "Sub-standard of",
            "alt_code": "Other reference",
            "label": "Shown as",
            "part": "Part (heading)",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.framework = framework
        tops = Standard.objects.unscoped().filter(framework=framework, parent__isnull=True)
        if self.instance.pk:
            tops = tops.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = tops
        self.fields["parent"].empty_label = "None: a top-level standard"
        self.fields["parent"].label_from_instance = lambda s: f"{s.ref} {s.text}"[:90]


class DescriptorsForm(LimitedForm):
    """One textarea per career stage, one statement per line. A stage left out entirely has no
    descriptor; tick "empty" to record a stage the framework leaves empty."""

    def __init__(self, *args: Any, current: dict[str, list[str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stages = list(CareerStage.objects.order_by("order"))
        for stage in self.stages:
            self.fields[stage.code] = forms.CharField(
                label=f"{stage.name}: statements, one per line",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial="\n".join(current.get(stage.code) or []),
            )
            self.fields[f"{stage.code}-empty"] = forms.BooleanField(
                label=f"{stage.name} is deliberately empty",
                required=False,
                initial=stage.code in current and not current[stage.code],
            )

    def statements(self) -> dict[str, list[str] | None]:
        out: dict[str, list[str] | None] = {}
        for stage in self.stages:
            lines = [x.strip() for x in self.cleaned_data[stage.code].splitlines() if x.strip()]
            if lines:
                out[stage.code] = lines
            elif self.cleaned_data[f"{stage.code}-empty"]:
                out[stage.code] = []
            else:
                out[stage.code] = None
        return out

    def save(self, *, actor: StaffMember, standard: Standard) -> None:
        services.descriptors_save(actor=actor, standard=standard, statements=self.statements())


class FrameworkUploadForm(LimitedForm):
    """A framework file: YAML or JSON as ``fixtures/example_framework.yaml`` shows, or a
    spreadsheet saved as CSV (one standard a row) with its name and staff given here."""

    file = forms.FileField(
        label="Framework file (YAML, JSON or CSV)",
        help_text="YAML or JSON laid out as the example framework file; or CSV with the "
        "columns code and text (and optionally title, part and parent). It is loaded as a "
        "draft: nobody self-reviews against it until you publish it.",
        validators=[UploadValidator(kinds=("yaml", "json", "csv"))],
    )
    name = forms.CharField(label="Name (for a CSV file)", required=False, max_length=200)
    applies_to = forms.MultipleChoiceField(
        label="For (for a CSV file)",
        choices=StaffMember.Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file")
        if upload is None:
            return data
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            self.add_error("file", "The file is not UTF-8 text.")
            return data
        name = upload.name.lower()
        try:
            if name.endswith(".csv"):
                if not data.get("name", "").strip():
                    self.add_error("name", "Give the framework a name: a CSV file has none.")
                if not data.get("applies_to"):
                    self.add_error("applies_to", "Say which staff the framework is for.")
                if self.errors:
                    return data
                parsed = csv_framework_data(
                    text, name=data["name"].strip(), applies_to=data["applies_to"]
                )
            else:
                parsed = parse_framework_text(text, as_json=name.endswith(".json"))
            self.spec = validate_framework(parsed)
        except FrameworkFileError as exc:
            self.add_error("file", exc.problems)
        return data
