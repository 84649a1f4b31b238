"""Forms for the case pages. They check shapes and choices; the rules (a lower target needs a
rationale, no future dates, no duplicate cases) live in ``services`` and come back as errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portaat.cases.models import InteractionKind, Perspective
from portaat.ladders.models import Ladder, LadderKind, Step
from portaat.registry.models import Activism, Unit

MAX_TEXT = 10_000


class StyledForm(forms.Form):
    """Puts the HDS input class on text, date and select widgets (radios and checkboxes are
    drawn by the template, which knows their HDS markup)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def style_widgets(self) -> None:
        for bound in self.fields.values():
            widget = bound.widget
            if not isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                widget.attrs.setdefault("class", "hds-text-input__input")


def _date_widget() -> forms.DateInput:
    # An ISO value for the browser's date picker; the field accepts ISO whatever the language.
    return forms.DateInput(
        attrs={"type": "date", "max": timezone.localdate().isoformat()}, format="%Y-%m-%d"
    )


class ActivismSearchForm(forms.Form):
    """The search for the activism of a new case (GET). Its CharField refuses NUL bytes,
    which PostgreSQL cannot compare with."""

    q = forms.CharField(label=_("Activism"), max_length=200, required=False)


class OpenCaseForm(StyledForm):
    """Open a case for one activism: in which unit, on which ladder."""

    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), empty_label=_("Choose a unit")
    )
    ladder = forms.TypedChoiceField(label=_("Ladder"), coerce=int)

    def __init__(self, *args: Any, activism: Activism, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field: forms.ModelChoiceField[Unit] = self.fields["unit"]  # type: ignore[assignment]
        unit_field.queryset = units
        ladders = list(Ladder.objects.filter(kind=LadderKind.COOPERATION))
        domain_ids = set(activism.domains.values_list("pk", flat=True))
        domains = [(ladder.pk, ladder.name) for ladder in ladders if ladder.pk in domain_ids]
        others = [(ladder.pk, ladder.name) for ladder in ladders if ladder.pk not in domain_ids]
        self.ladders = {ladder.pk: ladder for ladder in ladders}
        ladder_field: forms.TypedChoiceField = self.fields["ladder"]  # type: ignore[assignment]
        if domains:
            # The activism's own domains first: the likely choice is at the top.
            ladder_field.choices = [
                (_("The activism's domains"), domains),
                (_("Other ladders"), others),
            ]
            ladder_field.initial = domains[0][0]
        else:
            ladder_field.choices = others
        first_two = list(units.values_list("pk", flat=True)[:2])
        if len(first_two) == 1:
            unit_field.initial = first_two[0]

    def clean_ladder(self) -> Ladder:
        return self.ladders[self.cleaned_data["ladder"]]


def level_choices(steps: Sequence[Step]) -> list[tuple[int, str]]:
    """Radio choices "3. Informing" for each step, in the active language."""
    return [(step.level, f"{step.level}. {step.title}") for step in steps]


class AssessmentForm(StyledForm):
    """One perspective's view: where the cooperation is now and where it should be."""

    perspective = forms.ChoiceField(label=_("Perspective"))
    current_level = forms.TypedChoiceField(
        label=_("Where is the cooperation now?"), coerce=int, widget=forms.RadioSelect
    )
    target_level = forms.TypedChoiceField(
        label=_("Where should it be?"), coerce=int, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Why these levels? Needed when the target is below the current level: "
            "higher is not always better."
        ),
    )
    assessed_on = forms.DateField(label=_("Date of the assessment"))

    def __init__(
        self, *args: Any, perspectives: Sequence[str], steps: Sequence[Step], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Perspective.choices)
        perspective: forms.ChoiceField = self.fields["perspective"]  # type: ignore[assignment]
        perspective.choices = [(p, labels[p]) for p in perspectives]
        if len(perspectives) == 1:
            perspective.initial = perspectives[0]
        for name in ("current_level", "target_level"):
            field: forms.TypedChoiceField = self.fields[name]  # type: ignore[assignment]
            field.choices = level_choices(steps)
        date: forms.DateField = self.fields["assessed_on"]  # type: ignore[assignment]
        date.widget = _date_widget()
        date.initial = timezone.localdate
        self.style_widgets()


class InteractionForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("What happened?"), choices=InteractionKind.choices, widget=forms.RadioSelect
    )
    happened_on = forms.DateField(label=_("Date"))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The activism's maintainers can read this note on the case page."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        date: forms.DateField = self.fields["happened_on"]  # type: ignore[assignment]
        date.widget = _date_widget()
        date.initial = timezone.localdate
        self.style_widgets()


class CaseEditForm(StyledForm):
    positions_public = forms.BooleanField(
        label=_("Show the current and target levels on the activism's public page"),
        required=False,
    )
    internal_notes = forms.CharField(
        label=_("Internal notes"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Seen only by the unit's members and coordinators, never by the activists."),
    )
