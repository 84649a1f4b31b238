"""Web Push (RFC 8030 with RFC 8291 encryption and RFC 8292 VAPID): notifications in the
volunteer's browser. ``views``/``urls`` take subscriptions; ``static/crowds/sw.js`` shows them."""

from portaat.crowds.transports.webpush.transport import WebPushTransport
from portaat.crowds.transports.webpush.vapid import vapid_public_key

__all__ = ["WebPushTransport", "vapid_public_key"]
