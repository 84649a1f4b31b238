"""Forms of the social-media governance pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portaat.forms import style_widgets
from portaat.ladders.models import Ladder
from portaat.somehallinto.models import NOTE_MAX_LENGTH


class AssessmentForm(forms.Form):
    """Where I (or the unit) stand now and where we aim, on the somehallinto stairs."""

    current_level = forms.TypedChoiceField(label=_("Where are you now?"), coerce=int)
    target_level = forms.TypedChoiceField(label=_("Where do you aim?"), coerce=int)
    note = forms.CharField(
        label=_("Note (optional)"),
        help_text=_("For example what you will try next. Only the administration sees it."),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, ladder: Ladder, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(step.level, f"{step.level} — {step.title}") for step in ladder.steps.all()]
        for name in ("current_level", "target_level"):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)  # nosec B101  # type narrowing
            field.choices = choices
            field.widget = forms.RadioSelect(choices=choices)
        style_widgets(self)


class GuidanceForm(forms.Form):
    """The guidance of one level in three languages (Finnish and Swedish required)."""

    title_fi = forms.CharField(label=_("Title in Finnish"), max_length=200)
    title_sv = forms.CharField(label=_("Title in Swedish"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    body_fi = forms.CharField(label=_("Guidance in Finnish"), widget=forms.Textarea)
    body_sv = forms.CharField(label=_("Guidance in Swedish"), widget=forms.Textarea)
    body_en = forms.CharField(label=_("Guidance in English"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def texts(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {
            field: {
                language: data.get(f"{field}_{language}", "") for language in ("fi", "sv", "en")
            }
            for field in ("title", "body")
        }
