"""The SMS webhooks, mounted under ``/crowds/hooks/sms/``: ``<secret>/incoming/`` (set it as
the gateway number's incoming-SMS address) and ``<secret>/receipt/`` (sent with each message as
the delivery-report address)."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, path, reverse

from portaat.crowds.transports.sms_http import config, views

app_name = "sms_hooks"

urlpatterns = [
    path("<str:secret>/incoming/", views.incoming, name="incoming"),
    path("<str:secret>/receipt/", views.receipt, name="receipt"),
]


def _absolute(name: str) -> str:
    secret = config.webhook_secret()
    site = str(getattr(settings, "SITE_URL", "") or "").rstrip("/")
    if not secret or not site:
        return ""
    # mounted at the top level or inside the crowds URLs
    for namespace in ("sms_hooks", "crowds:sms_hooks"):
        try:
            return site + reverse(f"{namespace}:{name}", kwargs={"secret": secret})
        except NoReverseMatch:
            continue
    return ""  # the webhooks are not mounted: no receipts, rather than no SMS


def receipt_url() -> str:
    """The delivery-report address given to the gateway with each message ("" for none)."""
    return _absolute("receipt")


def incoming_url() -> str:
    """The address to configure as the gateway number's incoming-SMS webhook ("" for none)."""
    return _absolute("incoming")
