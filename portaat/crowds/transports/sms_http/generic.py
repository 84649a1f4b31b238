"""A configurable HTTP gateway: most SMS gateways take one POST per message with the number,
the text and perhaps a sender, a client reference and a delivery-report address, in JSON or
as a form, and answer with the message's id somewhere in a JSON body. The field names, the
body format, the authentication and the place of the id are settings (see ``config``).

Webhooks: incoming messages and receipts as a form or a JSON object (field names and dotted
paths are settings); the answer to an incoming message is ``{"reply": "<text>"}``, which a
gateway may or may not send on. Receipt statuses outside the configured delivered / failed
values are steps on the way and are acknowledged without being recorded.
"""

from __future__ import annotations

import json
from typing import ClassVar

from django.http import HttpResponse, JsonResponse

from portaat.crowds.transports.http import Request
from portaat.crowds.transports.sms_http import config
from portaat.crowds.transports.sms_http.base import (
    IncomingSms,
    NoId,
    Payload,
    Provider,
    Receipt,
    find,
    provider_id,
    sender_phone,
)


class Generic(Provider):
    name: ClassVar[str] = "generic"
    json_webhooks: ClassVar[bool] = True

    def __init__(self) -> None:
        self.url = config.text("PORTAAT_SMS_URL")
        self.username = config.text("PORTAAT_SMS_USERNAME")
        self.password = config.text("PORTAAT_SMS_PASSWORD")
        self.token = config.text("PORTAAT_SMS_TOKEN")
        self.sender = config.text("PORTAAT_SMS_SENDER")
        self.body = config.text("PORTAAT_SMS_GENERIC_BODY", "json").lower() or "json"
        self.id_path = config.text("PORTAAT_SMS_GENERIC_ID_PATH", "id") or "id"
        self.delivered = config.values("PORTAAT_SMS_GENERIC_DELIVERED", config.GENERIC_DELIVERED)
        self.failed = config.values("PORTAAT_SMS_GENERIC_FAILED", config.GENERIC_FAILED)
        self._problems: list[str] = []
        self.fields = self._mapping("PORTAAT_SMS_GENERIC_FIELDS", config.GENERIC_FIELDS)
        self.extra = self._mapping("PORTAAT_SMS_GENERIC_EXTRA", {}, closed=False)
        self.incoming_fields = self._mapping(
            "PORTAAT_SMS_GENERIC_INCOMING_FIELDS", config.GENERIC_INCOMING_FIELDS
        )
        self.receipt_fields = self._mapping(
            "PORTAAT_SMS_GENERIC_RECEIPT_FIELDS", config.GENERIC_RECEIPT_FIELDS
        )

    def _mapping(
        self, name: str, defaults: dict[str, str], *, closed: bool = True
    ) -> dict[str, str]:
        try:
            return config.mapping(name, defaults, closed=closed)
        except ValueError as exc:
            self._problems.append(str(exc))
            return dict(defaults)

    def problems(self) -> list[str]:
        found = list(self._problems)
        if not self.url.startswith(("http://", "https://")):
            found.append("PORTAAT_SMS_URL must be the gateway's http(s) address")
        if self.body not in ("json", "form"):
            found.append("PORTAAT_SMS_GENERIC_BODY must be json or form")
        for key in ("to", "text"):
            if not self.fields.get(key):
                found.append(f"PORTAAT_SMS_GENERIC_FIELDS needs a name for {key}")
        for key in ("from", "text", "id"):
            if not self.incoming_fields.get(key):
                found.append(f"PORTAAT_SMS_GENERIC_INCOMING_FIELDS needs a name for {key}")
        for key in ("id", "status"):
            if not self.receipt_fields.get(key):
                found.append(f"PORTAAT_SMS_GENERIC_RECEIPT_FIELDS needs a name for {key}")
        if self.delivered & self.failed:
            found.append("PORTAAT_SMS_GENERIC_DELIVERED and _FAILED share a value")
        if problem := config.sender_problem(self.sender):
            found.append(problem)
        return found

    def request(self, to: str, text: str, reference: str, callback: str) -> Request:
        body: dict[str, str] = dict(self.extra)
        for key, value in (
            ("to", to),
            ("from", self.sender),
            ("text", text),
            ("reference", reference),
            ("callback", callback),
        ):
            name = self.fields.get(key, "")
            if name and value:
                body[name] = value
        headers: dict[str, str] = {}
        auth = None
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        elif self.username or self.password:
            auth = (self.username, self.password)
        if self.body == "form":
            return Request(self.url, form=body, headers=headers, auth=auth)
        return Request(self.url, json=dict(body), headers=headers, auth=auth)

    def accepted(self, body: bytes) -> str:
        try:
            answer = json.loads(body)
        except ValueError:
            raise NoId("the answer is not JSON") from None
        value = find(answer, self.id_path)
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise NoId(f"nothing at {self.id_path}")
        text = str(value).strip()
        if not text or len(text) > 120:
            raise NoId(f"no usable id at {self.id_path}")
        return text

    def incoming(self, payload: Payload) -> IncomingSms:
        fields = self.incoming_fields
        return IncomingSms(
            phone=sender_phone(payload.get(fields["from"], limit=40)),
            text=payload.get(fields["text"]),
            provider_id=provider_id(payload, fields["id"]),
        )

    def receipt(self, payload: Payload) -> Receipt:
        fields = self.receipt_fields
        sms_id = provider_id(payload, fields["id"])
        status = payload.get(fields["status"], limit=80).strip().lower()
        error = payload.get(fields["error"], required=False, limit=300) if fields["error"] else ""
        if status in self.delivered:
            return Receipt(sms_id, True)
        if status in self.failed:
            return Receipt(sms_id, False, (error or f"gateway: {status}")[:300])
        return Receipt(sms_id, None)

    def reply(self, text: str) -> HttpResponse:
        return JsonResponse({"reply": text})

    def done(self) -> HttpResponse:
        return JsonResponse({"ok": True})

    def malformed(self, message: str) -> HttpResponse:
        return JsonResponse({"error": message}, status=400)
