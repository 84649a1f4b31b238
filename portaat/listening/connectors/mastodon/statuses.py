"""Mastodon Status entities → :class:`RemotePost`.

Identity: a status's ``id`` is only the id *this instance* gave it; the same toot seen through
two instances has two ids but one ``uri`` (its ActivityPub id). ``remote_id`` is therefore the
``uri``, so a post followed through two instances is stored once.

Boosts: a boost (``reblog`` set) is mapped to the boosted original — the followed account chose
to spread it, and what it says is the original's text. Its remote id is the original's ``uri``,
so an original boosted by several followed accounts, or also seen in a hashtag timeline, is one
post. Who boosted it is not kept (RemotePost has no field for it).

Replies: ``in_reply_to_id`` is an instance-local id, not comparable with remote ids. The
connector turns it into the parent's ``uri`` (see :class:`ReplyResolver`); when that is not
possible ``reply_to`` stays "" rather than holding a value that would never match a remote id.
Mastodon states no thread root, so ``thread`` stays "".

Handles: ``acct`` is ``user`` for accounts local to the instance and ``user@domain`` for remote
ones; local ones are completed with the host of the account's profile URL (the instance's web
domain), so the same person has one handle whichever instance reported them.

Items: statuses that are not ``public``/``unlisted`` (only visible with a user token) are
skipped on purpose. A status missing ``id``, ``uri``, ``created_at`` or its ``account`` is not
in Mastodon's format: the whole page is ``malformed``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from portaat.listening.connectors.base import ConnectorError, RemotePost, html_to_text, parse_time

PUBLIC = frozenset({"public", "unlisted"})


def _malformed(detail: str) -> ConnectorError:
    return ConnectorError("malformed", detail)


def _str(value: Any, name: str, *, required: bool = True) -> str:
    if isinstance(value, str) and (value or not required):
        return value
    if value is None and not required:
        return ""
    raise _malformed(f"status field {name!r} is {value!r}")


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def qualify(acct: str, profile_url: Any, fallback_host: str) -> str:
    """``user@domain`` for an ``acct``; local accounts get their profile URL's host."""
    acct = acct.lstrip("@")
    if "@" in acct:
        user, _, domain = acct.partition("@")
        return f"{user}@{domain.lower()}"
    host = urlsplit(profile_url).hostname if isinstance(profile_url, str) else None
    return f"{acct}@{(host or fallback_host).lower()}"


def status_id(status: Any) -> str:
    """The instance-local id, used only for paging and reply look-ups."""
    if not isinstance(status, dict):
        raise _malformed(f"a status is {type(status).__name__}, not an object")
    return _str(status.get("id"), "id")


def original(status: dict[str, Any]) -> dict[str, Any]:
    """The status whose content we keep: the boosted one for a boost."""
    boosted = status.get("reblog")
    if boosted is None:
        return status
    if not isinstance(boosted, dict):
        raise _malformed("'reblog' is not a status")
    return boosted


def is_public(status: dict[str, Any]) -> bool:
    return status.get("visibility", "public") in PUBLIC


def local_ids(statuses: list[dict[str, Any]]) -> dict[str, str]:
    """Instance-local id → uri for every status of a page, boosted originals included."""
    known: dict[str, str] = {}
    for status in statuses:
        for item in (status, original(status)):
            known[status_id(item)] = _str(item.get("uri"), "uri")
    return known


def to_post(
    status: dict[str, Any], fallback_host: str, reply_uri: Callable[[str], str]
) -> RemotePost:
    """Map one status (a boost maps to its original); ``reply_uri`` resolves a local id."""
    item = original(status)
    status_id(item)
    account = item.get("account")
    if not isinstance(account, dict):
        raise _malformed("status without an account")
    author = qualify(_str(account.get("acct"), "account.acct"), account.get("url"), fallback_host)
    uri = _str(item.get("uri"), "uri")
    parent = item.get("in_reply_to_id")
    return RemotePost(
        remote_id=uri,
        created_at=parse_time(item.get("created_at")),
        text=html_to_text(_str(item.get("content"), "content", required=False)),
        url=_str(item.get("url"), "url", required=False) or uri,
        author_handle=author,
        title=_str(item.get("spoiler_text"), "spoiler_text", required=False).strip(),
        language=_str(item.get("language"), "language", required=False),
        reply_to=reply_uri(parent) if isinstance(parent, str) and parent else "",
        counts={
            "replies": _count(item.get("replies_count")),
            "reposts": _count(item.get("reblogs_count")),
            "likes": _count(item.get("favourites_count")),
        },
        media_urls=_media(item.get("media_attachments")),
        tags=_tags(item.get("tags")),
        mentions=_mentions(item.get("mentions"), fallback_host),
    )


def _items(value: Any, name: str) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _malformed(f"status field {name!r} is not a list of objects")
    return value


def _media(value: Any) -> list[str]:
    urls = []
    for attachment in _items(value, "media_attachments"):
        # a remote attachment not yet fetched by this instance only has its remote_url
        url = attachment.get("url") or attachment.get("remote_url")
        if isinstance(url, str) and url:
            urls.append(url)
    return urls


def _tags(value: Any) -> list[str]:
    names = (tag.get("name") for tag in _items(value, "tags"))
    return list(dict.fromkeys(n.lower().lstrip("#") for n in names if isinstance(n, str) and n))


def _mentions(value: Any, fallback_host: str) -> list[str]:
    handles = []
    for mention in _items(value, "mentions"):
        acct = mention.get("acct")
        if isinstance(acct, str) and acct:
            handles.append(qualify(acct, mention.get("url"), fallback_host))
    return list(dict.fromkeys(handles))
