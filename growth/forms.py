"""Forms of the core: staff import, trust settings, and the allauth password form that
doubles as the invitation's "choose your password" step."""

from __future__ import annotations

from allauth.account.forms import ResetPasswordKeyForm
from django import forms

from growth.services import staff_invitation_accept


class SetPasswordFromKeyForm(ResetPasswordKeyForm):
    """allauth's reset-from-key form; the link reached the person's inbox, so choosing a
    password also verifies their email address (how an invitation is accepted)."""

    def save(self) -> None:
        super().save()
        staff_invitation_accept(user=self.user)


class StaffImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: first name, last name, email, school, job title, category, "
        "career stage, line manager email, start date (YYYY-MM-DD or DD/MM/YYYY).",
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 5 MB.")
        raw = upload.read()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError("The file is not text: save it from your spreadsheet as CSV.")


class StaffImportConfirmForm(forms.Form):
    digest = forms.CharField(widget=forms.HiddenInput)
