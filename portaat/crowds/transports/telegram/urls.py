"""The Telegram webhook, mounted at ``/crowds/hooks/telegram/``. Register it once with the Bot
API's ``setWebhook``: ``url`` = ``webhook_url()``, ``secret_token`` =
``PORTAAT_TELEGRAM_WEBHOOK_SECRET``, ``allowed_updates`` = ``["message", "callback_query"]``."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, path, reverse

from portaat.crowds.transports.telegram import config, views

app_name = "telegram_hooks"

urlpatterns = [
    path("", views.webhook, name="webhook"),
]


def webhook_url() -> str:
    """The webhook's absolute address for ``setWebhook`` ("" when it is not mounted, no
    secret is set, or the site's address is unknown)."""
    site = str(getattr(settings, "SITE_URL", "") or "").rstrip("/")
    if not config.webhook_secret() or not site:
        return ""
    # mounted at the top level or inside the crowd URLs
    for namespace in ("telegram_hooks", "crowds:telegram_hooks"):
        try:
            return site + reverse(f"{namespace}:webhook")
        except NoReverseMatch:
            continue
    return ""
