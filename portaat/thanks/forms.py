"""Forms of the thanks pages: the public thanks form, rejection, an official's settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portaat.forms import style_widgets
from portaat.registry.models import Activism, Review, Unit, Visibility
from portaat.thanks.models import NAME_MAX_LENGTH, REASON_MAX_LENGTH, STORY_MAX_LENGTH
from portaat.thanks.services import thankable_officials

# the honeypot: people never see it (display: none), form-filling robots fill it in
TRAP_FIELD = "website"


class IdChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """``ModelChoiceField`` that refuses an id no database column can hold before it asks the
    database (SQLite raises ``OverflowError`` for ``pk = 99999999999999999999``: a 500)."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        raw = str(value).strip()
        if not (raw.isascii() and raw.isdigit() and len(raw) < 19):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(raw)


class OfficialChoiceField(IdChoiceField):
    """Officials by their public name, with the units they work in."""

    def label_from_instance(self, obj: Any) -> str:
        units = sorted({str(m.unit) for m in obj.memberships.all()})
        return f"{obj.thanks_profile.public_name} ({', '.join(units)})"


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def unit_choices() -> Any:
    return Unit.objects.order_by("name", "pk")


def public_activisms() -> Any:
    return Activism.objects.filter(visibility=Visibility.PUBLIC, review=Review.APPROVED).order_by(
        "name", "pk"
    )


class ThanksForm(forms.Form):
    official = OfficialChoiceField(
        label=_("Official or elected member"),
        queryset=None,
        required=False,
        empty_label=_("No one by name"),
        help_text=_("Only those who have agreed to be thanked by name are listed."),
    )
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=None,
        to_field_name="slug",
        required=False,
        empty_label=_("Choose a unit"),
        help_text=_(
            "Choose a unit to thank the whole unit. If you chose an official, you may leave this "
            "empty."
        ),
    )
    story = forms.CharField(
        label=_("Your story"),
        max_length=STORY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Tell briefly what they did and why it mattered to your civic action. At most "
            "1,000 characters. A coordinator reads every story before it is published."
        ),
    )
    activism = IdChoiceField(
        label=_("The activism you act for (optional)"),
        queryset=None,
        required=False,
        empty_label=_("None"),
    )
    thanker_name = forms.CharField(
        label=_("Your name on the wall (optional)"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        help_text=_("Leave it empty to appear as anonymous."),
    )
    contact_email = forms.EmailField(
        label=_("Your email (optional)"),
        required=False,
        max_length=254,
        help_text=_(
            "Only the coordinators see it, in case they need to ask you about your story. It is "
            "never published."
        ),
    )
    website = forms.CharField(
        label=_("Leave this field empty."),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        official: OfficialChoiceField = self.fields["official"]  # type: ignore[assignment]
        official.queryset = thankable_officials().prefetch_related("memberships__unit")
        unit: UnitChoiceField = self.fields["unit"]  # type: ignore[assignment]
        unit.queryset = unit_choices()
        activism: IdChoiceField = self.fields["activism"]  # type: ignore[assignment]
        activism.queryset = public_activisms()
        style_widgets(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get(TRAP_FIELD):
            raise ValidationError(
                _(
                    "The thanks was not sent because the field meant to be left empty was filled "
                    "in. Empty it and send again."
                ),
                code="trap",
            )
        if (
            not self.errors.get("official")
            and not self.errors.get("unit")
            and not cleaned.get("official")
            and not cleaned.get("unit")
        ):
            raise ValidationError(_("Choose the official or the unit you thank."), code="recipient")
        return cleaned


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only coordinators see the reason."),
        error_messages={"required": _("Write the reason for rejecting the thanks.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class PreferencesForm(forms.Form):
    accepts_thanks = forms.BooleanField(
        label=_("Civic actors may thank me by name"),
        required=False,
        help_text=_(
            "You are then listed on the public thanks form, and published thanks show your name."
        ),
    )
    public_name = forms.CharField(
        label=_("Name shown to the public"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        help_text=_("For example your name and title: Maija Virtanen, city planner."),
    )
    thanks_to_manager = forms.BooleanField(
        label=_("Also notify my unit's coordinator when I am thanked"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("accepts_thanks") and not (cleaned.get("public_name") or "").strip():
            self.add_error(
                "public_name",
                _("Write the name civic actors see, or do not allow thanks by name."),
            )
        return cleaned
