from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from portaat.forms import IdMultipleChoiceField, style_widgets
from portaat.ladders.models import LEVELS
from portaat.workshops.models import ParticipantRole
from portaat.workshops.services import MAX_CASES, MAX_HOURS, MAX_NAME


class WorkshopForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    cases = IdMultipleChoiceField(
        label=_("Cases to place on the stairs"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At most %(n)d cases.") % {"n": MAX_CASES},
    )
    hours = forms.IntegerField(
        label=_("Open for (hours)"),
        min_value=1,
        max_value=MAX_HOURS,
        help_text=_("The join code stops working after this; you can also close the workshop."),
    )
    max_participants = forms.IntegerField(label=_("Largest number of participants"), min_value=1)

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases  # type: ignore[attr-defined]
        self.fields["cases"].label_from_instance = lambda case: (  # type: ignore[attr-defined]
            f"{case.activism} · {case.unit} · {case.ladder}"
        )
        limit = settings.PORTAAT_WORKSHOP_MAX_PARTICIPANTS
        self.fields["max_participants"].validators.append(MaxValueValidator(limit))
        self.fields["max_participants"].widget.attrs["max"] = limit
        style_widgets(self)

    def clean_cases(self) -> Any:
        cases = self.cleaned_data["cases"]
        if len(cases) > MAX_CASES:
            raise forms.ValidationError(
                _("A workshop can have at most %(n)d cases.") % {"n": MAX_CASES}
            )
        return cases


class JoinForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=MAX_NAME,
        required=False,
        help_text=_("Shown with your comments on the projector. You may leave it empty."),
    )
    role = forms.ChoiceField(
        label=_("You take part as"), choices=ParticipantRole.choices, widget=forms.RadioSelect
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # each language in its own name, so a Swedish speaker on a Finnish page finds "Svenska"
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            ("fi", "Suomi"),
            ("sv", "Svenska"),
            ("en", "English"),
        ]
        style_widgets(self)


LEVEL_CHOICES = [(str(level), str(level)) for level in range(1, LEVELS + 1)]


class OutcomeForm(forms.Form):
    current_level = forms.TypedChoiceField(
        label=_("Agreed current level"), choices=LEVEL_CHOICES, coerce=int
    )
    target_level = forms.TypedChoiceField(
        label=_("Agreed target level"), choices=LEVEL_CHOICES, coerce=int
    )
    rationale = forms.CharField(
        label=_("What the room said"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the target is below the current level."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)
