"""The SMS webhooks: replies from volunteers and delivery reports from the gateway.

The gateway is authenticated by the secret in the path (neither 46elks nor most gateways sign
their requests); a wrong secret looks exactly like a page that does not exist. A malformed
request gets 400 and changes nothing; a well-formed one goes to ``crowds.inbound``, which
processes each provider message id once, so a gateway retrying a webhook is harmless.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from portaat.crowds import inbound
from portaat.crowds.transports.sms_http import config, encoding, providers
from portaat.crowds.transports.sms_http.base import Malformed, Provider, read_payload


def _provider_for(secret: str) -> Provider | None:
    expected = config.webhook_secret()
    if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
        return None
    return providers.current()


def _reply_allowed(phone: str) -> bool:
    """At most ``PORTAAT_SMS_REPLIES_PER_HOUR`` (default 10) replies to one number an hour.

    Every incoming message has a new provider id, so deduplication cannot stop two automatic
    responders (ours and, say, an operator's) from answering each other for ever, each answer
    a paid SMS. The count is per cache (per process with the default local-memory cache),
    which bounds such a loop without a database write per message."""
    limit = int(config.number("PORTAAT_SMS_REPLIES_PER_HOUR", 10))
    digest = hmac.new(str(settings.SECRET_KEY).encode(), phone.encode(), hashlib.sha256)
    key = f"portaat:sms-replies:{digest.hexdigest()[:32]}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=3600)
        count = 1
    return count <= limit


def _not_found() -> HttpResponse:
    return HttpResponse(_("Not found."), status=404, content_type="text/plain; charset=utf-8")


@csrf_exempt
def incoming(request: HttpRequest, secret: str) -> HttpResponse:
    """An SMS to our number: an answer to a call, STOP, or something we explain back."""
    provider = _provider_for(secret)
    if provider is None:
        return _not_found()
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        sms = provider.incoming(read_payload(request, json_allowed=provider.json_webhooks))
    except Malformed as exc:
        return provider.malformed(str(exc))
    reply = inbound.handle_sms_reply(sms.phone, sms.text, provider_id=sms.provider_id)
    text = ""
    if reply.text and _reply_allowed(sms.phone):
        text = encoding.fit(reply.text, config.max_segments())
    return provider.reply(text)


@csrf_exempt
def receipt(request: HttpRequest, secret: str) -> HttpResponse:
    """A delivery report. Unknown message ids are acknowledged too: the gateway cannot do
    anything about them, and refusing would only make it try again for hours."""
    provider = _provider_for(secret)
    if provider is None:
        return _not_found()
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        report = provider.receipt(read_payload(request, json_allowed=provider.json_webhooks))
    except Malformed as exc:
        return provider.malformed(str(exc))
    if report.delivered is not None:
        inbound.record_receipt(
            "sms", report.provider_id, delivered=report.delivered, error=report.error
        )
    return provider.done()
