from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portaat.cases.models import Case


def _case_label(case: Case) -> str:
    return f"{case.activism.name} ({case.unit})"


class NoteForm(forms.Form):
    """A note after the event, logged on one of the official's cases."""

    case = forms.ModelChoiceField(
        label=_("Case"),
        queryset=Case.objects.none(),
        error_messages={"invalid_choice": _("Choose one of your cases.")},
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("What happened at the event; it is logged as an interaction on the case."),
    )

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case"]
        assert isinstance(field, forms.ModelChoiceField)  # nosec B101  # type narrowing
        field.queryset = cases.select_related("activism", "unit")
        field.label_from_instance = _case_label  # type: ignore[method-assign,assignment]

    def clean_note(self) -> str:
        note = str(self.cleaned_data["note"]).strip()
        if not note:
            raise forms.ValidationError(_("Write a note."))
        return note
