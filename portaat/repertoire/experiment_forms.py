"""Forms for plans and experiments. They check shapes and choices; the rules (an experiment ends
after it starts, a practice is planned once, an experiment is closed once) live in
``services`` and come back as errors beside the field they are about."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from portaat.cases.forms import MAX_TEXT, StyledForm
from portaat.cases.models import Case
from portaat.forms import style_widgets
from portaat.repertoire.models import ExperimentStatus, Outcome, PlanStatus, Practice

MAX_LINKS = 20


def _date_widget() -> forms.DateInput:
    # ISO for the browser's date picker; plans and experiments may lie in the future.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def practice_label(practice: Practice, *, with_ladder: bool = False) -> str:
    """ "4. Title" or "3–5. Title": the level(s) first, as on the stairs; a built-in practice
    may name its ladder (several ladders have a step 4). Reads ``step__ladder`` when asked."""
    if practice.level_from == practice.level_to:
        label = f"{practice.level_from}. {practice.title}"
    else:
        label = f"{practice.level_from}–{practice.level_to}. {practice.title}"
    if with_ladder and practice.step is not None:
        label += f" ({practice.step.ladder.name})"
    return label


class OwnerField(forms.TypedChoiceField):
    """An optional owner among precomputed ``(pk, name)`` choices: no query per rendering."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(label=_("Owner"), coerce=int, required=False, empty_value=None, **kwargs)


# --- plans -------------------------------------------------------------------------------------


class PlanItemNewForm(StyledForm):
    """Add a practice to a case's plan (the case is checked by the view)."""

    case = forms.IntegerField(widget=forms.HiddenInput)
    practice: forms.ModelChoiceField[Practice] = forms.ModelChoiceField(
        label=_("Practice"),
        queryset=Practice.objects.all(),
        error_messages={
            "required": _("Choose a practice."),
            "invalid_choice": _("That practice does not exist."),
        },
    )
    owner = OwnerField()
    due_on = forms.DateField(label=_("Due"), required=False, widget=_date_widget())

    def __init__(self, *args: Any, owners: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner: forms.TypedChoiceField = self.fields["owner"]  # type: ignore[assignment]
        owner.choices = [("", _("Nobody yet")), *owners]


class PlanItemForm(StyledForm):
    """Change one plan item's status, owner and due date."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=PlanStatus.choices,
        error_messages={"invalid_choice": _("Unknown status.")},
    )
    owner = OwnerField()
    due_on = forms.DateField(label=_("Due"), required=False, widget=_date_widget())

    def __init__(self, *args: Any, owners: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner: forms.TypedChoiceField = self.fields["owner"]  # type: ignore[assignment]
        owner.choices = [("", _("Nobody yet")), *owners]


# --- experiments -------------------------------------------------------------------------------


class ExperimentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *ExperimentStatus.choices],
    )
    scope = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("My units' experiments and my own")),
            ("all", _("Every unit's experiments")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "hds-text-input__input")


class ExperimentForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    hypothesis = forms.CharField(
        label=_("Hypothesis"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What do you expect to happen, and why?"),
        error_messages={"required": _("Write the hypothesis: what do you expect to happen?")},
    )
    success_criteria = forms.CharField(
        label=_("What counts as success"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How will you know that it worked? Decide before you start."),
    )
    practices = forms.TypedMultipleChoiceField(
        label=_("Practices to try"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one practice to try."),
            "invalid_choice": _("That practice does not exist."),
        },
    )
    cases = forms.TypedMultipleChoiceField(
        label=_("Cases"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The cases of your units in which the practices are tried."),
        error_messages={
            "required": _("Choose at least one case."),
            "invalid_choice": _("You may only choose cases of your own units."),
        },
    )
    starts_on = forms.DateField(label=_("Start"), widget=_date_widget())
    ends_on = forms.DateField(label=_("End"), widget=_date_widget())

    def __init__(
        self,
        *args: Any,
        practices: Iterable[Practice],
        cases: Iterable[Case],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.practice_objects = {p.pk: p for p in practices}
        self.case_objects = {c.pk: c for c in cases}
        practice_field: forms.TypedMultipleChoiceField = self.fields["practices"]  # type: ignore[assignment]
        practice_field.choices = [
            (pk, practice_label(p, with_ladder=True)) for pk, p in self.practice_objects.items()
        ]
        case_field: forms.TypedMultipleChoiceField = self.fields["cases"]  # type: ignore[assignment]
        case_field.choices = [
            (pk, f"{c.activism.name} · {c.unit.name} · {c.ladder.name}")
            for pk, c in self.case_objects.items()
        ]

    def clean_practices(self) -> list[Practice]:
        return [self.practice_objects[pk] for pk in self.cleaned_data["practices"]]

    def clean_cases(self) -> list[Case]:
        return [self.case_objects[pk] for pk in self.cleaned_data["cases"]]


def _links(value: str) -> list[str]:
    lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
    if len(lines) > MAX_LINKS:
        raise ValidationError(_("Give at most %(max)d links."), params={"max": MAX_LINKS})
    check = URLValidator(schemes=["http", "https"])
    for line in lines:
        try:
            check(line)
        except ValidationError:
            raise ValidationError(
                _("“%(link)s” is not a web address (http:// or https://)."),
                params={"link": line[:200]},
            ) from None
    return lines


class CloseExperimentForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the outcome: worked, partly or did not work."),
            "invalid_choice": _("Choose the outcome: worked, partly or did not work."),
        },
    )
    lessons = forms.CharField(
        label=_("Lessons learned"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What would you tell the next unit that tries this?"),
        error_messages={
            "required": _("Write down what was learned, so that others can learn too.")
        },
    )
    evidence_links = forms.CharField(
        label=_("Evidence links"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One web address a line: reports, posts, photos, minutes."),
    )

    def clean_lessons(self) -> str:
        lessons = self.cleaned_data["lessons"].strip()
        if not lessons:
            raise ValidationError(_("Write down what was learned, so that others can learn too."))
        return str(lessons)

    def clean_evidence_links(self) -> list[str]:
        return _links(self.cleaned_data["evidence_links"])


class AbandonExperimentForm(StyledForm):
    prefix = "abandon"  # beside the closing form on the same page: distinct field ids
    lessons = forms.CharField(
        label=_("Why was it abandoned? What was learned?"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- attachments -------------------------------------------------------------------------------


class AttachmentForm(forms.Form):
    """Attach one file to an experiment. The form only checks that a file came; its type,
    size, the number of files and the scan are ``services.add_attachment``'s rules."""

    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,  # the service says "The file is empty." in its own words
        error_messages={
            "required": _("Choose a file to attach."),
            "invalid": _("Choose a file to attach."),
            "missing": _("Choose a file to attach."),
        },
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Optional: shown instead of the file name."),
    )

    def __init__(
        self, *args: Any, extensions: Sequence[str], max_mb: int, per_experiment: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        file_field = self.fields["file"]
        file_field.widget.attrs["accept"] = ",".join(extensions)
        file_field.help_text = _(
            "Allowed types: %(types)s. At most %(size)d MB per file and %(count)d files per "
            "experiment."
        ) % {"types": ", ".join(extensions), "size": max_mb, "count": per_experiment}
        style_widgets(self)
