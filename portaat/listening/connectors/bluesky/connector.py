"""Bluesky through the AppView's XRPC: an account's author feed, or a post search.

Kinds
    ``account``: ``target`` is a handle (``kallioseura.bsky.social``, a leading ``@`` is
    dropped) or a DID → ``app.bsky.feed.getAuthorFeed``. ``search``: ``target`` is a query →
    ``app.bsky.feed.searchPosts`` with ``sort=latest`` (``options["lang"]`` narrows it to one
    language). Requests go to the public AppView ``https://public.api.bsky.app`` unless
    ``spec.base_url`` names another.

Authentication
    Some AppViews (the public one among them, at times) answer ``searchPosts`` only for signed-in
    users. ``spec.credentials = {"identifier": handle or e-mail, "app_password": …}`` (an *app
    password*, never the account password) opens a session with
    ``com.atproto.server.createSession`` on the account's PDS (``options["pds"]``, default the
    ``https://bsky.social`` entryway) and every request then goes to that PDS with
    ``Authorization: Bearer <accessJwt>``; the PDS proxies ``app.bsky.*`` to its AppView, so
    ``base_url`` is not used then. Sessions are kept in this process until their token expires
    (``createSession`` is rate limited per account); an expired token is replaced once per run.

Reposts
    An author feed also lists what the account reposted (``reason``
    ``app.bsky.feed.defs#reasonRepost``). Those posts are someone else's words, so they are not
    collected unless ``options["include_reposts"]`` is true; either way they move the walk below
    on (they are part of the feed's order). Pinned posts are not requested.

Deleted posts
    The AppView leaves deleted posts out without saying so; deletions arrive through Jetstream
    (``jetstream.py``), which reports them.

The run cursor
    Both endpoints list the newest posts first and page with an opaque cursor that only goes
    further into the past, so "what is new since last time" is not a cursor the API gives. A
    *complete* cursor is ``{"hwm": <ISO time>, "edge": [ids]}``: the sort time of the newest
    item the last complete run saw (high-water mark) and the ids of the items it saw within
    ``OVERLAP`` below it. The sort time is the AppView's: the earlier of ``createdAt`` and
    ``indexedAt`` (a repost's ``indexedAt``). A run walks from the newest item down and ends
    with the first page whose last item is older than ``hwm - OVERLAP``; items in that window
    are skipped when in ``edge`` and collected otherwise, because the AppView indexes some posts
    minutes late with an earlier time. So a run with nothing new yields nothing, and a late post
    is not lost. Items older than the window are skipped, not taken as the end: a post whose
    client dated it in the future can sort on top while it is old by its ``indexedAt``, and must
    not hide the new posts after it.

    While a run is in progress each page's cursor also carries ``"run": {"next": <API cursor>,
    "top": <newest time of this run>, "edge": [...], "pages": n}``; resuming from it continues
    the same walk with the same stopping point (the cursor rule), and the last page commits the
    complete cursor with the run's newest time as the new ``hwm``.

    The first run has no ``hwm``: it reads at most ``options["backfill_pages"]`` pages (default
    5), then starts counting from its newest post. Later runs are bounded by
    ``options["max_pages"]`` (default 20) so a runaway search cannot walk forever; a run cut
    there leaves a gap below what it read (search cursors cannot always reach far back anyway).
    Posts whose ``createdAt`` lies far in the past (imports from other services) sort below the
    high-water mark on Bluesky itself and are not collected by later runs.

Malformed responses
    A page that is not JSON, not the lexicon's shape, or holds a post without its required
    fields (``uri``, author DID, ``record.text``, ``indexedAt``) is ``malformed`` as a whole:
    the AppView validates records before listing them, so no legitimate item lacks them.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlsplit

from portaat.listening.connectors.base import (
    ConnectorError,
    Page,
    RemotePost,
    SourceSpec,
    parse_time,
)
from portaat.listening.connectors.bluesky.mapping import malformed, post_from_view
from portaat.listening.connectors.http import Http

PUBLIC_APPVIEW = "https://public.api.bsky.app"
DEFAULT_PDS = "https://bsky.social"
OVERLAP = timedelta(minutes=10)
EDGE_MAX = 300
PAGE_LIMIT = 100
_REPOST = "app.bsky.feed.defs#reasonRepost"

_DID = re.compile(r"^did:[a-z]+:[a-zA-Z0-9._:%-]{1,2000}$")
_HANDLE = re.compile(
    r"^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$"
)
_LANG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$")

# (pds, identifier) → (accessJwt, when it expires as time.time())
_SESSIONS: dict[tuple[str, str], tuple[str, float]] = {}


def actor_of(target: str) -> str:
    """The actor a target names: a DID as written, a handle without '@' in lower case."""
    value = target.strip()
    if value.startswith("did:"):
        return value
    return value.removeprefix("@").lower()


def _int_option(spec: SourceSpec, name: str, default: int, low: int, high: int) -> int:
    value = spec.options.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConnectorError("invalid_source", f"option {name} must be {low}…{high}")
    return int(value)


def _is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class BlueskyConnector:
    platform: ClassVar[str] = "bluesky"
    kinds: ClassVar[tuple[str, ...]] = ("account", "search")

    def check(self, spec: SourceSpec) -> None:
        if spec.platform != self.platform or spec.kind not in self.kinds:
            raise ConnectorError("invalid_source", f"not a Bluesky source: {spec.kind}")
        if spec.base_url and not _is_http_url(spec.base_url):
            raise ConnectorError("invalid_source", "base_url is not an http(s) address")
        target = spec.target.strip()
        if spec.kind == "account":
            actor = actor_of(target)
            if not (_DID.match(actor) or (len(actor) <= 253 and _HANDLE.match(actor))):
                raise ConnectorError("invalid_source", f"not a handle or DID: {target!r}")
        elif not target or len(target) > 500:
            raise ConnectorError("invalid_source", "a search needs a query")
        credentials = spec.credentials or {}
        if any(credentials.get(k) for k in ("identifier", "app_password")) and not all(
            isinstance(credentials.get(k), str) and credentials.get(k)
            for k in ("identifier", "app_password")
        ):
            raise ConnectorError("invalid_source", "credentials need identifier and app_password")
        _int_option(spec, "backfill_pages", 5, 1, 100)
        _int_option(spec, "max_pages", 20, 1, 1000)
        _int_option(spec, "limit", PAGE_LIMIT, 1, PAGE_LIMIT)
        lang = spec.options.get("lang")
        if lang is not None and not (isinstance(lang, str) and _LANG.match(lang)):
            raise ConnectorError("invalid_source", "option lang must be a language code")
        pds = spec.options.get("pds", DEFAULT_PDS)
        if not (isinstance(pds, str) and _is_http_url(pds)):
            raise ConnectorError("invalid_source", "option pds is not an http(s) address")
        if not isinstance(spec.options.get("include_reposts", False), bool):
            raise ConnectorError("invalid_source", "option include_reposts must be true or false")

    def pages(self, spec: SourceSpec, cursor: dict[str, Any], http: Http) -> Iterator[Page]:
        self.check(spec)
        client = _Xrpc(spec, http)
        if spec.kind == "account":
            nsid = "app.bsky.feed.getAuthorFeed"
            params: dict[str, Any] = {"actor": actor_of(spec.target)}
        else:
            nsid = "app.bsky.feed.searchPosts"
            params = {"q": spec.target.strip(), "sort": "latest", "lang": spec.options.get("lang")}
        params["limit"] = _int_option(spec, "limit", PAGE_LIMIT, 1, PAGE_LIMIT)
        include_reposts = bool(spec.options.get("include_reposts", False))

        hwm = _time_or_none(cursor.get("hwm"))
        old_edge = _strings(cursor.get("edge"))
        edge = set(old_edge)
        run: dict[str, Any] = cursor["run"] if isinstance(cursor.get("run"), dict) else {}
        api_cursor = run.get("next") if isinstance(run.get("next"), str) else None
        top = _time_or_none(run.get("top"))
        new_edge = _strings(run.get("edge"))
        pages_done = int(run["pages"]) if isinstance(run.get("pages"), int) else 0
        if hwm is None:
            budget = _int_option(spec, "backfill_pages", 5, 1, 100)
        else:
            budget = _int_option(spec, "max_pages", 20, 1, 1000)
        stop_below = hwm - OVERLAP if hwm is not None else None

        while True:
            body = client.query(nsid, {**params, "cursor": api_cursor})
            items, next_cursor = _items(nsid, body)
            pages_done += 1
            posts: list[RemotePost] = []
            last_key = None
            for item_id, key, post in (_entry(nsid, item, include_reposts) for item in items):
                if key is None:
                    continue  # a pinned post: outside the feed's order
                last_key = key
                if stop_below is not None and key < stop_below:
                    continue  # seen by an earlier run, or out of order (see the docstring)
                if top is None or key > top:
                    top = key
                if top - key <= OVERLAP and len(new_edge) < EDGE_MAX:
                    new_edge.append(item_id)
                if item_id not in edge and post is not None:
                    posts.append(post)
            # newest first: once a page ends below the window, every later page is older still
            reached = stop_below is not None and last_key is not None and last_key < stop_below
            if reached or not next_cursor or not items or pages_done >= budget:
                newest = max((t for t in (top, hwm) if t is not None), default=None)
                final: dict[str, Any] = {}
                if newest is not None:
                    merged = list(dict.fromkeys([*new_edge, *old_edge]))
                    final = {"hwm": newest.isoformat(), "edge": merged[:EDGE_MAX]}
                yield Page(posts=posts, cursor=final, more=False)
                return
            state: dict[str, Any] = {
                "next": next_cursor,
                "top": top.isoformat() if top is not None else None,
                "edge": new_edge,
                "pages": pages_done,
            }
            in_progress: dict[str, Any] = {"run": state}
            if hwm is not None:
                in_progress.update(hwm=hwm.isoformat(), edge=old_edge)
            yield Page(posts=posts, cursor=in_progress, more=True)
            api_cursor = next_cursor


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _time_or_none(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_time(value)
    except ConnectorError:
        return None


def _items(nsid: str, body: Any) -> tuple[list[Any], str | None]:
    field = "feed" if nsid.endswith("getAuthorFeed") else "posts"
    if not isinstance(body, dict) or not isinstance(body.get(field), list):
        raise malformed(f"{nsid}: no {field} list")
    next_cursor = body.get("cursor")
    if next_cursor is not None and not isinstance(next_cursor, str):
        raise malformed(f"{nsid}: cursor is not a string")
    return body[field], next_cursor or None


def _entry(nsid: str, item: Any, include_reposts: bool) -> tuple[str, datetime | None, Any]:
    """(id for the edge, sort time or None to ignore, post or None) of one listed item."""
    if nsid.endswith("searchPosts"):
        post, key = post_from_view(item)
        return post.remote_id, key, post
    if not isinstance(item, dict):
        raise malformed("a feed item is not an object")
    post, key = post_from_view(item.get("post"))
    reason = item.get("reason")
    if reason is None:
        return post.remote_id, key, post
    kind = reason.get("$type") if isinstance(reason, dict) else None
    if kind != _REPOST:
        return post.remote_id, None, None  # reasonPin, or a reason this code does not know
    by = reason.get("by")
    by_did = by.get("did") if isinstance(by, dict) else None
    if not isinstance(by_did, str):
        raise malformed(f"repost of {post.remote_id} without its author")
    repost_id = reason.get("uri")
    if not isinstance(repost_id, str):
        repost_id = f"repost:{by_did}:{post.remote_id}"
    return repost_id, parse_time(reason.get("indexedAt")), post if include_reposts else None


# -- XRPC with optional authentication -----------------------------------------------------------

# XRPC error names in a 400 answer → our codes; others are ``invalid_source`` (a bad parameter)
_XRPC_ERRORS = {
    "BadQueryString": "invalid_source",
    "AccountTakedown": "not_found",
    "AccountDeactivated": "not_found",
    "NotFound": "not_found",
    "BlockedActor": "unauthorised",
    "BlockedByActor": "unauthorised",
    "AuthMissing": "unauthorised",
    "AuthenticationRequired": "unauthorised",
}
_TOKEN_ERRORS = frozenset({"ExpiredToken", "InvalidToken"})


class _Xrpc:
    def __init__(self, spec: SourceSpec, http: Http) -> None:
        self.http = http
        credentials = spec.credentials or {}
        self.identifier = credentials.get("identifier", "")
        self.password = credentials.get("app_password", "")
        self.pds = str(spec.options.get("pds", DEFAULT_PDS)).rstrip("/")
        self.base = (spec.base_url or PUBLIC_APPVIEW).rstrip("/")

    def query(self, nsid: str, params: dict[str, Any]) -> Any:
        if not self.identifier:
            return self._get(f"{self.base}/xrpc/{nsid}", params, {})
        token, fresh = self._token()
        headers = {"Authorization": f"Bearer {token}"}
        try:
            return self._get(f"{self.pds}/xrpc/{nsid}", params, headers)
        except ConnectorError as exc:
            if exc.code != "unauthorised" or fresh:
                raise
        # a cached token the server no longer takes (expired early, revoked): one new session
        _SESSIONS.pop((self.pds, self.identifier), None)
        token, _fresh = self._token()
        headers = {"Authorization": f"Bearer {token}"}
        return self._get(f"{self.pds}/xrpc/{nsid}", params, headers)

    def _get(self, url: str, params: dict[str, Any], headers: dict[str, str]) -> Any:
        response = self.http.get(url, params, headers, ok_statuses=(200, 400))
        try:
            body = json.loads(response.content)
        except (ValueError, UnicodeDecodeError) as exc:
            raise malformed(f"not JSON: {url}") from exc
        if response.status_code == 400:
            raise _xrpc_error(body)
        return body

    def _token(self) -> tuple[str, bool]:
        """(accessJwt, whether it was created just now)."""
        key = (self.pds, self.identifier)
        cached = _SESSIONS.get(key)
        if cached and cached[1] > time.time() + 60:
            return cached[0], False
        body = _post_json(
            self.http,
            f"{self.pds}/xrpc/com.atproto.server.createSession",
            {"identifier": self.identifier, "password": self.password},
        )
        token = body.get("accessJwt") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise malformed("createSession: no accessJwt")
        _SESSIONS[key] = (token, _expiry(token))
        return token, True


def _xrpc_error(body: Any) -> ConnectorError:
    name = body.get("error") if isinstance(body, dict) else None
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(name, str):
        return malformed("HTTP 400 without an XRPC error")
    if name in _TOKEN_ERRORS:
        return ConnectorError("unauthorised", name)
    code = _XRPC_ERRORS.get(name, "invalid_source")
    if name == "InvalidRequest" and isinstance(message, str) and "not found" in message.lower():
        code = "not_found"  # "Profile not found"
    return ConnectorError(code, f"{name}: {message}" if message else name)


def _expiry(token: str) -> float:
    """The ``exp`` of a JWT (not verified: it only decides when to ask for a new one)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(claims["exp"])
    except (IndexError, ValueError, KeyError, TypeError):
        return time.time() + 15 * 60


def _post_json(http: Http, url: str, body: dict[str, Any]) -> Any:
    """POST a JSON body (``createSession`` is an XRPC procedure) and decode the JSON answer;
    an XRPC error (HTTP 400 with an error name) becomes its ConnectorError code."""
    response = http.post_json(url, body, ok_statuses=(200, 400))
    try:
        answer = json.loads(response.content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise malformed(f"not JSON: {url}") from exc
    if response.status_code == 400:
        raise _xrpc_error(answer)
    return answer


def resolve_did(actor: str, http: Http, base_url: str = PUBLIC_APPVIEW) -> str:
    """The DID of a handle (Jetstream follows DIDs; handles change): a DID is returned as is."""
    actor = actor_of(actor)
    if actor.startswith("did:"):
        return actor
    url = f"{base_url.rstrip('/')}/xrpc/com.atproto.identity.resolveHandle"
    body = _Xrpc(SourceSpec("bluesky", "account", actor, base_url=base_url), http).query(
        "com.atproto.identity.resolveHandle", {"handle": actor}
    )
    did = body.get("did") if isinstance(body, dict) else None
    if not isinstance(did, str) or not _DID.match(did):
        raise malformed(f"no DID for {actor}: {url}")
    return did
