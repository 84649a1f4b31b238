"""Write paths for the registry: built-in kinds, areas from the gazetteer, activisms."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portaat.analytics import gazetteer
from portaat.registry.channels import recognise
from portaat.registry.models import (
    Activism,
    ActivismKind,
    Area,
    AreaKind,
    Channel,
    Origin,
    Review,
)

DATA_DIR = Path(__file__).resolve().parent / "data"


# --- built-in kinds of activism ------------------------------------------------------------


@transaction.atomic
def load_builtin_kinds(path: Path = DATA_DIR / "kinds.json") -> int:
    """Create or upgrade the built-in kinds of activism; return how many rows changed."""
    changed = 0
    for position, item in enumerate(json.loads(path.read_text(encoding="utf-8")), start=1):
        kind = ActivismKind.objects.filter(slug=item["slug"]).first() or ActivismKind(
            slug=item["slug"]
        )
        before = (kind.pk, kind.name_fi, kind.name_sv, kind.name_en, kind.position)  # type: ignore[attr-defined]
        kind.name_fi, kind.name_sv, kind.name_en = (  # type: ignore[attr-defined]
            item["name"]["fi"],
            item["name"]["sv"],
            item["name"]["en"],
        )
        kind.position = position
        kind.is_builtin = True
        if before != (kind.pk, kind.name_fi, kind.name_sv, kind.name_en, kind.position):  # type: ignore[attr-defined]
            kind.save()
            changed += 1
    return changed


# --- areas ----------------------------------------------------------------------------------


@dataclass
class GazetteerReport:
    """The outcome of validating (and maybe loading) a gazetteer."""

    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


AREA_KINDS = {choice.value for choice in AreaKind}
AREA_TEXT_MAX = Area._meta.get_field("name").max_length or 120
_AREA_KEY = re.compile(rf"[-a-zA-Z0-9_]{{1,{AREA_TEXT_MAX}}}")


def validate_places(places: Sequence[Mapping[str, Any]]) -> list[str]:
    """Row-by-row problems in a gazetteer; an empty list means it can be loaded whole."""
    errors: list[str] = []
    keys = set()
    for number, place in enumerate(places, start=1):
        key = str(place.get("id") or "").strip()
        where = _("row %(row)d (%(id)s)") % {"row": number, "id": key[:60] or "?"}
        if not key:
            errors.append(_("%(where)s: the id is missing.") % {"where": where})
        elif key in keys:
            errors.append(_("%(where)s: the id is used twice.") % {"where": where})
        elif not isinstance(place.get("id"), str) or not _AREA_KEY.fullmatch(key):
            errors.append(
                _("%(where)s: the id must be at most %(max)d letters, digits and hyphens.")
                % {"where": where, "max": AREA_TEXT_MAX}
            )
        keys.add(key)
        for name in ("name", "municipality"):
            if not str(place.get(name) or "").strip():
                errors.append(
                    _("%(where)s: %(field)s is missing.") % {"where": where, "field": name}
                )
        for name in ("name", "name_sv", "municipality", "parent"):
            value = place.get(name)
            if value is not None and not (
                isinstance(value, str)
                and len(value.strip()) <= AREA_TEXT_MAX
                and "\x00" not in value
            ):
                errors.append(
                    _("%(where)s: %(field)s must be a text of at most %(max)d characters.")
                    % {"where": where, "field": name, "max": AREA_TEXT_MAX}
                )
        if place.get("kind") not in AREA_KINDS:
            errors.append(
                _("%(where)s: kind must be one of %(kinds)s.")
                % {"where": where, "kinds": ", ".join(sorted(AREA_KINDS))}
            )
        for coord, low, high in (("lat", -90, 90), ("lon", -180, 180)):
            try:
                value = float(place.get(coord))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                errors.append(
                    _("%(where)s: %(field)s must be a number.") % {"where": where, "field": coord}
                )
                continue
            if not low <= value <= high:
                errors.append(
                    _("%(where)s: %(field)s is out of range.") % {"where": where, "field": coord}
                )
        aliases = place.get("aliases", [])
        if not isinstance(aliases, list) or not all(
            isinstance(a, str) and "\x00" not in a for a in aliases
        ):
            errors.append(_("%(where)s: aliases must be a list of texts.") % {"where": where})
    known = set(Area.objects.values_list("key", flat=True))  # one query, not one per row
    for number, place in enumerate(places, start=1):
        parent = place.get("parent")
        if parent and isinstance(parent, str) and parent not in keys | known:
            errors.append(
                _("row %(row)d (%(id)s): the parent %(parent)s does not exist.")
                % {"row": number, "id": place.get("id"), "parent": parent}
            )
    return errors


@transaction.atomic
def load_places(places: Sequence[Mapping[str, Any]]) -> GazetteerReport:
    """Validate, then create or update every place; all or nothing."""
    report = GazetteerReport(errors=validate_places(places))
    if not report.ok:
        return report
    existing = {area.key: area for area in Area.objects.all()}
    for place in places:
        area = existing.get(place["id"]) or Area(key=place["id"])
        values = {
            "name": place["name"].strip(),
            "name_sv": (place.get("name_sv") or place["name"]).strip(),
            "aliases": list(place.get("aliases") or []),
            "kind": place["kind"],
            "municipality": place["municipality"].strip(),
            "lat": float(place["lat"]),
            "lon": float(place["lon"]),
        }
        if area.pk is None or any(getattr(area, k) != v for k, v in values.items()):
            created = area.pk is None
            for name, value in values.items():
                setattr(area, name, value)
            area.save()
            existing[area.key] = area
            if created:
                report.created += 1
            else:
                report.updated += 1
    for place in places:
        area = existing[place["id"]]
        parent = existing.get(place.get("parent") or "") if place.get("parent") else None
        if area.parent_id != (parent.pk if parent else None):
            area.parent = parent
            area.save(update_fields=["parent"])
    return report


def load_gazetteer() -> GazetteerReport:
    """Load the shipped Helsinki-region gazetteer into areas (idempotent)."""
    return load_places(gazetteer.places())


# --- activisms ------------------------------------------------------------------------------

_url_validator = URLValidator(schemes=["http", "https"])
CHANNEL_URL_MAX = Channel._meta.get_field("url").max_length or 500
HANDLE_MAX = Channel._meta.get_field("handle").max_length or 200


def clean_channels(urls: Iterable[str]) -> list[tuple[str, str, str]]:
    """``(url, platform, handle)`` for each non-empty URL; a bad URL raises ValidationError."""
    out: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for raw in urls:
        url = raw.strip()
        if not url or url in seen:
            continue
        if len(url) > CHANNEL_URL_MAX:
            raise ValidationError(
                _("An address may be at most %(max)d characters long.") % {"max": CHANNEL_URL_MAX}
            )
        try:
            _url_validator(url)
        except ValidationError:
            raise ValidationError(
                _("“%(url)s” is not a web address (it should start with https://).")
                % {"url": url[:100]}
            ) from None
        seen.add(url)
        platform, handle = recognise(url)
        # The handle only labels the address (which is kept whole); a freak-length one is cut.
        out.append((url, platform, handle[:HANDLE_MAX]))
    return out


def _set_channels(activism: Activism, channels: list[tuple[str, str, str]]) -> None:
    keep = {url for url, _p, _h in channels}
    activism.channels.exclude(url__in=keep).delete()
    existing = set(activism.channels.values_list("url", flat=True))
    Channel.objects.bulk_create(
        Channel(activism=activism, url=url, platform=platform, handle=handle)
        for url, platform, handle in channels
        if url not in existing
    )


@transaction.atomic
def save_activism(
    *,
    activism: Activism | None,
    fields: Mapping[str, Any],
    domains: Iterable[Any] = (),
    areas: Iterable[Any] = (),
    channel_urls: Iterable[str] = (),
    by: Any,
    self_registered: bool = False,
    contact_consent_text: str = "",
    maintainers: Iterable[Any] | None = None,
) -> Activism:
    """Create or update an activism with its domains, areas and channels, in one transaction.

    ``self_registered`` marks an activist's own registration: it waits for an official's
    review before it can be public, and the registering person becomes its maintainer.
    Contact details are kept only with consent (``contact_consent_text`` is what they agreed to).
    """
    channels = clean_channels(channel_urls)
    creating = activism is None
    if activism is None:
        activism = Activism(created_by=by if getattr(by, "is_authenticated", False) else None)
        if self_registered:
            activism.origin = Origin.SELF
            activism.review = Review.PENDING
    for name, value in fields.items():
        setattr(activism, name, value)
    has_contact = any((activism.contact_name, activism.contact_email, activism.contact_phone))
    if has_contact and contact_consent_text:
        activism.contact_consent_at = timezone.now()
        activism.contact_consent_text = contact_consent_text
    if has_contact and activism.contact_consent_at is None:
        raise ValidationError(_("Contact details can be saved only with the person's consent."))
    if not has_contact:
        activism.contact_consent_at = None
        activism.contact_consent_text = ""
    activism.full_clean(exclude=["created_by"])
    activism.save()
    activism.domains.set(list(domains))
    activism.areas.set(list(areas))
    _set_channels(activism, channels)
    if maintainers is not None:  # the administration names who keeps the entry up to date
        activism.maintainers.set(list(maintainers))
    if creating and self_registered and getattr(by, "is_authenticated", False):
        activism.maintainers.add(by)
    return activism


@transaction.atomic
def review_activism(activism: Activism, *, approve: bool, by: Any) -> Activism:
    """An official approves or rejects an activism that awaits review."""
    if activism.review != Review.PENDING:
        raise ValidationError(_("This activism is not waiting for review."))
    activism.review = Review.APPROVED if approve else Review.REJECTED
    activism.save(update_fields=["review", "updated_at"])
    return activism
