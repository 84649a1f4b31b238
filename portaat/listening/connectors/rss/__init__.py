"""RSS 2.0, RSS 1.0 (RDF) and Atom 1.0 feeds, parsed by ``feedparser`` from bytes we fetch.

feedparser never fetches anything itself: every request goes through :class:`Http`, so the
private-address guard, size limit and error codes are the same as for every platform.

Conditional GET. The feed's ETag and Last-Modified are kept in the cursor and sent back as
If-None-Match / If-Modified-Since; a 304 yields one empty page with the cursor unchanged. Only
the head of the feed (``target``) is fetched conditionally: older pages of a paged feed change
rarely and are fetched only while a run is still behind.

Paging (RFC 5005 paged feeds). A feed-level ``<link rel="next">`` (``atom:link`` in RSS) is
followed, at most ``max_pages`` documents per run (option, default 5), and only while the page
just read holds nothing known: paging stops at the first page that contains an entry seen in an
earlier run, or one dated at or before the newest entry of earlier runs. A next page that has
disappeared (404/410) ends the run instead of blocking the source forever.

Identity. ``remote_id`` is the entry's id (``guid``, ``atom:id``, ``rdf:about``) when that id is
globally unique by construction — an absolute http(s) URL, a ``urn:`` or a ``tag:`` URI — so the
same article seen through two feeds of one site (the main feed and a category feed) is one post.
An id that is only unique inside its feed (WordPress ``guid isPermaLink="false"`` numbers, bare
strings) is scoped as ``<feed URL>#<id>``. Without an id the link is used, and without a link a
hash of title and date, scoped to the feed. Ids longer than 255 characters are replaced by a
feed-scoped hash.

Cursor. ``etag``, ``last_modified``; ``seen`` — short hashes of the remote ids of the most recent
entries (at most 1000; feeds reorder entries, re-date them and may have no dates, so ids, not
times, decide what is new); ``newest`` — the newest entry time seen, used only to stop paging.
While a paged run is in progress the cursor also has ``next`` (the page to fetch), ``run`` (ids
yielded in this run) and ``pages``; a resumed run continues at ``next`` without re-reading the
head, and ``seen`` takes the run's ids only when the run ends, so a page that shifted meanwhile
cannot stop the run early.

Tags are the entry's categories (lower case), then hashtags in its text. Comment counts from
``slash:comments`` (WordPress) or ``thr:total`` (RFC 4685) become ``counts["replies"]``; media are
enclosures and ``media:content``. Entries without a date get the time they were first collected. An entry with no id, no link, no
title and no text is not an item (RSS 2.0 requires a title or a description): the page is
``malformed``. A body that is not a feed (a web page, JSON) or broken XML with no entries is
``malformed``; broken XML from which feedparser still recovered entries is accepted, as feed
readers do. Feeds have no deletions, threads or mentions: ``Page.deleted``, ``reply_to``,
``thread``, ``mentions`` and ``groups`` stay empty.
"""

from __future__ import annotations

import calendar
import hashlib
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

import feedparser

from portaat.listening.connectors.base import (
    ConnectorError,
    Page,
    RemotePost,
    SourceSpec,
    hashtags_in,
    html_to_text,
)
from portaat.listening.connectors.http import Http

MAX_PAGES_DEFAULT = 5
MAX_PAGES_LIMIT = 50
SEEN_LIMIT = 1000
REMOTE_ID_LIMIT = 255
FEED_TYPES = "application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, */*;q=0.5"


class FeedConnector:
    platform: ClassVar[str] = "rss"
    kinds: ClassVar[tuple[str, ...]] = ("feed",)

    def check(self, spec: SourceSpec) -> None:
        if spec.kind not in self.kinds:
            raise ConnectorError("invalid_source", f"unknown kind: {spec.kind}")
        parts = urlsplit(spec.target.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConnectorError("invalid_source", "the feed address must be an http(s) URL")
        _max_pages(spec)

    def pages(self, spec: SourceSpec, cursor: dict[str, Any], http: Http) -> Iterator[Page]:
        self.check(spec)
        run = _Run(spec.target.strip(), cursor, _max_pages(spec))
        yield from run.pages(http)


def _max_pages(spec: SourceSpec) -> int:
    value: object = spec.options.get("max_pages", MAX_PAGES_DEFAULT)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PAGES_LIMIT:
        raise ConnectorError("invalid_source", f"max_pages must be 1–{MAX_PAGES_LIMIT}")
    return value


class _Run:
    """One collection run; its state is exactly what goes into the cursor after each page."""

    def __init__(self, feed_url: str, cursor: dict[str, Any], max_pages: int) -> None:
        self.feed_url = feed_url
        self.max_pages = max_pages
        self.etag: str | None = _str_or_none(cursor.get("etag"))
        self.last_modified: str | None = _str_or_none(cursor.get("last_modified"))
        self.seen: list[str] = _str_list(cursor.get("seen"))
        self.newest: str | None = _str_or_none(cursor.get("newest"))
        self.next: str | None = _str_or_none(cursor.get("next"))
        self.run: list[str] = _str_list(cursor.get("run"))
        self.run_newest: str | None = _str_or_none(cursor.get("run_newest"))
        pages = cursor.get("pages", 0)
        self.taken: int = pages if isinstance(pages, int) and not isinstance(pages, bool) else 0
        self.cursor = dict(cursor)

    def pages(self, http: Http) -> Iterator[Page]:
        seen_before = set(self.seen)
        url, is_head = (self.next, False) if self.next else (self.feed_url, True)
        visited: set[str] = set()
        while True:
            visited.add(url)
            headers = {"Accept": FEED_TYPES}
            if is_head:
                if self.etag:
                    headers["If-None-Match"] = self.etag
                if self.last_modified:
                    headers["If-Modified-Since"] = self.last_modified
            try:
                response = http.get(url, headers=headers, ok_statuses=(200, 304))
            except ConnectorError as exc:
                if is_head or exc.code != "not_found":
                    raise
                yield Page([], self._finished(), more=False)  # an older page vanished
                return
            if response.status_code == 304:
                yield Page([], dict(self.cursor), more=False)
                return
            if is_head:
                self.etag = response.headers.get("etag")
                self.last_modified = response.headers.get("last-modified")
            parsed = _parse(response.content, str(response.url), response.headers)
            posts, times, reached = self._take(parsed, seen_before)
            self.taken += 1
            for moment in times:
                if self.run_newest is None or moment > self.run_newest:
                    self.run_newest = moment
            next_url = _next_link(parsed)
            if (
                reached
                or next_url is None
                or next_url in visited
                or self.taken >= self.max_pages
                or not parsed.entries
            ):
                yield Page(posts, self._finished(), more=False)
                return
            self.next = next_url
            yield Page(posts, self._in_progress(), more=True)
            url, is_head = next_url, False

    def _take(self, parsed: Any, seen_before: set[str]) -> tuple[list[RemotePost], list[str], bool]:
        """The page's new posts, the times of all its entries, and whether it reached known ground."""
        known = seen_before | set(self.run)
        language = _language(parsed.feed.get("language"))
        posts: list[RemotePost] = []
        times: list[str] = []
        reached = False
        for entry in parsed.entries:
            post, dated = _map_entry(entry, self.feed_url, language)
            key = _key(post.remote_id)
            if dated:
                stamp = post.created_at.isoformat()
                times.append(stamp)
                if self.newest is not None and stamp <= self.newest:
                    reached = True
            if key in seen_before:
                reached = True
            if key in known:
                continue
            known.add(key)
            self.run.append(key)
            posts.append(post)
        return posts, times, reached

    def _in_progress(self) -> dict[str, Any]:
        self.cursor = {
            "etag": self.etag,
            "last_modified": self.last_modified,
            "seen": self.seen,
            "newest": self.newest,
            "next": self.next,
            "run": self.run,
            "run_newest": self.run_newest,
            "pages": self.taken,
        }
        return dict(self.cursor)

    def _finished(self) -> dict[str, Any]:
        newest = max(filter(None, (self.newest, self.run_newest)), default=None)
        merged = list(dict.fromkeys([*self.run, *self.seen]))[:SEEN_LIMIT]
        self.cursor = {
            "etag": self.etag,
            "last_modified": self.last_modified,
            "seen": merged,
            "newest": newest,
        }
        return dict(self.cursor)


# -- parsing -----------------------------------------------------------------------------------


def _parse(body: bytes, url: str, headers: Any) -> Any:
    # content-location makes feedparser resolve relative links against the page's address
    response_headers = {"content-location": url}
    if headers.get("content-type"):
        response_headers["content-type"] = headers["content-type"]
    parsed = feedparser.parse(body, response_headers=response_headers)
    if not parsed.get("version") and not parsed.entries:
        raise ConnectorError("malformed", f"not an RSS or Atom feed: {url}")
    if parsed.get("bozo") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        if not isinstance(problem, feedparser.CharacterEncodingOverride):
            raise ConnectorError("malformed", f"broken feed XML: {url}: {problem}")
    return parsed


def _next_link(parsed: Any) -> str | None:
    for link in parsed.feed.get("links", []):
        if link.get("rel") == "next" and isinstance(link.get("href"), str):
            parts = urlsplit(link["href"])
            if parts.scheme in ("http", "https") and parts.hostname:
                return str(link["href"])
    return None


def _map_entry(entry: Any, feed_url: str, feed_language: str) -> tuple[RemotePost, bool]:
    """The entry as a post, and whether the feed dated it (undated entries get 'now')."""
    title = _text(entry.get("title_detail"), entry.get("title"))
    body = _body(entry)
    link = entry.get("link") if isinstance(entry.get("link"), str) else ""
    moment = _time(entry.get("published_parsed")) or _time(entry.get("updated_parsed"))
    guid = entry.get("id") if isinstance(entry.get("id"), str) else ""
    if not (guid.strip() or link or title or body):
        raise ConnectorError(
            "malformed", f"a feed entry with no id, link, title or text: {feed_url}"
        )
    remote_id = _remote_id(guid.strip(), link, title, entry, feed_url)
    author = entry.get("author_detail", {}).get("name") or entry.get("author") or ""
    language = _language(_detail_language(entry)) or feed_language
    return (
        RemotePost(
            remote_id=remote_id,
            created_at=moment or datetime.now(UTC),
            text=body,
            url=link,
            author_handle=author.strip() if isinstance(author, str) else "",
            title=title,
            language=language,
            counts=_counts(entry),
            media_urls=_media(entry),
            tags=list(dict.fromkeys([*_tags(entry), *hashtags_in(body)])),
        ),
        moment is not None,
    )


def _remote_id(guid: str, link: str, title: str, entry: Any, feed_url: str) -> str:
    if guid and _globally_unique(guid):
        remote_id = guid
    elif guid:
        remote_id = f"{feed_url}#{guid}"
    elif link:
        remote_id = link
    else:
        stamp = entry.get("published") or entry.get("updated") or ""
        remote_id = f"{feed_url}#sha256:{_digest(title + '|' + stamp)[:32]}"
    if len(remote_id) > REMOTE_ID_LIMIT:
        remote_id = f"{feed_url[:160]}#sha256:{_digest(remote_id)[:32]}"
    return remote_id


def _globally_unique(guid: str) -> bool:
    lowered = guid.lower()
    if lowered.startswith(("urn:", "tag:")):
        return True
    parts = urlsplit(guid)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _body(entry: Any) -> str:
    for content in entry.get("content", []) or []:
        value = content.get("value")
        if isinstance(value, str) and value.strip():
            return _text(content, value)
    return _text(entry.get("summary_detail"), entry.get("summary"))


def _text(detail: Any, value: Any) -> str:
    if not isinstance(value, str):
        return ""
    kind = detail.get("type", "") if isinstance(detail, dict) else ""
    if kind == "text/plain":
        return value.strip()
    return html_to_text(value)


def _detail_language(entry: Any) -> str | None:
    for content in entry.get("content", []) or []:
        if content.get("language"):
            return str(content["language"])
    for key in ("summary_detail", "title_detail"):
        detail = entry.get(key)
        if isinstance(detail, dict) and detail.get("language"):
            return str(detail["language"])
    return None


def _language(value: Any) -> str:
    """'fi-FI' → 'fi': the primary subtag, as other platforms state it."""
    if not isinstance(value, str) or not value.strip():
        return ""
    return value.strip().replace("_", "-").split("-")[0].lower()


def _time(value: Any) -> datetime | None:
    # feedparser normalises every date it understands to a UTC struct_time
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _counts(entry: Any) -> dict[str, int]:
    # slash:comments (WordPress) and thr:total (RFC 4685, Blogger) count the comments
    for key in ("slash_comments", "thr_total"):
        value = entry.get(key)
        if isinstance(value, str) and value.strip().isdigit():
            return {"replies": int(value.strip())}
    return {}


def _media(entry: Any) -> list[str]:
    urls: list[str] = []
    for enclosure in entry.get("enclosures", []) or []:
        urls.append(enclosure.get("href") or enclosure.get("url") or "")
    for media in entry.get("media_content", []) or []:
        urls.append(media.get("url") or "")
    return [url for url in dict.fromkeys(urls) if url.startswith(("http://", "https://"))]


def _tags(entry: Any) -> list[str]:
    terms = []
    for tag in entry.get("tags", []) or []:
        term = tag.get("term") or tag.get("label") or ""
        if isinstance(term, str) and term.strip().lstrip("#"):
            terms.append(term.strip().lstrip("#").lower())
    return list(dict.fromkeys(terms))


def _key(remote_id: str) -> str:
    return _digest(remote_id)[:16]


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _str_list(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
