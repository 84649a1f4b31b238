"""Storing and removing a volunteer's browser subscriptions (the write paths of the push views).

A subscription is keyed by its endpoint, which is unique to one browser profile and our VAPID
key: subscribing again updates the keys, and a browser shared by two volunteers follows the
one who subscribed last (the push service would deliver both volunteers' messages to the same
browser otherwise, and the endpoint can be stored only once).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from portaat.crowds.models import Channel, PushSubscription, Volunteer
from portaat.crowds.transports.webpush.keys import (
    BadSubscription,
    check_endpoint,
    decode_auth,
    decode_p256dh,
)
from portaat.crowds.transports.webpush.vapid import b64url

MAX_BODY = 8 * 1024  # a subscription's JSON is a few hundred bytes


class Invalid(ValueError):
    """A request that cannot be a subscription; the message is translated and safe to show."""


@dataclass(frozen=True)
class SubscriptionData:
    endpoint: str
    p256dh: str  # unpadded base64url, as stored
    auth: str


def _messages() -> dict[str, str]:
    return {
        "endpoint": _("The browser gave an address that cannot receive notifications."),
        "p256dh": _("The browser gave a key that cannot be used."),
        "auth": _("The browser gave a key that cannot be used."),
    }


def read_json(body: bytes, content_type: str) -> dict[str, Any]:
    """The JSON object of a request body (at most 8 KB); raises ``Invalid``."""
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise Invalid(_("The request has an unsupported content type."))
    if len(body) > MAX_BODY:
        raise Invalid(_("The request is too large."))
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Invalid(_("The request could not be read.")) from None
    if not isinstance(data, dict):
        raise Invalid(_("The request could not be read."))
    return data


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid(_("The request could not be read."))
    return value.strip()


def parse_subscription(data: dict[str, Any]) -> SubscriptionData:
    """A ``PushSubscription.toJSON()`` object: ``{endpoint, keys: {p256dh, auth}}``, checked
    as the transport will use it; raises ``Invalid``."""
    keys = data.get("keys")
    if "endpoint" not in data or not isinstance(keys, dict):
        raise Invalid(_("The request could not be read."))
    try:
        endpoint = check_endpoint(_text(data["endpoint"]))
        p256dh = decode_p256dh(_text(keys.get("p256dh")))
        auth = decode_auth(_text(keys.get("auth")))
    except BadSubscription as exc:
        raise Invalid(_messages()[exc.code]) from None
    return SubscriptionData(endpoint, b64url(p256dh), b64url(auth))


def parse_endpoint(data: dict[str, Any]) -> str:
    """The ``endpoint`` of an unsubscribe request; raises ``Invalid``."""
    if "endpoint" not in data:
        raise Invalid(_("The request could not be read."))
    try:
        return check_endpoint(_text(data["endpoint"]))
    except BadSubscription:
        raise Invalid(_messages()["endpoint"]) from None


def _set_push_channel(volunteer_id: int, on: bool) -> None:
    # the row is locked so a concurrent save of the volunteer's other details cannot undo it
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer_id)
    channels = list(volunteer.channels or [])
    if on and Channel.PUSH not in channels:
        channels.append(Channel.PUSH)
    elif not on and Channel.PUSH in channels:
        channels.remove(Channel.PUSH)
    else:
        return
    volunteer.channels = channels
    volunteer.save(update_fields=["channels"])


def save_subscription(volunteer: Volunteer, data: SubscriptionData) -> bool:
    """Store (or update) the subscription for ``volunteer`` and make sure "push" is among their
    channels. Returns True when the endpoint was new here."""
    with transaction.atomic():
        previous = (
            PushSubscription.objects.select_for_update()
            .filter(endpoint=data.endpoint)
            .values_list("volunteer_id", flat=True)
            .first()
        )
        PushSubscription.objects.update_or_create(
            endpoint=data.endpoint,
            defaults={"volunteer": volunteer, "p256dh": data.p256dh, "auth": data.auth},
        )
        _set_push_channel(volunteer.pk, on=True)
        if previous is not None and previous != volunteer.pk:
            _forget_channel_if_empty(previous)
    return previous is None


def _forget_channel_if_empty(volunteer_id: int) -> None:
    if not PushSubscription.objects.filter(volunteer_id=volunteer_id).exists():
        _set_push_channel(volunteer_id, on=False)


def remove_subscription(volunteer: Volunteer, endpoint: str) -> bool:
    """Forget ``volunteer``'s subscription ``endpoint``; "push" leaves their channels with the
    last one. Returns whether there was such a subscription."""
    with transaction.atomic():
        deleted, _rows = PushSubscription.objects.filter(
            volunteer=volunteer, endpoint=endpoint
        ).delete()
        _forget_channel_if_empty(volunteer.pk)
    return bool(deleted)
