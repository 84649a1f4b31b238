"""Write paths of thanks: writing one (public), moderating it, an official's own settings, and
the counts for a unit's report. Every rule that input can break raises a translated
``ValidationError`` and writes nothing; too many thanks from one address raise ``TooManyThanks``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portaat import notifications
from portaat.models import Notification, NotificationSettings
from portaat.registry.models import Activism, MemberRole, Membership, Unit
from portaat.thanks.models import (
    NAME_MAX_LENGTH,
    REASON_MAX_LENGTH,
    STORY_MAX_LENGTH,
    ModerationAction,
    ModerationEntry,
    Thanks,
    ThanksProfile,
    ThanksStatus,
)

RATE_WINDOW = dt.timedelta(hours=1)
# the sender's address hash is needed only for the rate limit; a day is plenty
SENDER_KEY_DAYS = 1
# the thanker's email is for the moderators' questions: kept half a year after the decision
CONTACT_DAYS = 180


class TooManyThanks(Exception):
    """The sender's address has sent ``PORTAAT_THANKS_PER_HOUR`` thanks in the last hour."""


# --- who can be thanked --------------------------------------------------------------------------


def thankable_officials() -> QuerySet[Any]:
    """Officials the form offers: active accounts that allow being thanked by name, have a
    public name, and belong to a unit (a thanks always counts for a unit)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            thanks_profile__accepts_thanks=True,
            memberships__isnull=False,
        )
        .exclude(thanks_profile__public_name="")
        .select_related("thanks_profile")
        .distinct()
        .order_by("thanks_profile__public_name", "pk")
    )


def units_of(user: Any) -> list[Unit]:
    """The units the user is a member of, by name."""
    return list(Unit.objects.filter(memberships__user_id=user.pk).order_by("name", "pk"))


def unit_and_below(unit: Unit) -> list[int]:
    """The ids of the unit and every unit below it (one query, whatever the depth)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found: list[int] = []
    todo = [unit.pk]
    while todo:
        pk = todo.pop()
        if pk in found:
            continue
        found.append(pk)
        todo.extend(children.get(pk, []))
    return found


def unit_coordinators(unit: Unit) -> list[Any]:
    """The coordinators of the unit, or of the nearest unit above it that has any: the people
    who lead the unit's participation work (its "manager" for thanks)."""
    chain: list[int] = []
    current: Unit | None = unit
    while current is not None and current.pk not in chain:
        chain.append(current.pk)
        current = current.parent
    by_unit: dict[int, list[Any]] = {}
    for membership in Membership.objects.filter(
        unit_id__in=chain, role=MemberRole.COORDINATOR, user__is_active=True
    ).select_related("user"):
        by_unit.setdefault(membership.unit_id, []).append(membership.user)
    for pk in chain:
        if by_unit.get(pk):
            return sorted(by_unit[pk], key=lambda user: user.pk)
    return []


# --- writing a thanks ----------------------------------------------------------------------------


def sender_key(address: str) -> str:
    """A keyed hash of an IP address: the rate limit compares these, the address is not kept."""
    if not address:
        return ""
    key = hmac.new(settings.SECRET_KEY.encode(), b"portaat/thanks-sender", hashlib.sha256).digest()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()[:32]


def check_rate(key: str, now: dt.datetime | None = None) -> None:
    """Raise ``TooManyThanks`` when the address has used up its thanks for the hour."""
    if not key:
        return
    now = now or timezone.now()
    recent = Thanks.objects.filter(sender_key=key, created_at__gte=now - RATE_WINDOW).count()
    if recent >= settings.PORTAAT_THANKS_PER_HOUR:
        raise TooManyThanks


def _official_unit(official: Any, unit: Unit | None) -> Unit:
    units = units_of(official)
    if not units:
        raise ValidationError(
            _("That official cannot be thanked by name. Thank their unit instead."),
            code="official",
        )
    if unit is None:
        return units[0]
    if unit not in units:
        raise ValidationError(
            _(
                "The official you chose does not work in the unit you chose. Choose only the "
                "official, or the unit they work in."
            ),
            code="unit",
        )
    return unit


@transaction.atomic
def submit_thanks(
    *,
    story: str,
    official: Any = None,
    unit: Unit | None = None,
    activism: Activism | None = None,
    thanker_name: str = "",
    contact_email: str = "",
    language: str = "fi",
    sender: str = "",
) -> Thanks:
    """Record a thanks to ``official`` (in ``unit``, or in their first unit) or to ``unit`` as
    a whole. It waits for moderation; nobody is notified before it is published.

    ``sender`` is the keyed hash from ``sender_key``; the address may send at most
    ``PORTAAT_THANKS_PER_HOUR`` thanks an hour (``TooManyThanks``)."""
    story = story.strip()
    if not story:
        raise ValidationError(_("Write a short story of what you thank them for."), code="story")
    if len(story) > STORY_MAX_LENGTH:
        raise ValidationError(
            _("The story is too long: at most %(max)d characters.") % {"max": STORY_MAX_LENGTH},
            code="story",
        )
    if official is None and unit is None:
        raise ValidationError(_("Choose the official or the unit you thank."), code="recipient")
    if official is not None:
        if not thankable_officials().filter(pk=official.pk).exists():
            raise ValidationError(
                _(
                    "That official cannot be thanked by name. Choose another one or thank "
                    "their unit."
                ),
                code="official",
            )
        unit = _official_unit(official, unit)
    assert unit is not None  # nosec B101  # type narrowing: ensured by the checks above
    if activism is not None and not activism.is_public:
        raise ValidationError(_("Choose one of the public activisms."), code="activism")
    check_rate(sender)
    codes = {code for code, _name in settings.LANGUAGES}
    return Thanks.objects.create(
        official=official,
        unit=unit,
        activism=activism,
        story=story,
        language=language if language in codes else settings.LANGUAGE_CODE,
        thanker_name=thanker_name.strip()[:NAME_MAX_LENGTH],
        contact_email=contact_email.strip(),
        sender_key=sender,
    )


# --- moderation ----------------------------------------------------------------------------------


def _unit_labels(unit: Unit) -> dict[str, str]:
    return {
        code: getattr(unit, f"name_{code}", "") or unit.name for code, _name in settings.LANGUAGES
    }


def _notify(user: Any, key: str, kind: str, params: dict[str, Any], url: str) -> None:
    Notification.objects.get_or_create(
        user=user, key=key, defaults={"kind": kind, "params": params, "url": url}
    )


def _notify_published(thanks: Thanks) -> None:
    """The official (and, if they chose so, their unit's coordinator) or, for a thanks to a
    whole unit, the unit's coordinators get an in-app notification (and it reaches the digest)."""
    url = thanks.get_absolute_url()
    params = {"thanker": thanks.thanker_name, "unit": _unit_labels(thanks.unit)}
    official = thanks.official
    if official is None:
        for coordinator in unit_coordinators(thanks.unit):
            _notify(coordinator, f"thanks:{thanks.pk}:unit", "thanks_unit", params, url)
        return
    if official.is_active:
        _notify(official, f"thanks:{thanks.pk}", "thanks", params, url)
    chosen = NotificationSettings.objects.filter(user_id=official.pk).first()
    if chosen is None or not chosen.thanks_to_manager:
        return
    name = thanks.official_public_name or official.get_full_name() or ""
    for manager in unit_coordinators(thanks.unit):
        if manager.pk != official.pk:
            _notify(
                manager,
                f"thanks:{thanks.pk}:manager",
                "thanks_manager",
                {**params, "official": name},
                url,
            )


def _moderate(thanks: Thanks, *, by: Any, action: str, allowed: list[str], **fields: Any) -> Thanks:
    now = timezone.now()
    # one conditional write: of two coordinators deciding at once, exactly one wins
    changed = Thanks.objects.filter(pk=thanks.pk, status__in=allowed).update(
        moderated_by=by, moderated_at=now, **fields
    )
    if not changed:
        raise ValidationError(
            _("Someone already moderated this thanks. Reload the page to see its status."),
            code="moderated",
        )
    ModerationEntry.objects.create(
        thanks_id=thanks.pk, action=action, actor=by, reason=fields.get("rejection_reason", "")
    )
    return Thanks.objects.select_related("unit", "official__thanks_profile").get(pk=thanks.pk)


@transaction.atomic
def approve(thanks: Thanks, *, by: Any) -> Thanks:
    """Publish a waiting thanks on the wall and notify its recipients."""
    now = timezone.now()
    published = _moderate(
        thanks,
        by=by,
        action=ModerationAction.APPROVED,
        allowed=[ThanksStatus.PENDING],
        status=ThanksStatus.APPROVED,
        published_at=now,
        rejection_reason="",
    )
    _notify_published(published)
    return published


@transaction.atomic
def reject(thanks: Thanks, *, by: Any, reason: str) -> Thanks:
    """Reject a waiting thanks, or take a published one off the wall; a reason is required
    (it stays with the moderation record, the thanker does not see it)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Write the reason for rejecting the thanks."), code="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("The reason is too long: at most %(max)d characters.") % {"max": REASON_MAX_LENGTH},
            code="reason",
        )
    return _moderate(
        thanks,
        by=by,
        action=ModerationAction.REJECTED,
        allowed=[ThanksStatus.PENDING, ThanksStatus.APPROVED],
        status=ThanksStatus.REJECTED,
        published_at=None,
        rejection_reason=reason,
    )


# --- an official's settings ----------------------------------------------------------------------


@dataclass(frozen=True)
class Preferences:
    accepts_thanks: bool
    public_name: str
    thanks_to_manager: bool


def preferences_of(user: Any) -> Preferences:
    profile = ThanksProfile.objects.filter(user_id=user.pk).first()
    return Preferences(
        accepts_thanks=bool(profile and profile.accepts_thanks),
        public_name=(profile.public_name if profile else "") or user.get_full_name(),
        thanks_to_manager=notifications.settings_for(user).thanks_to_manager,
    )


@transaction.atomic
def set_preferences(
    user: Any, *, accepts_thanks: bool, public_name: str, thanks_to_manager: bool
) -> Preferences:
    """Allow or stop being thanked by name (a public name is then required), and choose
    whether the unit's coordinator is notified of the thanks the user receives."""
    public_name = public_name.strip()
    if accepts_thanks and not public_name:
        raise ValidationError(
            _("Write the name civic actors see, or do not allow thanks by name."),
            code="public_name",
        )
    if len(public_name) > NAME_MAX_LENGTH:
        raise ValidationError(
            _("The name is too long: at most %(max)d characters.") % {"max": NAME_MAX_LENGTH},
            code="public_name",
        )
    ThanksProfile.objects.update_or_create(
        user_id=user.pk, defaults={"accepts_thanks": accepts_thanks, "public_name": public_name}
    )
    notifications.set_thanks_to_manager(user, thanks_to_manager)
    return preferences_of(user)


# --- retention -----------------------------------------------------------------------------------


def forget_senders(now: dt.datetime | None = None) -> int:
    """Erase what identifies thankers once it is no longer needed: the address hash after
    ``SENDER_KEY_DAYS``, the contact email ``CONTACT_DAYS`` after moderation. Returns how many
    thanks changed."""
    now = now or timezone.now()
    keys = Thanks.objects.filter(created_at__lt=now - dt.timedelta(days=SENDER_KEY_DAYS)).exclude(
        sender_key=""
    )
    changed = keys.update(sender_key="")
    emails = Thanks.objects.filter(moderated_at__lt=now - dt.timedelta(days=CONTACT_DAYS)).exclude(
        contact_email=""
    )
    return changed + emails.update(contact_email="")


# --- counts for the unit report ------------------------------------------------------------------


@dataclass(frozen=True)
class ThanksCounts:
    """Published thanks of a unit (by default with the units below it)."""

    total: int
    to_unit: int  # thanked the unit (or a unit below it) as a whole
    to_officials: int  # thanked a named official of the unit
    officials: int  # different officials thanked


def _start(since: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(since, dt.datetime):
        return since if timezone.is_aware(since) else timezone.make_aware(since)
    return timezone.make_aware(dt.datetime.combine(since, dt.time.min))


def counts_for_unit(
    unit: Unit, since: dt.date | dt.datetime | None = None, *, include_subunits: bool = True
) -> ThanksCounts:
    """How many published thanks the unit received, for the unit report: written on or after
    ``since`` (a date counts from its start, Helsinki time), rejected and waiting ones never."""
    ids = unit_and_below(unit) if include_subunits else [unit.pk]
    found = Thanks.objects.filter(status=ThanksStatus.APPROVED, unit_id__in=ids)
    if since is not None:
        found = found.filter(created_at__gte=_start(since))
    counted = found.aggregate(
        total=Count("pk"),
        to_officials=Count("pk", filter=Q(official__isnull=False)),
        officials=Count("official", distinct=True),
    )
    return ThanksCounts(
        total=counted["total"],
        to_unit=counted["total"] - counted["to_officials"],
        to_officials=counted["to_officials"],
        officials=counted["officials"],
    )
