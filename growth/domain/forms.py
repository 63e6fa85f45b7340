"""Forms of the core: staff import, trust settings, and the allauth password form that
doubles as the invitation's "choose your password" step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from allauth.account.forms import LoginForm, ResetPasswordKeyForm
from django import forms
from django.core.exceptions import ValidationError

from growth.domain.services import leader_review_arrange, staff_invitation_accept
from growth.domain.text import LimitedForm, LimitedModelForm
from growth.models import (
    GrowthCycle,
    LeaderReviewArrangement,
    School,
    StrategicGoal,
    Trust,
    TrustPriority,
)
from growth.security.uploads import upload_text

T = TypeVar("T")


def service_result(
    form: LimitedForm | LimitedModelForm,
    service: Callable[..., T],
    /,
    *,
    refusals: tuple[type[Exception], ...] = (),
    above: bool = False,
    **arguments: Any,
) -> T | None:
    """What ``service(**arguments)`` returns once ``form`` is valid; otherwise None: the form
    was not posted (an unbound form is never valid) or is not valid, or the service refused,
    its refusal then shown on ``form`` (``add_service_errors``: on the fields it names, the
    rest above the form; all of it above the form if ``above``). A refusal is a
    ``ValidationError``, or one of ``refusals``: a service's own exceptions whose text is the
    reason. The services return what they wrote, never None.

    For a view (``if service_result(form, form.save, actor=…) is not None``; an argument
    read from ``form.cleaned_data`` goes in a lambda, as it exists only once the form is
    valid) and for a form's save method, the form keeping the mapping of its fields onto the
    service's."""
    if not form.is_valid():
        return None
    try:
        return service(**arguments)
    except (ValidationError, *refusals) as exc:
        refusal = exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
        form.add_service_errors(refusal, above=above)
        return None


class SignInForm(LoginForm):
    """allauth's login form in the product's words (the reset link sits under the form)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in on this device"


class SetPasswordFromKeyForm(ResetPasswordKeyForm):
    """allauth's reset-from-key form; the link reached the person's inbox, so choosing a
    password also verifies their email address (how an invitation is accepted)."""

    def save(self) -> None:
        super().save()
        staff_invitation_accept(user=self.user)


class StaffImportUploadForm(LimitedForm):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: first name, last name, email, school, job title, category, "
        "career stage, line manager email, start date (YYYY-MM-DD or DD/MM/YYYY); optional: "
        "pay range, pay point, TLR, SLT, coaching facilitator, coaching qualified, "
        "leadership goal, leaving date.",
    )

    def clean_file(self) -> str:
        try:
            return upload_text(self.cleaned_data["file"], kinds=("csv",))
        except forms.ValidationError as error:
            if error.code in ("type", "content"):
                raise forms.ValidationError(
                    "The file is not CSV text (an Excel workbook?): save it from your "
                    "spreadsheet as CSV.",
                    code=error.code,
                ) from error
            raise


class StaffImportConfirmForm(LimitedForm):
    digest = forms.CharField(widget=forms.HiddenInput)


class TrustSettingsForm(LimitedModelForm):
    class Meta:
        model = Trust
        fields = Trust.SETTINGS
        widgets = {"brand_colour": forms.TextInput(attrs={"type": "color"})}
        labels = {
            "checkin_cadence_days": "Days between check-ins",
            "checkin_length_minutes": "Check-in length (minutes)",
            "reminder_notice_days": "Reminder notice (days before a check-in)",
            "observation_minutes_per_term": "Observation minutes per term (at most)",
            "observation_terms_per_year": "Terms in the year",
            "peer_visits_use_observation_minutes": "Peer learning visits use the host's "
            "observation minutes",
            "early_career_teachers_write_plan": "Early career teachers write the GROW plan",
            "early_career_exempt_from_objectives": "Early career teachers are also exempt from "
            "objectives and check-ins",
            "performance_concerns_policy_url": "Managing Performance Concerns policy (link)",
            "retention_months": "Keep leavers' records for (months)",
            "require_mfa_for_leaders": "Require two-factor sign-in for headteachers, managers "
            "and trust admins",
            "email_domains": "Email domains",
            "microsoft_tenant_id": "Microsoft (Entra ID) tenant id",
            "google_workspace_domain": "Google Workspace domain",
        }

    def clean_email_domains(self) -> str:
        domains = [
            d.strip().lower().lstrip("@") for d in self.cleaned_data["email_domains"].split(",")
        ]
        domains = [d for d in domains if d]
        for domain in domains:
            if "." not in domain or " " in domain or "@" in domain:
                raise forms.ValidationError(
                    f"{domain!r} is not an email domain (e.g. trust.org.uk)."
                )
        return ", ".join(domains)

    def clean_brand_colour(self) -> str:
        return self.cleaned_data["brand_colour"].lower()


class DateInput(forms.DateInput):
    """A browser's date picker. It shows and sends only an ISO date (2026-09-15): any other
    pre-filled value leaves it blank, and the first save fails as if nothing were chosen."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateField(forms.DateField):
    """Every date a form asks for: a date picker pre-filled in ISO, reading what the browser
    sends (and the UK forms settings.DATE_INPUT_FORMATS accept from people typing)."""

    widget = DateInput


class GrowthCycleForm(LimitedModelForm):
    class Meta:
        model = GrowthCycle
        fields = [
            "name",
            "start_date",
            "end_date",
            "objectives_deadline",
            "reflection_opens",
            "reflection_closes",
            "review_deadline",
            "final_decision_deadline",
            "review_window_opens",
            "review_window_closes",
        ]
        labels = {
            "review_window_opens": "Review window opens (empty: the summer term)",
            "review_window_closes": "Review window closes (empty: the summer term)",
            "objectives_deadline": "Objectives agreed by",
            "reflection_opens": "July reflection opens",
            "reflection_closes": "July reflection closes",
            "final_decision_deadline": "Final decisions by",
        }
        widgets = {name: DateInput() for name in fields if name != "name"}

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.trust = trust

    def validate_unique(self) -> None:
        # The trust is not a form field; check the per-trust name ourselves.
        super().validate_unique()
        name = self.cleaned_data.get("name")
        clash = GrowthCycle.objects.for_trust(self.instance.trust).filter(name=name)
        if name and clash.exclude(pk=self.instance.pk).exists():
            self.add_error("name", "This trust already has a cycle with that name.")


class DatedRowForm(LimitedForm):
    """One term or closure on the cycle page; an empty row is ignored."""

    public_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(max_length=100, required=False)
    start_date = forms.DateField(required=False, widget=DateInput())
    end_date = forms.DateField(required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        filled = [data.get(k) for k in ("name", "start_date", "end_date")]
        if any(filled) and not all(filled):
            raise forms.ValidationError("Give a name, a start date and an end date.")
        if all(filled) and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "This ends before it starts.")
        return data


DatedRowFormSet = forms.formset_factory(DatedRowForm, extra=2, can_delete=True)


class TrustPriorityForm(LimitedModelForm):
    class Meta:
        model = TrustPriority
        fields = ["name", "description", "order"]
        labels = {"name": "Priority (pillar)", "order": "Position in lists"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.trust = trust

    def validate_unique(self) -> None:
        super().validate_unique()
        name = self.cleaned_data.get("name")
        clash = TrustPriority.objects.for_trust(self.instance.trust).filter(name=name)
        if name and clash.exclude(pk=self.instance.pk).exists():
            self.add_error("name", "This trust already has a priority with that name.")


class StrategicGoalForm(LimitedModelForm):
    # Declared here because the default choices would query with no trust in scope; the
    # real, trust-scoped querysets are set in __init__.
    priority = forms.ModelChoiceField(queryset=TrustPriority.objects.unscoped().none())
    school = forms.ModelChoiceField(
        queryset=School.objects.unscoped().none(),
        required=False,
        label="School (leave empty for the whole trust)",
    )
    cycle = forms.ModelChoiceField(queryset=GrowthCycle.objects.unscoped().none(), required=False)

    class Meta:
        model = StrategicGoal
        fields = ["priority", "title", "description", "school", "cycle"]
        labels = {"school": "School (leave empty for the whole trust)", "cycle": "Cycle"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.trust = trust
        self.fields["priority"].queryset = TrustPriority.objects.for_trust(trust)
        self.fields["school"].queryset = School.objects.for_trust(trust)
        self.fields["cycle"].queryset = GrowthCycle.objects.for_trust(trust)


class DutyRoleForm(LimitedForm):
    """Name a designated decider, or a deputy to act for a school's absent headteacher."""

    ROLE_CHOICES = [
        ("designated_decider", "Designated decider (e.g. CEO or executive headteacher)"),
        ("acting_headteacher", "Deputy acting for an absent headteacher"),
    ]
    role = forms.ChoiceField(choices=ROLE_CHOICES, label="Role")
    staff = forms.ModelChoiceField(queryset=None, label="Person")
    school = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="School (for a deputy)",
        help_text="The school whose headteacher the deputy acts for.",
    )

    def __init__(self, *args: Any, trust_id: int, **kwargs: Any) -> None:
        from growth.models import StaffMember

        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = (
            StaffMember.objects.for_trust(trust_id)
            .filter(is_active=True)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )
        self.fields["staff"].label_from_instance = lambda p: f"{p.full_name}, {p.job_title}"
        self.fields["school"].queryset = School.objects.for_trust(trust_id).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        role, school = data.get("role"), data.get("school")
        if role == "acting_headteacher" and school is None:
            self.add_error("school", "Choose the school whose headteacher the deputy acts for.")
        if role == "designated_decider" and school is not None:
            self.add_error("school", "A designated decider serves the whole trust: leave empty.")
        return data


class LeaderReviewForm(LimitedForm):
    """Who reviews one headteacher or manager, and who advises."""

    reviewer = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Reviewer",
        empty_label="Their line manager",
    )
    adviser = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Adviser (reads and comments)",
        empty_label="None",
    )

    def __init__(self, *args: Any, trust_id: int, leader: Any, **kwargs: Any) -> None:
        from growth.models import StaffMember

        # One form per leader on the page: each named by the leader.
        super().__init__(*args, prefix=str(leader.public_id), **kwargs)
        self.leader = leader
        # Nobody from the leader's own school: their growth year is hidden from it.
        people = (
            StaffMember.objects.for_trust(trust_id)
            .filter(is_active=True)
            .exclude(school_id=leader.school_id)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )
        for name in ("reviewer", "adviser"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = lambda p: f"{p.full_name}, {p.job_title}"

    @classmethod
    def as_arranged(
        cls, *, trust_id: int, leader: Any, arrangement: LeaderReviewArrangement | None
    ) -> LeaderReviewForm:
        """The form as the page opens: the leader's current reviewer and adviser chosen."""
        initial = {
            "reviewer": arrangement.reviewer_id if arrangement else None,
            "adviser": arrangement.adviser_id if arrangement else None,
        }
        return cls(trust_id=trust_id, leader=leader, initial=initial)

    def save(self, *, actor: Any) -> LeaderReviewArrangement:
        """Name who reviews and advises the leader; the service may refuse
        (``ValidationError``)."""
        return leader_review_arrange(
            actor=actor,
            leader=self.leader,
            reviewer=self.cleaned_data["reviewer"],
            adviser=self.cleaned_data["adviser"],
        )


class StageMovesForm(LimitedForm):
    """September's career stage moves: one choice per early career teacher, set to the stage
    the policy moves them to; HR changes or clears any before confirming."""

    def __init__(self, *args: Any, moves: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from growth.models import CareerStage

        self.stages = {s.code: s for s in CareerStage.objects.all()}
        choices = [("", "Leave as it is"), *((code, s.name) for code, s in self.stages.items())]
        self.moves = moves
        for move in moves:
            self.fields[self.key(move)] = forms.ChoiceField(
                label=f"{move.staff.full_name}, {move.staff.school.name} (now {move.from_stage})",
                choices=choices,
                required=False,
                initial=move.to_stage.code,
            )

    @staticmethod
    def key(move: Any) -> str:
        return f"stage_{move.staff.public_id.hex}"

    @property
    def rows(self) -> list[tuple[Any, Any]]:
        return [(move, self[self.key(move)]) for move in self.moves]

    def confirmed(self) -> list[tuple[Any, Any]]:
        chosen = []
        for move in self.moves:
            code = self.cleaned_data.get(self.key(move))
            if code:
                chosen.append((move.staff, self.stages[code]))
        return chosen


class NotificationSettingsForm(LimitedForm):
    """One choice per kind of notification a person may turn the email off for."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from growth.models import Notification
        from growth.notifications.services import KINDS

        for key, kind in KINDS.items():
            if kind.always_email:
                continue
            self.fields[key] = forms.ChoiceField(
                label=kind.label,
                choices=Notification.Delivery.choices,
                widget=forms.RadioSelect,
                initial=current.get(key, Notification.Delivery.EMAIL),
            )


class PersonRoleForm(LimitedForm):
    """Give a person a role from their page."""

    ROLE_CHOICES = [
        ("headteacher", "Headteacher / manager of a school or team"),
        ("trust_admin", "Trust admin (HR)"),
        ("acting_headteacher", "Deputy acting for an absent headteacher"),
        ("designated_decider", "Designated decider (e.g. CEO)"),
    ]
    role = forms.ChoiceField(choices=ROLE_CHOICES, label="Role")
    school = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="School or team (for a headteacher, manager or acting deputy)",
    )

    def __init__(self, *args: Any, trust_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.for_trust(trust_id).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        role, school = data.get("role"), data.get("school")
        if role in ("headteacher", "acting_headteacher") and school is None:
            self.add_error("school", "Choose the school or team they will lead.")
        return data


class PersonDetailsForm(LimitedForm):
    """A person's line manager, leave date and the flags that change what they write."""

    line_manager = forms.ModelChoiceField(
        queryset=None, required=False, label="Line manager", empty_label="No line manager"
    )
    leave_date = DateField(
        required=False, label="Leave date", help_text="Leave empty while they stay."
    )
    asked_for_leadership_goal = forms.BooleanField(
        required=False,
        label="Writes a leadership goal",
        help_text="Upper pay range teachers, TLR holders and senior leaders always do.",
    )
    holds_tlr = forms.BooleanField(required=False, label="Holds a TLR")
    is_senior_leader = forms.BooleanField(required=False, label="Senior leader (SLT)")
    is_coaching_facilitator = forms.BooleanField(
        required=False, label="Trained coaching facilitator"
    )
    coaching_qualified = forms.BooleanField(
        required=False, label="Holds the coaching qualification"
    )

    def __init__(self, *args: Any, trust_id: int, subject: Any, **kwargs: Any) -> None:
        from growth.models import StaffMember

        super().__init__(*args, **kwargs)
        self.fields["line_manager"].queryset = (
            StaffMember.objects.for_trust(trust_id)
            .filter(is_active=True)
            .exclude(pk=subject.pk)
            .select_related("user", "school")
            .order_by("user__last_name", "user__first_name")
        )
        self.fields["line_manager"].label_from_instance = lambda p: (
            f"{p.full_name}, {p.job_title} ({p.school.name})"
        )
