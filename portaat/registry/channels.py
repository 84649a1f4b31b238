"""Recognise the platform of a channel from its URL (pure functions, no Django models)."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

# Mastodon runs on thousands of instances; its URL shapes are what identify it.
_MASTODON_ACCOUNT = re.compile(r"^/@([A-Za-z0-9_]{1,30})(?:@([\w.-]+))?/?$")
_MASTODON_TAG = re.compile(r"^/tags/([^/]+)/?$")


def recognise(url: str) -> tuple[str, str]:
    """Return ``(platform, handle)`` for a channel URL.

    ``platform`` is one of ``registry.models.Platform``'s values; ``handle`` is the account,
    group or tag where the URL names one. Unknown hosts are websites, and URLs that end in a
    feed-like path are RSS.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = unquote(parts.path or "/")
    segments = [s for s in path.split("/") if s]
    if host in ("facebook.com", "fb.com", "web.facebook.com"):
        if segments[:1] == ["groups"] and len(segments) > 1:
            return "facebook_group", segments[1]
        return "facebook_page", segments[0] if segments else ""
    if host in ("bsky.app", "bsky.social") or host.endswith(".bsky.social"):
        if segments[:1] == ["profile"] and len(segments) > 1:
            return "bluesky", segments[1]
        return "bluesky", host if host.endswith(".bsky.social") else ""
    if host in ("t.me", "telegram.me"):
        return "telegram", segments[-1] if segments else ""
    if host == "instagram.com":
        return "instagram", segments[0] if segments else ""
    if match := _MASTODON_ACCOUNT.match(path):
        # /@name@other.instance is a remote account shown on this instance
        return "mastodon_account", f"@{match.group(1)}@{match.group(2) or host}"
    if match := _MASTODON_TAG.match(path):
        return "mastodon_hashtag", f"#{match.group(1)}"
    lowered = path.lower()
    if lowered.endswith((".rss", ".xml", ".atom", "/feed", "/feed/", "/rss", "/rss/", "/atom")):
        return "rss", ""
    return "website", ""
