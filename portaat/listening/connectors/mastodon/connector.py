"""Mastodon: an account's statuses or a hashtag timeline, on any instance.

``spec.base_url`` is the instance asked (https://mastodon.social). ``account`` targets are
``@user@instance``, ``user@instance`` or ``user`` (resolved once with
``GET /api/v1/accounts/lookup``, cached in the cursor); ``hashtag`` targets are a tag with or
without '#'. An ``access_token`` credential is sent as a bearer token for instances that close
their public API; statuses it would reveal beyond ``public``/``unlisted`` are skipped.

Paging follows Mastodon's documented scheme: the ``Link`` header's ``rel="next"`` carries the
``max_id`` of the next older page and ``rel="prev"`` the ``min_id`` of the newest status served
(the status ids themselves are the fallback when a server sends no header).

Cursor — ``{"min_id": newest id taken, "backfill": {"max_id": …, "left": n}}``:

* A first run (no ``min_id``) does not walk the account's whole history: it reads the newest
  page and at most ``backfill_pages - 1`` older ones (option ``backfill_pages``, default 5).
  From its first page on, ``min_id`` marks the newest status, and ``backfill`` where the walk
  down stands, so a first run killed after any page resumes the walk where it stopped and the
  union is the same as an uninterrupted run's.
* Every later run pages *forward* with ``min_id``: Mastodon then returns the statuses
  immediately newer than it (oldest first in the walk, each page itself newest first), and the
  cursor after a page is that page's newest id. A run killed after any page therefore resumes
  just above what it committed, and the next run gets everything newer: nothing is skipped, at
  worst a page is read twice. A run stops at a short page (the present) or after ``max_pages``
  pages (default 10; the cursor keeps the place, the next run goes on from there).

Replies are mapped to the parent's ``uri`` (see ``statuses``): parents seen in the same run
cost nothing; others are looked up with ``GET /api/v1/statuses/:id``, at most ``reply_lookups``
per run (default 20); past that, or when the parent is gone, ``reply_to`` stays "".
Mastodon reports no deletions in these timelines, so ``Page.deleted`` is always empty.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import parse_qsl, quote, urlsplit

from portaat.listening.connectors.base import ConnectorError, Page, RemotePost, SourceSpec
from portaat.listening.connectors.http import Http
from portaat.listening.connectors.mastodon import statuses as st

_ACCOUNT = re.compile(r"@?(?P<user>[\w][\w.\-]*)(?:@(?P<domain>[A-Za-z0-9][A-Za-z0-9.\-]*))?")
_TAG = re.compile(r"#?(?P<tag>\w+)")
_LINK = re.compile(r"<(?P<url>[^>]*)>\s*;[^,]*?rel=\"?(?P<rel>[\w ]+)\"?")
MAX_LIMIT = 40  # Mastodon's maximum page size for statuses


def _invalid(detail: str) -> ConnectorError:
    return ConnectorError("invalid_source", detail)


def _option(spec: SourceSpec, name: str, default: int, low: int, high: int) -> int:
    value = spec.options.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _invalid(f"option {name} must be a whole number from {low} to {high}")
    return int(value)


@dataclass(frozen=True)
class Settings:
    """A checked spec: everything a run needs, validated once."""

    base: str
    host: str
    kind: str
    acct: str  # what accounts/lookup is asked for ("" for hashtags)
    tag: str
    limit: int
    backfill_pages: int
    max_pages: int
    reply_lookups: int
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_spec(cls, spec: SourceSpec) -> Settings:
        if spec.kind not in MastodonConnector.kinds:
            raise _invalid(f"unknown kind {spec.kind!r}")
        parts = urlsplit(spec.base_url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise _invalid("base_url must be the instance's http(s) address")
        if parts.query or parts.fragment:
            raise _invalid("base_url must not have a query or fragment")
        host = parts.hostname.lower()
        target = spec.target.strip()
        acct = tag = ""
        if spec.kind == "account":
            match = _ACCOUNT.fullmatch(target)
            if not match:
                raise _invalid("an account is @user@instance or user")
            domain = (match["domain"] or "").lower()
            acct = match["user"] if domain in ("", host) else f"{match['user']}@{domain}"
        else:
            match = _TAG.fullmatch(target)
            if not match:
                raise _invalid("a hashtag is letters, digits and '_' with or without '#'")
            tag = match["tag"].lower()
        token = spec.credentials.get("access_token", "")
        return cls(
            base=f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}",
            host=host,
            kind=spec.kind,
            acct=acct,
            tag=tag,
            limit=_option(spec, "limit", MAX_LIMIT, 1, MAX_LIMIT),
            backfill_pages=_option(spec, "backfill_pages", 5, 1, 100),
            max_pages=_option(spec, "max_pages", 10, 1, 100),
            reply_lookups=_option(spec, "reply_lookups", 20, 0, 200),
            headers={"Authorization": f"Bearer {token}"} if token else {},
        )


class ReplyResolver:
    """Instance-local status id → the status's ``uri``, within a per-run look-up budget."""

    def __init__(self, settings: Settings, http: Http) -> None:
        self.settings = settings
        self.http = http
        self.known: dict[str, str] = {}
        self.budget = settings.reply_lookups

    def __call__(self, local_id: str) -> str:
        if local_id in self.known:
            return self.known[local_id]
        if self.budget <= 0:
            return ""
        self.budget -= 1
        url = f"{self.settings.base}/api/v1/statuses/{quote(local_id, safe='')}"
        try:
            parent = self.http.get_json(url, headers=self.settings.headers)
        except ConnectorError as exc:
            if exc.code not in ("not_found", "unauthorised"):
                raise
            parent = None  # deleted, or not visible to us: no comparable id to give
        uri = ""
        if parent is not None:
            if not isinstance(parent, dict) or not isinstance(parent.get("uri"), str):
                raise ConnectorError("malformed", f"not a status: {url}")
            uri = parent["uri"]
        self.known[local_id] = uri
        return uri


@dataclass
class _Batch:
    statuses: list[dict[str, Any]]
    newest: str  # id to page forward from (rel="prev" min_id)
    oldest: str  # id to page backward from (rel="next" max_id)
    last: bool  # no older page
    full: bool  # as many statuses as asked for: a forward walk is not at the present yet


def _links(header: str | None) -> dict[str, dict[str, str]]:
    links: dict[str, dict[str, str]] = {}
    for match in _LINK.finditer(header or ""):
        query = dict(parse_qsl(urlsplit(match["url"]).query))
        for rel in match["rel"].split():
            links[rel] = query
    return links


class _Run:
    def __init__(self, settings: Settings, cursor: dict[str, Any], http: Http) -> None:
        self.s = settings
        self.http = http
        self.cursor: dict[str, Any] = {}
        if isinstance(cursor.get("min_id"), str) and cursor["min_id"]:
            self.cursor["min_id"] = cursor["min_id"]
            if isinstance(cursor.get("backfill"), dict):
                self.cursor["backfill"] = dict(cursor["backfill"])
        self.resolver = ReplyResolver(settings, http)
        self.endpoint = ""
        if settings.kind == "account" and cursor.get("acct") == settings.acct:
            account_id = cursor.get("account_id")
            if isinstance(account_id, str) and account_id:
                self._use_account(account_id)

    def _use_account(self, account_id: str) -> None:
        self.cursor.update(account_id=account_id, acct=self.s.acct)
        self.endpoint = f"{self.s.base}/api/v1/accounts/{quote(account_id, safe='')}/statuses"

    def _resolve_endpoint(self) -> None:
        if self.endpoint:
            return
        if self.s.kind == "hashtag":
            self.endpoint = f"{self.s.base}/api/v1/timelines/tag/{quote(self.s.tag, safe='')}"
            return
        account = self.http.get_json(
            f"{self.s.base}/api/v1/accounts/lookup", {"acct": self.s.acct}, self.s.headers
        )
        if not isinstance(account, dict) or not isinstance(account.get("id"), str):
            raise ConnectorError("malformed", "accounts/lookup did not return an Account")
        self._use_account(account["id"])

    def _fetch(self, **position: str) -> _Batch:
        params: dict[str, Any] = {"limit": self.s.limit, **position}
        if self.s.kind == "account":
            params["exclude_replies"] = "false"
        response = self.http.get(self.endpoint, params, self.s.headers)
        try:
            data = json.loads(response.content)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ConnectorError("malformed", f"not JSON: {self.endpoint}") from exc
        if not isinstance(data, list):
            raise ConnectorError("malformed", "a timeline is not a list of statuses")
        if not data:
            return _Batch([], "", "", last=True, full=False)
        links = _links(response.headers.get("link"))
        prev, older = links.get("prev", {}), links.get("next", {})
        return _Batch(
            statuses=data,
            newest=prev.get("min_id") or prev.get("since_id") or st.status_id(data[0]),
            oldest=older.get("max_id") or st.status_id(data[-1]),
            last=len(data) < self.s.limit or (bool(links) and "next" not in links),
            full=len(data) >= self.s.limit,
        )

    def _posts(self, batch: _Batch) -> list[RemotePost]:
        self.resolver.known.update(st.local_ids(batch.statuses))
        posts: dict[str, RemotePost] = {}
        for status in batch.statuses:
            if st.is_public(status) and st.is_public(st.original(status)):
                post = st.to_post(status, self.s.host, self.resolver)
                posts.setdefault(post.remote_id, post)
        return list(posts.values())

    def pages(self) -> Iterator[Page]:
        self._resolve_endpoint()
        incremental = "min_id" in self.cursor
        if not incremental:
            batch = self._fetch()
            if not batch.statuses:
                yield Page([], dict(self.cursor), more=False)
                return
            self.cursor["min_id"] = batch.newest
            if self.s.backfill_pages > 1 and not batch.last:
                self.cursor["backfill"] = {
                    "max_id": batch.oldest,
                    "left": self.s.backfill_pages - 1,
                }
            yield Page(self._posts(batch), dict(self.cursor), more="backfill" in self.cursor)
        yield from self._backfill(then_forward=incremental)
        if incremental:
            yield from self._forward()

    def _backfill(self, *, then_forward: bool) -> Iterator[Page]:
        while isinstance(walk := self.cursor.get("backfill"), dict):
            max_id, left = walk.get("max_id"), walk.get("left")
            if not isinstance(max_id, str) or not isinstance(left, int) or left < 1:
                del self.cursor["backfill"]  # a cursor we cannot read: give the walk up
                break
            batch = self._fetch(max_id=max_id)
            if batch.last or left == 1:
                del self.cursor["backfill"]
            else:
                self.cursor["backfill"] = {"max_id": batch.oldest, "left": left - 1}
            more = then_forward or "backfill" in self.cursor
            yield Page(self._posts(batch), dict(self.cursor), more=more)

    def _forward(self) -> Iterator[Page]:
        for number in range(1, self.s.max_pages + 1):
            batch = self._fetch(min_id=str(self.cursor["min_id"]))
            if batch.statuses:
                self.cursor["min_id"] = batch.newest
            more = batch.full and number < self.s.max_pages
            yield Page(self._posts(batch), dict(self.cursor), more=more)
            if not more:
                return


class MastodonConnector:
    platform: ClassVar[str] = "mastodon"
    kinds: ClassVar[tuple[str, ...]] = ("account", "hashtag")

    def check(self, spec: SourceSpec) -> None:
        Settings.from_spec(spec)

    def pages(self, spec: SourceSpec, cursor: dict[str, Any], http: Http) -> Iterator[Page]:
        return _Run(Settings.from_spec(spec), cursor, http).pages()
