"""Forms of initiatives and opportunities: they validate and shape input; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from portaat.forms import IdMultipleChoiceField, style_widgets
from portaat.initiatives.models import (
    MAX_AMOUNT,
    Initiative,
    InitiativeStatus,
    MatchStatus,
    Opportunity,
    OpportunityKind,
)
from portaat.registry.forms import (
    _domain_label,
    _grouped_areas,
    areas_from_keys,
    domain_ladders,
)
from portaat.registry.models import Activism, Area

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _amount(label: Any, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_AMOUNT,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class _PlaceAndDomain(forms.Form):
    domains = IdMultipleChoiceField(
        label=_("Domains"),
        queryset=domain_ladders(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = forms.MultipleChoiceField(
        label=_("Areas"),
        required=False,
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = _grouped_areas(Area.objects.all())  # type: ignore[attr-defined]
        self.fields["areas"].widget.attrs["size"] = 8
        self.fields["domains"].label_from_instance = _domain_label  # type: ignore[attr-defined]

    def clean_areas(self) -> list[Area]:
        return areas_from_keys(self.cleaned_data.get("areas") or [])


class InitiativeForm(_PlaceAndDomain):
    activism: forms.ModelChoiceField[Activism] = forms.ModelChoiceField(
        label=_("Activism"), queryset=Activism.objects.none(), empty_label=_("Choose an activism")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What the initiative is about"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you want to do, for whom, and what you need for it."),
    )
    missed_grant = forms.CharField(
        label=_("The grant it applied for"),
        max_length=200,
        required=False,
        help_text=_("For example: City of Helsinki participatory budget 2026."),
    )
    amount_sought = _amount(
        _("Money needed (€)"), _("Empty if the initiative needs something else than money.")
    )
    needed_by = forms.DateField(label=_("Needed by"), required=False, widget=DATE_WIDGET)
    status = forms.ChoiceField(label=_("Status"), choices=InitiativeStatus.choices)

    field_order = ["activism", "title", "description", "missed_grant", "amount_sought"]

    def __init__(
        self,
        *args: Any,
        activisms: QuerySet[Activism],
        initiative: Initiative | None = None,
        **kwargs: Any,
    ) -> None:
        if initiative is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "activism": initiative.activism_id,
                "title": initiative.title,
                "description": initiative.description,
                "missed_grant": initiative.missed_grant,
                "amount_sought": initiative.amount_sought,
                "needed_by": initiative.needed_by,
                "status": initiative.status,
                "domains": [ladder.pk for ladder in initiative.domains.all()],
                "areas": [area.key for area in initiative.areas.all()],
            }
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        if initiative is None:
            del self.fields["status"]
            self.fields["activism"].queryset = activisms  # type: ignore[attr-defined]
        else:
            del self.fields["activism"]  # an initiative stays with its activism
        self.fields["domains"].help_text = _(
            "Empty: the activism's domains. Used to suggest opportunities."
        )
        self.fields["areas"].help_text = _(
            "Empty: the activism's areas. Hold Ctrl (or ⌘) to choose several."
        )
        style_widgets(self)


class OpportunityForm(_PlaceAndDomain):
    kind = forms.ChoiceField(label=_("Kind"), choices=OpportunityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    provider = forms.CharField(label=_("Offered by"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who may apply, for what, and how."),
    )
    url = forms.URLField(
        label=_("Web address"), max_length=500, required=False, assume_scheme="https"
    )
    amount_min = _amount(_("Smallest amount (€)"))
    amount_max = _amount(_("Largest amount (€)"))
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Empty: one can apply at any time."),
    )
    is_active = forms.BooleanField(
        label=_("In the catalogue"),
        required=False,
        initial=True,
        help_text=_("Uncheck to hide the opportunity without deleting its matches."),
    )

    field_order = ["kind", "title", "provider", "description", "url", "amount_min", "amount_max"]

    def __init__(self, *args: Any, opportunity: Opportunity | None = None, **kwargs: Any) -> None:
        if opportunity is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(opportunity, name) for name in Opportunity.EDITABLE},
                "domains": [ladder.pk for ladder in opportunity.domains.all()],
                "areas": [area.key for area in opportunity.areas.all()],
            }
        super().__init__(*args, **kwargs)
        self.fields["domains"].help_text = _("Empty: open to every domain.")
        self.fields["areas"].help_text = _(
            "Empty: open everywhere. Hold Ctrl (or ⌘) to choose several."
        )
        style_widgets(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("amount_min"), data.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error("amount_max", _("The largest amount is smaller than the smallest."))
        return data


class ProposeForm(forms.Form):
    opportunity = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note to the activism"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_opportunity(self) -> Opportunity:
        opportunity = Opportunity.objects.filter(pk=self.cleaned_data["opportunity"]).first()
        if opportunity is None:
            raise ValidationError(_("There is no such opportunity."))
        return opportunity


class MatchStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MatchStatus.choices)
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class CatalogueFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *OpportunityKind.choices]
    )
    area = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All areas")), *_grouped_areas(Area.objects.all())]  # type: ignore[attr-defined]
        style_widgets(self)
