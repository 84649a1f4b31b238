"""Forms of the crowds pages: sign-up and one's own details, calls, updates."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portaat.crowds.models import Availability, CapCategory, Channel, Severity, Skill
from portaat.crowds.services import CallData, VolunteerData
from portaat.crowds.transports import configured_channels
from portaat.forms import IdMultipleChoiceField, style_widgets
from portaat.registry.models import Area, AreaKind


class AreaChoiceField(IdMultipleChoiceField):
    """Areas in the reader's language, with their municipality (names repeat across cities)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name(get_language())} ({obj.municipality})"


LANGUAGES = [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]


def area_choices() -> Any:
    """Districts and sub-districts people live in (municipalities are too coarse to alert)."""
    return Area.objects.exclude(kind=AreaKind.MUNICIPALITY).order_by("municipality", "name")


def channel_choices() -> list[tuple[str, Any]]:
    available = configured_channels()
    # push and Telegram are added from the volunteer's own page (they need the browser / app)
    return [(c.value, c.label) for c in Channel if c.value in available and c in ("email", "sms")]


class VolunteerForm(forms.Form):
    name = forms.CharField(label=_("Name or nickname"), max_length=120, required=False)
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        required=False,
        help_text=_("For text messages, e.g. 040 123 4567 or +358 40 123 4567."),
    )
    language = forms.ChoiceField(label=_("Language of messages"), choices=LANGUAGES)
    channels = forms.MultipleChoiceField(
        label=_("Send calls by"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The first one is tried first; the others if you do not answer."),
    )
    areas = AreaChoiceField(
        label=_("Areas where you can help"),
        queryset=Area.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    skills = IdMultipleChoiceField(
        label=_("Skills and equipment"),
        queryset=Skill.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    availability = forms.ChoiceField(
        label=_("Usually available"),
        choices=Availability.choices,
        widget=forms.RadioSelect,
        initial=Availability.ANY,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channels"].choices = channel_choices()  # type: ignore[attr-defined]
        self.fields["areas"].queryset = area_choices()  # type: ignore[attr-defined]
        self.fields["skills"].queryset = Skill.objects.all()  # type: ignore[attr-defined]
        style_widgets(self)

    def clean_phone(self) -> str:
        from portaat.crowds.phone import normalise_phone

        raw = self.cleaned_data.get("phone", "").strip()
        if not raw:
            return ""
        try:
            return normalise_phone(raw)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        channels = data.get("channels") or []
        if "email" in channels and not data.get("email"):
            self.add_error("email", _("Give an email address, or do not choose email."))
        if "sms" in channels and not data.get("phone"):
            self.add_error("phone", _("Give a mobile number, or do not choose text messages."))
        return data

    def volunteer_data(self, *, extra_channels: list[str] | None = None) -> VolunteerData:
        data = self.cleaned_data
        channels = list(data["channels"])
        # keep push/Telegram channels the volunteer added on their page
        channels += [c for c in extra_channels or [] if c not in channels]
        return VolunteerData(
            name=data["name"].strip(),
            email=data["email"].strip().lower(),
            phone=data["phone"],
            language=data["language"],
            channels=channels,
            area_ids=[a.pk for a in data["areas"]],
            skill_ids=[s.pk for s in data["skills"]],
            availability=data["availability"],
        )


class SignUpForm(VolunteerForm):
    consent = forms.BooleanField(
        label=_("I have read the consent above and agree to it."),
        error_messages={"required": _("You can volunteer only if you agree to the consent.")},
    )
    consent_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=10**6)


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


class CallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    instructions_fi = forms.CharField(
        label=_("Instructions in Finnish"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    instructions_sv = forms.CharField(
        label=_("Instructions in Swedish"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )
    instructions_en = forms.CharField(
        label=_("Instructions in English"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )
    address = forms.CharField(label=_("Meeting point"), max_length=200, required=False)
    areas = AreaChoiceField(
        label=_("Areas"),
        queryset=Area.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        required=False,
    )
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    radius_m = forms.IntegerField(
        label=_("Radius (metres)"), required=False, min_value=100, max_value=100_000
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    respond_by = forms.DateTimeField(
        label=_("Answer by"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    needed = forms.IntegerField(label=_("People needed"), min_value=1, max_value=10_000)
    skills = IdMultipleChoiceField(
        label=_("Skills needed (any of them)"),
        queryset=Skill.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    category = forms.ChoiceField(label=_("Category"), choices=CapCategory.choices)
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None chosen: every channel."),
    )
    escalate_after_minutes = forms.IntegerField(
        label=_("Try the next channel after (minutes)"),
        min_value=1,
        max_value=24 * 60,
        initial=15,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = Area.objects.order_by(  # type: ignore[attr-defined]
            "municipality", "name"
        )
        self.fields["skills"].queryset = Skill.objects.all()  # type: ignore[attr-defined]
        self.fields["channels"].choices = [  # type: ignore[attr-defined]
            (c.value, c.label) for c in Channel if c.value in configured_channels()
        ]
        if not self.is_bound and not self.initial:
            now = timezone.now().replace(second=0, microsecond=0)
            self.initial = {
                "starts_at": _local(now + timedelta(minutes=30)),
                "ends_at": _local(now + timedelta(hours=4)),
                "respond_by": _local(now + timedelta(minutes=20)),
                "escalate_after_minutes": 15,
            }
        style_widgets(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        point = [data.get("lat"), data.get("lon"), data.get("radius_m")]
        if any(v is not None for v in point) and not all(v is not None for v in point):
            raise ValidationError(_("A place on the map needs latitude, longitude and radius."))
        if not data.get("areas") and data.get("lat") is None and not self.errors:
            raise ValidationError(_("Choose the areas, or a point and a radius, or both."))
        starts, ends, by = data.get("starts_at"), data.get("ends_at"), data.get("respond_by")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        if ends and ends <= timezone.now():
            self.add_error("ends_at", _("The end must be in the future."))
        if by and ends and by > ends:
            self.add_error("respond_by", _("Answers must be asked for before the end."))
        return data

    def call_data(self) -> CallData:
        data = self.cleaned_data
        return CallData(
            title=data["title"].strip(),
            instructions_fi=data["instructions_fi"].strip(),
            instructions_sv=data["instructions_sv"].strip(),
            instructions_en=data["instructions_en"].strip(),
            lat=data["lat"],
            lon=data["lon"],
            radius_m=data["radius_m"],
            area_ids=[a.pk for a in data["areas"]],
            address=data["address"].strip(),
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            respond_by=data["respond_by"],
            needed=data["needed"],
            skill_ids=[s.pk for s in data["skills"]],
            severity=data["severity"],
            category=data["category"],
            channels=list(data["channels"]),
            escalate_after_minutes=data["escalate_after_minutes"],
        )

    @staticmethod
    def initial_from(call: Any) -> dict[str, Any]:
        return {
            **{
                name: getattr(call, name)
                for name in [
                    "title",
                    "instructions_fi",
                    "instructions_sv",
                    "instructions_en",
                    "address",
                    "lat",
                    "lon",
                    "radius_m",
                    "needed",
                    "severity",
                    "category",
                    "channels",
                    "escalate_after_minutes",
                ]
            },
            "starts_at": _local(call.starts_at),
            "ends_at": _local(call.ends_at),
            "respond_by": _local(call.respond_by),
            "areas": list(call.areas.all()),
            "skills": list(call.skills.all()),
        }


class UpdateForm(forms.Form):
    text_fi = forms.CharField(
        label=_("Message in Finnish"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )
    text_sv = forms.CharField(
        label=_("Message in Swedish"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )
    text_en = forms.CharField(
        label=_("Message in English"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class CloseForm(UpdateForm):
    """Stand-down or cancellation: the message is optional (a default text is sent)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text_fi"].required = False
