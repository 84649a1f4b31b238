"""What the SMS providers share: the interface of a gateway's formats (the request to send,
the id in its answer, its webhooks) and strict reading of webhook bodies."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import parse_qsl

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from portaat.crowds.phone import normalise_phone
from portaat.crowds.transports.http import Request
from portaat.crowds.transports.sms_http import config

MAX_WEBHOOK_BYTES = 64 * 1024
MAX_FIELDS = 100
MAX_PROVIDER_ID = 120  # Delivery.provider_id and InboundMessage.provider_id


class Refused(Exception):
    """The gateway answered 2xx but says the message will not be sent."""


class NoId(Exception):
    """The gateway answered 2xx without a message id we can read."""


class Malformed(Exception):
    """A webhook request that does not follow the provider's format; the message is
    translated and safe to show to the caller."""


@dataclass(frozen=True)
class IncomingSms:
    phone: str  # E.164
    text: str
    provider_id: str


@dataclass(frozen=True)
class Receipt:
    provider_id: str
    delivered: bool | None  # None: a step on the way (e.g. "sent"), nothing to record
    error: str = ""


def find(document: Any, path: str) -> Any:
    """The value at a dotted ``path`` (``messages.0.id``) of a JSON document, or None."""
    value = document
    for step in path.split("."):
        if isinstance(value, dict):
            value = value.get(step)
        elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        else:
            return None
    return value


class Payload:
    """A webhook body: form fields (flat names) or a JSON object (dotted paths)."""

    def __init__(self, data: dict[str, Any], is_json: bool) -> None:
        self.data = data
        self.is_json = is_json

    def _lookup(self, name: str) -> Any:
        return find(self.data, name) if self.is_json else self.data.get(name)

    def get(self, name: str, *, required: bool = True, limit: int = 10_000) -> str:
        """The text of field ``name``; numbers are read as text (gateways send ids and
        numbers both ways), anything else is malformed."""
        value = self._lookup(name)
        if value is None:
            if required:
                raise Malformed(_("A required field is missing: %(name)s.") % {"name": name})
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise Malformed(_("The field %(name)s has the wrong type.") % {"name": name})
        text = str(value)
        if "\x00" in text or len(text) > limit:
            raise Malformed(_("The field %(name)s is not valid.") % {"name": name})
        return text


def read_payload(request: HttpRequest, *, json_allowed: bool) -> Payload:
    """The body of a webhook request, read strictly: at most 64 KB, UTF-8, a form (each field
    once) or, when ``json_allowed``, a JSON object."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > MAX_WEBHOOK_BYTES:
        raise Malformed(_("The request is too large."))
    body = request.body
    if len(body) > MAX_WEBHOOK_BYTES:
        raise Malformed(_("The request is too large."))
    content_type = (request.content_type or "").lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed(_("The request could not be read.")) from None
    if content_type == "application/x-www-form-urlencoded":
        try:
            pairs = parse_qsl(
                text,
                keep_blank_values=True,
                strict_parsing=bool(text),
                errors="strict",
                max_num_fields=MAX_FIELDS,
            )
        except ValueError:
            raise Malformed(_("The request could not be read.")) from None
        data: dict[str, Any] = {}
        for key, value in pairs:
            if key in data:
                raise Malformed(_("The field %(name)s is repeated.") % {"name": key[:40]})
            data[key] = value
        return Payload(data, is_json=False)
    if content_type == "application/json" and json_allowed:
        try:
            parsed = json.loads(text)
        except ValueError:
            raise Malformed(_("The request could not be read.")) from None
        if not isinstance(parsed, dict):
            raise Malformed(_("The request could not be read."))
        return Payload(parsed, is_json=True)
    raise Malformed(_("The request has an unsupported content type."))


def sender_phone(raw: str) -> str:
    """The E.164 number of an incoming message's sender (any valid number: the reply is
    matched against volunteers' mobile numbers, so other types simply match nobody)."""
    try:
        return normalise_phone(raw, config.region(), mobile_only=False)
    except ValueError:
        raise Malformed(_("The sender's phone number is not valid.")) from None


def provider_id(payload: Payload, name: str) -> str:
    """The provider's message id in field ``name``: present, not blank, at most 120 long."""
    value = payload.get(name, limit=MAX_PROVIDER_ID).strip()
    if not value:
        raise Malformed(_("The field %(name)s is not valid.") % {"name": name})
    return value


class Provider:
    """One gateway's formats. Instances are built from settings when used."""

    name: ClassVar[str]
    json_webhooks: ClassVar[bool] = False

    def problems(self) -> list[str]:
        """What keeps this provider from working (missing or malformed settings)."""
        raise NotImplementedError

    def request(self, to: str, text: str, reference: str, callback: str) -> Request:
        """The HTTP request that sends ``text`` to ``to`` (E.164); ``callback`` is the
        delivery-report address ("" for none)."""
        raise NotImplementedError

    def accepted(self, body: bytes) -> str:
        """The message id in a 2xx answer; raises ``Refused`` or ``NoId``."""
        raise NotImplementedError

    def incoming(self, payload: Payload) -> IncomingSms:
        """An incoming-SMS webhook's message; raises ``Malformed``."""
        raise NotImplementedError

    def receipt(self, payload: Payload) -> Receipt:
        """A delivery-report webhook's report; raises ``Malformed``."""
        raise NotImplementedError

    def reply(self, text: str) -> HttpResponse:
        """The webhook's answer to an incoming message; ``text`` ("" for none) goes back to
        the sender when the provider supports replying that way."""
        raise NotImplementedError

    def done(self) -> HttpResponse:
        """The answer to a receipt."""
        return HttpResponse(status=200)

    def malformed(self, message: str) -> HttpResponse:
        """The 400 answer to a malformed webhook request."""
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
