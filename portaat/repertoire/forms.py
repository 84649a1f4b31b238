"""Forms of the repertoire pages: the list's filters and the practice form.

The practice form validates and shapes input only; ``services.save_practice`` writes.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from portaat.forms import style_widgets
from portaat.ladders.models import LEVELS, Ladder, LadderKind
from portaat.repertoire import queries
from portaat.repertoire.models import ActionType, Practice

LANGUAGES = (("fi", _("In Finnish")), ("sv", _("In Swedish")), ("en", _("In English")))
TEXT_FIELDS = ("title", "description", "resources", "risks", "legal_notes", "examples")
MAX_LINKS = 20
LINK_MAX = 500
TEXT_MAX = 5000
LEVEL_CHOICES = [(str(level), str(level)) for level in range(1, LEVELS + 1)]


def _ladder_label(ladder: Ladder) -> str:
    return str(ladder.name)


class PracticeFilterForm(forms.Form):
    """The repertoire's filters (GET). Invalid parts are reported and left out."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    ladder = forms.ModelChoiceField(
        label=_("Ladder"),
        queryset=queries.ladders_for_filter(),
        to_field_name="slug",
        required=False,
        empty_label=_("All ladders"),
    )
    level = forms.TypedChoiceField(
        label=_("Level"),
        choices=[("", _("Any level")), *LEVEL_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    action = forms.ChoiceField(
        label=_("Action type"),
        choices=[("", _("Any action type")), *ActionType.choices],
        required=False,
    )
    evidence = forms.ChoiceField(
        label=_("Evidence"),
        choices=[
            ("", _("With or without evidence")),
            ("tried", _("Tried in an experiment")),
            ("worked", _("Worked in an experiment")),
        ],
        required=False,
    )
    origin = forms.ChoiceField(
        label=_("Origin"),
        choices=[
            ("", _("Built-in and own")),
            ("builtin", _("Built-in (ladder steps)")),
            ("own", _("The administration's own")),
        ],
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("level", _("Level")),
            ("tried", _("How often tried")),
            ("worked", _("How often it worked")),
        ],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ladder"].label_from_instance = _ladder_label  # type: ignore[attr-defined]
        style_widgets(self)

    def filters(self) -> queries.PracticeFilters:
        """The valid parts of the input (all of it when the form is valid)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return queries.PracticeFilters(
            text=(data.get("q") or "").strip(),
            ladder=data.get("ladder"),
            level=data.get("level"),
            action_type=data.get("action") or "",
            evidence=data.get("evidence") or "",
            origin=data.get("origin") or "",
            sort=data.get("sort") or "level",
        )


def cooperation_ladders() -> Any:
    """Practices belong to the cooperation ladders (the domains of action)."""
    return Ladder.objects.filter(kind=LadderKind.COOPERATION)


TEXT_LABELS = {
    "title": _("Title"),
    "description": _("Description"),
    "resources": _("Resources needed"),
    "risks": _("Risks"),
    "legal_notes": _("Legal notes"),
    "examples": _("Examples"),
}
TEXT_HELP = {
    "legal_notes": _("For example the permit policy, data protection or procurement rules."),
}


class PracticeForm(forms.Form):
    """A practice of the administration's own: texts in fi, sv and en, levels, ladders, type."""

    level_from = forms.TypedChoiceField(label=_("Lowest level"), choices=LEVEL_CHOICES, coerce=int)
    level_to = forms.TypedChoiceField(label=_("Highest level"), choices=LEVEL_CHOICES, coerce=int)
    ladders = forms.ModelMultipleChoiceField(
        label=_("Ladders"),
        queryset=cooperation_ladders(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The domains where the practice fits. Choose none if it fits every domain."),
    )
    action_type = forms.ChoiceField(
        label=_("Action type"), choices=ActionType.choices, widget=forms.RadioSelect
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One web address per line, starting with https:// or http://."),
    )

    def __init__(self, *args: Any, practice: Practice | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in TEXT_FIELDS:
            for lang, _language in LANGUAGES:
                key = f"{name}_{lang}"
                if name == "title":
                    self.fields[key] = forms.CharField(
                        label=TEXT_LABELS[name], max_length=200, required=False
                    )
                else:
                    self.fields[key] = forms.CharField(
                        label=TEXT_LABELS[name],
                        max_length=TEXT_MAX,
                        required=False,
                        widget=forms.Textarea(attrs={"rows": 4 if name == "description" else 3}),
                        help_text=TEXT_HELP.get(name, ""),
                    )
                self.fields[key].widget.attrs["lang"] = lang
        self.fields["ladders"].label_from_instance = _ladder_label  # type: ignore[attr-defined]
        if practice is not None and not self.is_bound:
            for name in TEXT_FIELDS:
                for lang, _language in LANGUAGES:
                    self.initial[f"{name}_{lang}"] = getattr(practice, f"{name}_{lang}") or ""
            self.initial["level_from"] = practice.level_from
            self.initial["level_to"] = practice.level_to
            self.initial["ladders"] = list(practice.ladders.all())
            self.initial["action_type"] = practice.action_type
            self.initial["links"] = "\n".join(practice.links or [])
        style_widgets(self)

    def language_groups(self) -> list[dict[str, Any]]:
        """The text fields grouped by language, for one fieldset each."""
        return [
            {"lang": lang, "legend": legend, "fields": [self[f"{n}_{lang}"] for n in TEXT_FIELDS]}
            for lang, legend in LANGUAGES
        ]

    def clean_links(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data.get("links", "").splitlines()]
        links = [line for line in lines if line]
        if len(links) > MAX_LINKS:
            raise ValidationError(
                _("Give at most %(max)d links."), params={"max": MAX_LINKS}, code="too_many"
            )
        validate = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                if len(link) > LINK_MAX:
                    raise ValidationError("too long")
                validate(link)
            except ValidationError:
                raise ValidationError(
                    _("“%(link)s” is not a web address starting with https:// or http://."),
                    params={"link": link[:80]},
                    code="invalid_link",
                ) from None
        return links

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any((data.get(f"title_{lang}") or "").strip() for lang, _language in LANGUAGES):
            self.add_error("title_fi", _("Give the title in at least one language."))
        low, high = data.get("level_from"), data.get("level_to")
        if low is not None and high is not None and low > high:
            self.add_error("level_to", _("The highest level cannot be below the lowest."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "texts": {
                name: {lang: data.get(f"{name}_{lang}", "") for lang, _language in LANGUAGES}
                for name in TEXT_FIELDS
            },
            "level_from": data["level_from"],
            "level_to": data["level_to"],
            "action_type": data["action_type"],
            "ladders": list(data.get("ladders") or []),
            "links": data.get("links") or [],
        }
