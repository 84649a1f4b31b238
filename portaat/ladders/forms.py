from __future__ import annotations

from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portaat.ladders.models import LEVELS, Ladder
from portaat.ladders.services import LANGS, StepTexts, texts_of

LANGUAGE_NAMES = {"fi": _("Finnish"), "sv": _("Swedish"), "en": _("English")}


class LadderForm(forms.Form):
    """A custom ladder's texts in every language, with exactly eight steps.

    Fields are ``name_fi`` … and ``step3_title_sv`` …; the service checks that each required
    text exists in at least one language, so a ladder can start in Finnish only.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for lang in LANGS:
            lang_name = LANGUAGE_NAMES.get(lang, lang)
            self.fields[f"name_{lang}"] = forms.CharField(
                label=_("Name (%(lang)s)") % {"lang": lang_name}, max_length=200, required=False
            )
            self.fields[f"domain_{lang}"] = forms.CharField(
                label=_("Domain (%(lang)s)") % {"lang": lang_name}, max_length=200, required=False
            )
            self.fields[f"description_{lang}"] = forms.CharField(
                label=_("Description (%(lang)s)") % {"lang": lang_name},
                max_length=4000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        for level in range(1, LEVELS + 1):
            for lang in LANGS:
                lang_name = LANGUAGE_NAMES.get(lang, lang)
                self.fields[f"step{level}_title_{lang}"] = forms.CharField(
                    label=_("Step %(level)d title (%(lang)s)")
                    % {"level": level, "lang": lang_name},
                    max_length=200,
                    required=False,
                )
                self.fields[f"step{level}_description_{lang}"] = forms.CharField(
                    label=_("Step %(level)d description (%(lang)s)")
                    % {"level": level, "lang": lang_name},
                    max_length=2000,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    @classmethod
    def for_copy(cls, ladder: Ladder, *, keep_name: bool = False) -> LadderForm:
        initial: dict[str, str] = {}
        for lang in LANGS:
            name = getattr(ladder, f"name_{lang}") or ""
            if not keep_name and name:
                with translation.override(lang):
                    name = gettext("Copy of %(name)s") % {"name": name}
            initial[f"name_{lang}"] = name
            initial[f"domain_{lang}"] = getattr(ladder, f"domain_{lang}") or ""
            initial[f"description_{lang}"] = getattr(ladder, f"description_{lang}") or ""
        for step in ladder.steps.all():
            for lang, text in texts_of(step, "title").items():
                initial[f"step{step.level}_title_{lang}"] = text
            for lang, text in texts_of(step, "description").items():
                initial[f"step{step.level}_description_{lang}"] = text
        return cls(initial=initial)

    def _texts(self, name: str) -> dict[str, str]:
        return {lang: self.cleaned_data.get(f"{name}_{lang}", "") for lang in LANGS}

    def service_kwargs(self) -> dict[str, Any]:
        """Arguments for ``services.save_custom_ladder`` from the cleaned data."""
        return {
            "name": self._texts("name"),
            "domain": self._texts("domain"),
            "description": self._texts("description"),
            "steps": [
                StepTexts(
                    title=self._texts(f"step{level}_title"),
                    description=self._texts(f"step{level}_description"),
                )
                for level in range(1, LEVELS + 1)
            ],
        }

    def groups(self) -> list[dict[str, Any]]:
        """Bound fields grouped into fieldsets for the template: the ladder, then each step."""
        head = [
            self[f"{name}_{lang}"] for name in ("name", "domain", "description") for lang in LANGS
        ]
        groups: list[dict[str, Any]] = [{"legend": _("Name and field"), "fields": head}]
        for level in range(1, LEVELS + 1):
            groups.append(
                {
                    "legend": _("Step %(level)d") % {"level": level},
                    "fields": [
                        self[f"step{level}_{part}_{lang}"]
                        for part in ("title", "description")
                        for lang in LANGS
                    ],
                }
            )
        return groups
