from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portaat.forms import IdMultipleChoiceField, style_widgets
from portaat.listening.importers import IMPORTERS
from portaat.listening.models import Source

LANGUAGES = [
    ("", _("Any language")),
    ("fi", _("Finnish")),
    ("sv", _("Swedish")),
    ("en", _("English")),
]
FORMAT_LABELS = {
    "facebook": _("Facebook “Download your information” (JSON)"),
    "csv": _("CSV spreadsheet with columns"),
    "ndjson": _("NDJSON (one JSON object per line)"),
    "4cat": _("4CAT data set export (CSV or NDJSON)"),
}


class SourceForm(forms.ModelForm):  # type: ignore[type-arg]
    base_url = forms.URLField(
        label=_("Instance or forum address"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=_("For Mastodon and Discourse: the server, e.g. https://mastodon.social."),
    )
    activisms = IdMultipleChoiceField(
        label=_("Activisms"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("The activisms whose channel this is; posts are then found by activism."),
    )
    credentials = forms.CharField(
        label=_("Credentials"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        help_text=_(
            "Only where the platform needs them, one per line as name=value (e.g. "
            "identifier=… and app_password=… for Bluesky search). Stored encrypted; "
            "leave empty to keep the stored ones."
        ),
    )
    clear_credentials = forms.BooleanField(label=_("Remove stored credentials"), required=False)

    class Meta:
        model = Source
        fields = [
            "name",
            "platform",
            "kind",
            "target",
            "base_url",
            "activisms",
            "schedule_minutes",
            "live",
            "public_account",
            "legal_basis",
        ]
        widgets = {"legal_basis": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, activisms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activisms"].queryset = activisms  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["activisms"] = list(self.instance.activisms.values_list("pk", flat=True))
        style_widgets(self)

    def clean_credentials(self) -> dict[str, str] | None:
        raw = self.cleaned_data.get("credentials", "")
        if not raw.strip():
            return None
        values: dict[str, str] = {}
        for number, line in enumerate(raw.splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, value = line.partition("=")
            if not sep or not name.strip() or not value.strip():
                raise forms.ValidationError(
                    _("Line %(n)d is not of the form name=value.") % {"n": number}
                )
            values[name.strip()] = value.strip()
        return values


#: The earliest date the post filters accept: no platform the app reads has older posts, and
#: bounded dates keep the date arithmetic (end of day, trend buckets) within range.
EARLIEST_DATE = date(2000, 1, 1)


def latest_date() -> date:
    """The latest date the post filters accept: the end of next year."""
    return date(timezone.localdate().year + 1, 12, 31)


class PostSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=300)
    source = forms.TypedChoiceField(label=_("Source"), required=False, coerce=int, empty_value=None)
    activism = forms.TypedChoiceField(
        label=_("Activism"), required=False, coerce=int, empty_value=None
    )
    area = forms.TypedChoiceField(label=_("Area"), required=False, coerce=int, empty_value=None)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=LANGUAGES)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, sources: Any, activisms: Any, areas: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["source"].choices = everything + [(s.pk, s.name) for s in sources]  # type: ignore[attr-defined]
        self.fields["activism"].choices = everything + [(a.pk, a.name) for a in activisms]  # type: ignore[attr-defined]
        self.fields["area"].choices = everything + [(a.pk, a.name) for a in areas]  # type: ignore[attr-defined]
        style_widgets(self)

    def _clean_day(self, name: str) -> date | None:
        day: date | None = self.cleaned_data.get(name)
        if day is not None and not EARLIEST_DATE <= day <= latest_date():
            raise forms.ValidationError(
                _("Choose a date between %(first)s and %(last)s.")
                % {"first": EARLIEST_DATE.isoformat(), "last": latest_date().isoformat()}
            )
        return day

    def clean_since(self) -> date | None:
        return self._clean_day("since")

    def clean_until(self) -> date | None:
        return self._clean_day("until")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned


class ImportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=[(key, FORMAT_LABELS.get(key, key)) for key in IMPORTERS]
    )
    file = forms.FileField(label=_("File"))
    source = forms.TypedChoiceField(
        label=_("Source"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Where the posts belong; by default a source “Imported files” per format."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.PORTAAT_IMPORT_MAX_MB
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB; import it on the command line.")
                % {"mb": limit}
            )
        return upload

    def __init__(self, *args: Any, sources: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", _("Imported files"))] + [  # type: ignore[attr-defined]
            (s.pk, s.name) for s in sources
        ]
        style_widgets(self)
