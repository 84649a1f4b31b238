"""Forms of the registry pages: the list's filters and the activism form.

The activism form validates and shapes input only; ``services.save_activism`` writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portaat.forms import IdMultipleChoiceField, style_widgets
from portaat.ladders.models import Ladder, LadderKind
from portaat.registry import queries, services
from portaat.registry.models import (
    Activism,
    ActivismKind,
    ActivismStatus,
    Area,
    LegalForm,
    Visibility,
)

CONSENT_TEXT = _(
    "The contact person has agreed that their name and contact details are stored in Portaat "
    "and shown to the city's officials and to the people who keep this entry up to date, so "
    "that they can be contacted about this activism. They may ask for the details to be "
    "removed at any time."
)
CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")
MAX_CHANNELS = 30
MAX_MAINTAINERS = 20
DESCRIPTION_MAX = 5000


def _grouped_areas(areas: Iterable[Area]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices grouped by municipality, in the reader's language."""
    language = translation.get_language()
    groups: dict[str, list[tuple[str, str]]] = {}
    for area in areas:
        groups.setdefault(area.municipality, []).append((area.key, area.display_name(language)))
    return list(groups.items())


def areas_from_keys(keys: Iterable[str]) -> list[Area]:
    """The gazetteer's areas for chosen keys; an unknown key is an error, not dropped."""
    keys = set(keys)
    areas = list(Area.objects.filter(key__in=keys))
    if len(areas) != len(keys):
        raise ValidationError(_("Choose areas from the list."))
    return areas


def domain_ladders() -> Any:
    """Domains are the cooperation ladders; the social-media ladder is not a field of action."""
    return Ladder.objects.filter(kind=LadderKind.COOPERATION)


def _domain_label(ladder: Ladder) -> str:
    return str(ladder.domain or ladder.name)


class ActivismFilterForm(forms.Form):
    """The list's filters (GET). Invalid parts are reported and ignored."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    kind: forms.ModelChoiceField[ActivismKind] = forms.ModelChoiceField(
        label=_("Kind"),
        queryset=ActivismKind.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All kinds"),
    )
    domain = forms.ModelChoiceField(
        label=_("Domain"),
        queryset=domain_ladders(),
        to_field_name="slug",
        required=False,
        empty_label=_("All domains"),
    )
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *ActivismStatus.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._areas = {area.key: area for area in Area.objects.all()}
        self.fields["municipality"].choices = [  # type: ignore[attr-defined]
            ("", _("All municipalities")),
            *((name, name) for name in queries.municipalities()),
        ]
        self.fields["area"].choices = [  # type: ignore[attr-defined]
            ("", _("All areas")),
            *_grouped_areas(self._areas.values()),
        ]
        self.fields["domain"].label_from_instance = _domain_label  # type: ignore[attr-defined]
        style_widgets(self)

    def filters(self) -> queries.ActivismFilters:
        """The valid parts of the input (all of it when the form is valid)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return queries.ActivismFilters(
            text=(data.get("q") or "").strip(),
            kind=data.get("kind"),
            domain=data.get("domain"),
            municipality=data.get("municipality") or "",
            area=self._areas.get(data.get("area") or ""),
            status=data.get("status") or "",
        )


class ActivismForm(forms.Form):
    """Register or edit an activism.

    ``can_set_visibility``: the administration decides who sees the entry. An activist
    registering their own activism instead says whether they want it public once approved
    (``self_registration``); maintainers editing it later cannot change its visibility.
    """

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the activism does, for whom, and how to take part."),
    )
    kind: forms.ModelChoiceField[ActivismKind] = forms.ModelChoiceField(
        label=_("Kind"), queryset=ActivismKind.objects.all(), empty_label=_("Choose a kind")
    )
    domains = IdMultipleChoiceField(
        label=_("Domains"),
        queryset=domain_ladders(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The fields where the activism acts; each has its own stairs."),
    )
    areas = forms.MultipleChoiceField(
        label=_("Areas"),
        required=False,
        help_text=_("Where the activism acts. Hold Ctrl (or ⌘) to choose several."),
    )
    channels = forms.CharField(
        label=_("Channels"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Web addresses of the activism's groups, accounts, feeds or website, one per line. "
            "The platform (Facebook, Mastodon, Bluesky, Telegram, Instagram, RSS …) is "
            "recognised from the address."
        ),
    )
    legal_form = forms.ChoiceField(
        label=_("Legal form"),
        choices=LegalForm.choices,
        initial=LegalForm.NONE,
        widget=forms.RadioSelect,
        help_text=_("An activism needs no legal person: no association, no bank account."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ActivismStatus.choices, initial=ActivismStatus.ACTIVE
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Visibility.choices,
        initial=Visibility.INTERNAL,
        required=False,  # left out: kept as it is (administration only for a new entry)
        widget=forms.RadioSelect,
        help_text=_("Public entries are shown to everyone, on the public list and map."),
    )
    publish = forms.BooleanField(
        label=_("Show the activism on the public list once an official has approved it"),
        required=False,
        initial=True,
    )
    maintainers = forms.CharField(
        label=_("People who keep this entry up to date"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Email addresses of the activists' Portaat accounts, one per line. They can edit the "
            "entry and record the activists' view of its cases."
        ),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), max_length=254, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    contact_consent = forms.BooleanField(label=CONSENT_TEXT, required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        activism: Activism | None = None,
        can_set_visibility: bool,
        **kwargs: Any,
    ) -> None:
        self.activism = activism
        self.self_registration = activism is None and not can_set_visibility
        if activism is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(activism)
        super().__init__(data, **kwargs)
        if not can_set_visibility:
            del self.fields["visibility"]
            del self.fields["maintainers"]
        if not self.self_registration:
            del self.fields["publish"]
        self.fields["areas"].choices = _grouped_areas(Area.objects.all())  # type: ignore[attr-defined]
        self.fields["areas"].widget.attrs["size"] = 10
        self.fields["domains"].label_from_instance = _domain_label  # type: ignore[attr-defined]
        style_widgets(self)

    @staticmethod
    def initial_from(activism: Activism) -> dict[str, Any]:
        return {
            "name": activism.name,
            "description": activism.description,
            "kind": activism.kind_id,
            "domains": [ladder.pk for ladder in activism.domains.all()],
            "areas": [area.key for area in activism.areas.all()],
            "channels": "\n".join(channel.url for channel in activism.channels.all()),
            "legal_form": activism.legal_form,
            "status": activism.status,
            "visibility": activism.visibility,
            "contact_name": activism.contact_name,
            "contact_email": activism.contact_email,
            "contact_phone": activism.contact_phone,
            "maintainers": "\n".join(user.email for user in activism.maintainers.all()),
        }

    # --- field groups for the template --------------------------------------------------------

    def groups(self) -> list[dict[str, Any]]:
        def present(*names: str) -> list[forms.BoundField]:
            return [self[name] for name in names if name in self.fields]

        return [
            {
                "legend": _("The activism"),
                "fields": present("name", "description", "kind", "status", "legal_form"),
            },
            {"legend": _("Where and in which fields"), "fields": present("domains", "areas")},
            {"legend": _("Channels"), "fields": present("channels")},
            {"legend": _("Visibility"), "fields": present("visibility", "publish")},
            {"legend": _("Maintainers"), "fields": present("maintainers")},
            {
                "legend": _("Contact person (optional)"),
                "help": _(
                    "Personal data: shown only to the city's officials and to the people who "
                    "keep this entry up to date, never publicly."
                ),
                "fields": present(*CONTACT_FIELDS, "contact_consent"),
            },
        ]

    # --- validation ---------------------------------------------------------------------------

    def clean_areas(self) -> list[Area]:
        return areas_from_keys(self.cleaned_data.get("areas") or [])

    def clean_maintainers(self) -> list[Any] | None:
        """Existing accounts by email; an unknown address is an error, not silently dropped.

        None (keep them as they are) when the request did not send the field at all.
        """
        if "maintainers" not in self.data:
            return None
        emails = [line.strip().lower() for line in self.cleaned_data.get("maintainers", "").split()]
        emails = [email for email in dict.fromkeys(emails) if email]
        if len(emails) > MAX_MAINTAINERS:
            raise ValidationError(_("Give at most %(max)d people.") % {"max": MAX_MAINTAINERS})
        users = {
            user.email.lower(): user
            for user in get_user_model()
            .objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=emails, is_active=True)
        }
        unknown = [email for email in emails if email not in users]
        if unknown:
            raise ValidationError(
                _("No account has the address %(emails)s. Ask them to sign up first.")
                % {"emails": ", ".join(unknown[:5])}
            )
        return [users[email] for email in emails]

    def clean_channels(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data.get("channels", "").splitlines()]
        urls = [line for line in lines if line]
        if len(urls) > MAX_CHANNELS:
            raise ValidationError(_("Give at most %(max)d channels.") % {"max": MAX_CHANNELS})
        # The service's own check, run early so the message appears beside this field.
        services.clean_channels(urls)
        return urls

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_contact = any(cleaned.get(name) for name in CONTACT_FIELDS)
        if has_contact and not cleaned.get("contact_consent") and not self._consent_on_record():
            self.add_error(
                "contact_consent",
                _(
                    "Contact details can be saved only with the person's consent: tick the "
                    "box, or leave the contact details empty."
                ),
            )
        return cleaned

    def _consent_on_record(self) -> bool:
        """An earlier consent covers the same details, not a new person or new details."""
        activism = self.activism
        if activism is None or activism.contact_consent_at is None:
            return False
        return all(
            getattr(activism, name) == (self.cleaned_data.get(name) or "")
            for name in CONTACT_FIELDS
        )

    # --- to the service -----------------------------------------------------------------------

    def service_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``services.save_activism`` from the cleaned data."""
        data = self.cleaned_data
        fields: dict[str, Any] = {
            "name": data["name"],
            "description": data["description"],
            "kind": data["kind"],
            "legal_form": data["legal_form"],
            "status": data["status"],
            **{name: data.get(name) or "" for name in CONTACT_FIELDS},
        }
        if "visibility" in self.fields:
            fields["visibility"] = data.get("visibility") or (
                self.activism.visibility if self.activism else Visibility.INTERNAL
            )
        elif self.self_registration:
            fields["visibility"] = Visibility.PUBLIC if data.get("publish") else Visibility.INTERNAL
        has_contact = any(fields[name] for name in CONTACT_FIELDS)
        return {
            "fields": fields,
            "domains": list(data["domains"]),
            "areas": data["areas"],
            "channel_urls": data["channels"],
            **({"maintainers": data["maintainers"]} if data.get("maintainers") is not None else {}),
            "contact_consent_text": str(CONSENT_TEXT)
            if has_contact and data.get("contact_consent")
            else "",
        }


REVIEW_DECISIONS = {"approve": True, "reject": False}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        error_messages={"required": _("Choose whether to approve or reject.")},
    )

    def approve(self) -> bool:
        return REVIEW_DECISIONS[self.cleaned_data["decision"]]
