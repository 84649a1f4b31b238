"""46elks (https://46elks.com/docs), a Nordic SMS gateway with a small documented REST API.

Sending: ``POST {base}/sms`` with HTTP Basic auth (API username and password) and form fields
``from``, ``to``, ``message``, optionally ``whendelivered`` (the delivery-report webhook) and
``dontlog=message`` (the provider keeps no copy of the text). The answer is the SMS as JSON,
``{"id": "s…", "status": "created", "parts": 1, …}``.

Incoming SMS (the number's ``sms_url``): a form POST with ``id``, ``from``, ``to``,
``message``, ``direction=incoming`` and ``created``; a plain-text answer body is sent back to
the sender as a reply SMS. Delivery reports (``whendelivered``): a form POST with ``id``,
``status`` (``sent``, then ``delivered`` or ``failed``) and ``delivered`` (a time). Any answer
outside 200–204 makes 46elks try again for hours, so only malformed requests get one.
46elks does not document removing duplicate sends, so an uncertain send is never repeated.
"""

from __future__ import annotations

import json
from typing import ClassVar

from django.http import HttpResponse
from django.utils.translation import gettext as _

from portaat.crowds.transports.http import Request
from portaat.crowds.transports.sms_http import config
from portaat.crowds.transports.sms_http.base import (
    IncomingSms,
    Malformed,
    NoId,
    Payload,
    Provider,
    Receipt,
    Refused,
    provider_id,
    sender_phone,
)

RECEIPT_STATUSES = {"sent": None, "delivered": True, "failed": False}


class Elks(Provider):
    name: ClassVar[str] = "46elks"

    def __init__(self) -> None:
        self.base = (config.text("PORTAAT_SMS_URL") or config.ELKS_URL).rstrip("/")
        self.username = config.text("PORTAAT_SMS_USERNAME")
        self.password = config.text("PORTAAT_SMS_PASSWORD")
        self.sender = config.text("PORTAAT_SMS_SENDER")
        self.dontlog = config.flag("PORTAAT_SMS_DONTLOG", True)

    def problems(self) -> list[str]:
        found = [
            f"{name} is not set"
            for name, value in (
                ("PORTAAT_SMS_USERNAME", self.username),
                ("PORTAAT_SMS_PASSWORD", self.password),
                ("PORTAAT_SMS_SENDER", self.sender),
            )
            if not value
        ]
        if problem := config.sender_problem(self.sender):
            found.append(problem)
        return found

    def request(self, to: str, text: str, reference: str, callback: str) -> Request:
        form = {"from": self.sender, "to": to, "message": text}
        if callback:
            form["whendelivered"] = callback
        if self.dontlog:
            form["dontlog"] = "message"
        return Request(url=f"{self.base}/sms", form=form, auth=(self.username, self.password))

    def accepted(self, body: bytes) -> str:
        try:
            answer = json.loads(body)
        except ValueError:
            raise NoId("the answer is not JSON") from None
        if not isinstance(answer, dict):
            raise NoId("the answer is not a JSON object")
        if answer.get("status") == "failed":
            raise Refused("status failed")
        sms_id = answer.get("id")
        if not isinstance(sms_id, str) or not sms_id.strip() or len(sms_id) > 120:
            raise NoId("no id in the answer")
        return sms_id.strip()

    def incoming(self, payload: Payload) -> IncomingSms:
        direction = payload.get("direction", required=False)
        if direction and direction != "incoming":
            raise Malformed(_("The field %(name)s is not valid.") % {"name": "direction"})
        return IncomingSms(
            phone=sender_phone(payload.get("from", limit=40)),
            text=payload.get("message"),
            provider_id=provider_id(payload, "id"),
        )

    def receipt(self, payload: Payload) -> Receipt:
        sms_id = provider_id(payload, "id")
        status = payload.get("status", limit=40)
        if status not in RECEIPT_STATUSES:
            raise Malformed(_("The delivery status is not one this service knows."))
        delivered = RECEIPT_STATUSES[status]
        return Receipt(
            sms_id, delivered, "" if delivered is not False else "46elks: delivery failed"
        )

    def reply(self, text: str) -> HttpResponse:
        if not text:
            return HttpResponse(status=204)
        if text.lstrip().startswith(("{", "[")):
            # 46elks reads a JSON answer as an SMS action; say "reply" explicitly rather than
            # let a text that happens to start with a brace be taken for one.
            return HttpResponse(
                json.dumps({"reply": text}), content_type="application/json; charset=utf-8"
            )
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
