"""Forms of research projects: proposing one, and a coordinator's grant."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portaat import access
from portaat.forms import IdMultipleChoiceField, style_widgets
from portaat.ladders.models import LEVELS
from portaat.research.models import Dataset, ProjectStatus


class CaseChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.activism.name} · {obj.unit.name} · {obj.ladder.name}"


class ProposeForm(forms.Form):
    title = forms.CharField(label=_("Title of the project"), max_length=200)
    organisation = forms.CharField(
        label=_("Organisation"),
        help_text=_("The university, research institute or other organisation."),
        max_length=200,
    )
    summary = forms.CharField(
        label=_("Summary"),
        help_text=_("What you study, why, and how the results come back to the activisms."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    intended_level = forms.TypedChoiceField(
        label=_("Intended level of collaboration"),
        help_text=_(
            "The level of collaboration on the stairs the project aims at with the activisms."
        ),
        coerce=int,
    )
    cases = CaseChoiceField(
        label=_("Cases the project studies"),
        queryset=None,  # set per user
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one case.")},
    )

    def __init__(self, *args: Any, user: Any, steps: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["intended_level"].choices = [  # type: ignore[attr-defined]
            (level, f"{level}. {steps.get(level, '')}".strip(". "))
            for level in range(1, LEVELS + 1)
        ]
        self.fields["cases"].queryset = (  # type: ignore[attr-defined]
            access.research_case_choices(user)
            .select_related("activism", "unit", "ladder")
            .order_by("activism__name", "pk")
        )
        style_widgets(self)


class GrantForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)
    datasets = forms.MultipleChoiceField(
        label=_("Granted datasets"),
        choices=Dataset.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    access_until = forms.DateField(
        label=_("Access until"),
        help_text=_("The last day the project may download its data; empty: until it ends."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)
