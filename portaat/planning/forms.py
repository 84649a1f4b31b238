from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portaat.forms import style_widgets
from portaat.listening.forms import PostSearchForm
from portaat.planning.models import SubscriptionKind
from portaat.planning.queries import AnalysisFilters

ANALYSIS_LANGUAGES = [
    ("", _("Any language")),
    ("fi", _("Finnish")),
    ("sv", _("Swedish")),
    ("en", _("English")),
    ("other", _("Other languages")),
]


class AnalysisForm(PostSearchForm):
    """The listening app's filters, without the text search: source, activism, area (posts
    that mention it), detected language and the time window."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["q"]
        self.fields["area"].help_text = _("Posts that mention the area.")
        self.fields["language"].choices = ANALYSIS_LANGUAGES  # type: ignore[attr-defined]
        self.fields["language"].label = _("Language (detected)")

    def filters(self) -> AnalysisFilters | None:
        """The filters; None when the form has errors. An unbound form gives no filters."""
        if not self.is_bound:
            return AnalysisFilters()
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return AnalysisFilters(
            source=data.get("source"),
            activism=data.get("activism"),
            area=data.get("area"),
            language=data.get("language") or "",
            since=data.get("since"),
            until=data.get("until"),
        )


class SubscribeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Follow"), choices=SubscriptionKind.choices)
    area = forms.ChoiceField(label=_("Area"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    keyword = forms.CharField(label=_("Keyword"), required=False, max_length=60)

    def __init__(self, *args: Any, areas: Any, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "—"), *areas]  # type: ignore[attr-defined]
        self.fields["theme"].choices = [("", "—"), *themes]  # type: ignore[attr-defined]
        style_widgets(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        field = {"area": "area", "topic": "theme", "keyword": "keyword"}.get(kind or "")
        if field and not (cleaned.get(field) or "").strip():
            self.add_error(field, _("Choose or write what to follow."))
        cleaned["value"] = (cleaned.get(field) or "").strip() if field else ""
        return cleaned


class AttachForm(forms.Form):
    case = forms.TypedChoiceField(label=_("Case"), coerce=int)
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("By default the time window of the analysis."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (case.pk, f"{case.activism.name} · {case.unit.name}") for case in cases
        ]
        style_widgets(self)


class ThemeForm(forms.Form):
    label_fi = forms.CharField(label=_("Name in Finnish"), max_length=120)
    label_sv = forms.CharField(label=_("Name in Swedish"), max_length=120, required=False)
    label_en = forms.CharField(label=_("Name in English"), max_length=120, required=False)
    terms_fi = forms.CharField(
        label=_("Finnish terms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Base forms, separated by commas or one per line."),
    )
    terms_sv = forms.CharField(
        label=_("Swedish terms"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    terms_en = forms.CharField(
        label=_("English terms"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    active = forms.BooleanField(label=_("In use"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)
