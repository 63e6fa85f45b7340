"""Text as typed, made storable."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator


def without_nul(value: Any) -> Any:
    """``value`` with U+0000 removed from every string in it: PostgreSQL cannot store it in
    text or JSON. For drafts saved as typed (autosaves), which no form validates; a form's
    CharField refuses it with a message instead."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [without_nul(v) for v in value]
    return value


# The longest free text a form accepts where the field sets no limit of its own (a check-in
# reflection, a statement's part 1, a note): about four pages. One maximum per field, enforced
# by its form for a save and an autosave alike.
LONG_TEXT_MAX = 10_000


def text_limits_named(form: forms.BaseForm) -> None:
    """Give every text field of ``form`` one maximum (its own, or LONG_TEXT_MAX) and a refusal
    that names the field: Django's own ("Ensure this value has at most …") does not say which,
    and an autosave status line or a list of errors must. Idempotent: it runs again when the
    form cleans, for fields added after the form's __init__."""
    for name, field in form.fields.items():
        # UUID and JSON fields are CharFields whose cleaned value is not the text typed.
        if not isinstance(field, forms.CharField) or isinstance(
            field, forms.UUIDField | forms.JSONField
        ):
            continue
        if field.max_length is None:
            field.max_length = LONG_TEXT_MAX
            # No maxlength attribute on the widget: a browser cuts a paste at it without a word.
            field.validators.append(MaxLengthValidator(LONG_TEXT_MAX))
        label = str(field.label or name.replace("_", " ").capitalize()).rstrip(" …:")
        # The message is %-formatted with the value's length: a "%" in a label stays text.
        field.error_messages["max_length"] = (
            f"{label.replace('%', '%%')} is too long: at most {field.max_length:,} characters "
            "(it has %(show_value)d)."
        )


class ServiceErrors:
    """A form that also shows what the service refused, on the field it names."""

    def add_service_errors(
        self: Any,
        error: ValidationError,
        fields: dict[str, str] | None = None,
        *,
        above: bool = False,
    ) -> None:
        """Put a service's ``ValidationError`` on the form: each message on the field it names
        (``fields`` maps a service's name to the form's where they differ), the rest above
        the form; every message above the form if ``above``."""
        if above or not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for name, messages in error.message_dict.items():
            target = (fields or {}).get(name, name)
            self.add_error(target if target in self.fields else None, messages)


class LimitedForm(ServiceErrors, forms.Form):
    """A form whose text fields each have one maximum and say which field is too long."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        text_limits_named(self)

    def full_clean(self) -> None:
        # Again for the fields a subclass's __init__ added after this one's ran.
        text_limits_named(self)
        super().full_clean()


class LimitedModelForm(ServiceErrors, forms.ModelForm):
    """LimitedForm for a model: model fields keep their own max_length; a TextField, which
    has none a form enforces, gets LONG_TEXT_MAX."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        text_limits_named(self)

    def full_clean(self) -> None:
        # Again for the fields a subclass's __init__ added after this one's ran.
        text_limits_named(self)
        super().full_clean()


def too_long_messages(form: forms.BaseForm) -> list[str]:
    """The form's refusals of text over its limit, each naming the field: what an autosave
    says instead of "Draft saved" (a draft is never cut to fit)."""
    form.is_valid()
    return [
        message
        for errors in form.errors.as_data().values()
        for error in errors
        if error.code == "max_length"
        for message in error.messages
    ]
