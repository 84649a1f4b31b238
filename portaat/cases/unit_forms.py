"""Forms of the unit pages: the dashboard's filters, a unit goal, the unit's own judgement."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portaat.forms import IdMultipleChoiceField
from portaat.ladders.models import STAGES, Ladder, Stage
from portaat.registry.models import Activism, ActivismKind, ActivismStatus


class DashboardFilterForm(forms.Form):
    """GET filters of the dashboard. Each field is checked alone: a bad one is dropped."""

    ladder = forms.ChoiceField(label=_("Domain (ladder)"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)
    kind = forms.ChoiceField(label=_("Kind of activism"), required=False)
    status = forms.ChoiceField(label=_("Status of the activism"), required=False)

    def __init__(
        self,
        data: Any,
        *,
        ladders: Sequence[Ladder],
        areas: Sequence[tuple[str, str]],
        kinds: Sequence[ActivismKind],
    ) -> None:
        super().__init__(data)
        everything = [("", _("All"))]
        self.fields["ladder"].choices = everything + [(lad.slug, lad.name) for lad in ladders]  # type: ignore[attr-defined]
        self.fields["area"].choices = everything + list(areas)  # type: ignore[attr-defined]
        self.fields["kind"].choices = everything + [(k.slug, k.name) for k in kinds]  # type: ignore[attr-defined]
        self.fields["status"].choices = everything + list(ActivismStatus.choices)  # type: ignore[attr-defined]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _(
                "“%(value)s” is not a known choice for this filter; the filter was ignored."
            )

    def active(self) -> dict[str, str]:
        """The valid, non-empty filters (an invalid one is left out: see ``problems()``)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: value for name, value in cleaned.items() if value}

    def problems(self) -> list[str]:
        """One message for each filter whose value was ignored."""
        self.is_valid()
        return [
            f"{self.fields[name].label}: {error}"
            for name, errors in self.errors.items()
            for error in errors
        ]

    @staticmethod
    def where(active: dict[str, str]) -> Q:
        """The filter as a condition on cases."""
        q = Q()
        if "ladder" in active:
            q &= Q(ladder__slug=active["ladder"])
        if "area" in active:
            q &= Q(activism__areas__key=active["area"])
        if "kind" in active:
            q &= Q(activism__kind__slug=active["kind"])
        if "status" in active:
            q &= Q(activism__status=active["status"])
        return q


class GoalForm(forms.Form):
    text = forms.CharField(
        label=_("Goal"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the unit means to achieve with these activisms, in plain words."),
    )
    set_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    activisms = IdMultipleChoiceField(
        label=_("Activisms named in the goal"),
        queryset=Activism.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Activisms that have a case in the unit. A goal that names none is kept too."),
    )

    def __init__(self, *args: Any, activisms: QuerySet[Activism], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"set_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["activisms"].queryset = activisms  # type: ignore[attr-defined]

    def named(self) -> Iterable[Activism]:
        return self.cleaned_data.get("activisms") or []


class JudgementForm(forms.Form):
    stage = forms.TypedChoiceField(
        label=_("Stage in the unit's own judgement"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, STAGES + 1)],
        widget=forms.RadioSelect,
    )
    rationale = forms.CharField(
        label=_("Why"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the unit sees that the estimate does not, or why it agrees."),
    )

    def __init__(self, *args: Any, stages: Sequence[Stage] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        titles = {stage.number: stage.title for stage in stages}
        self.fields["stage"].choices = [  # type: ignore[attr-defined]
            (n, f"{n}. {titles[n]}" if n in titles else str(n)) for n in range(1, STAGES + 1)
        ]
