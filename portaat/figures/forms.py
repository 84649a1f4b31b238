"""Forms of activity figures: one month's figures (fields per the activism's kind), a link."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portaat.figures import services
from portaat.figures.models import Metric
from portaat.forms import style_widgets


class FiguresForm(forms.Form):
    period = forms.CharField(
        label=_("Month"),
        help_text=_("Year and month, for example 2026-10."),
        max_length=7,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "2026-10"}),
    )

    def __init__(
        self, *args: Any, metrics: list[Metric], can_correct: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.metrics = metrics
        for metric in metrics:
            label = f"{metric.name} ({metric.unit})" if metric.unit else metric.name
            self.fields[metric.key] = forms.CharField(
                label=label,
                required=False,
                max_length=20,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
        if can_correct:
            self.fields["correct"] = forms.BooleanField(
                label=_("Correct the figures already reported for this month"), required=False
            )
        style_widgets(self)

    def clean_period(self) -> dt.date:
        return services.parse_period(self.cleaned_data["period"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = {m.key: self.data.get(self.add_prefix(m.key), "") for m in self.metrics}
        try:
            data["values"] = services.clean_values(self.metrics, raw)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for key, errors in exc.error_dict.items():
                    for error in errors:
                        self.add_error(key, error)
            else:
                self.add_error(None, exc)
        return data


class LinkForm(forms.Form):
    label = forms.CharField(
        label=_("Whose link is it?"),
        help_text=_("For example: REKO Kallio – the ring's coordinator."),
        max_length=100,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)
