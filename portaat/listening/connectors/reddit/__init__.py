"""Reddit submissions: a subreddit's newest posts, or a search sorted by new.

Kinds. ``subreddit``: target ``r/Helsinki``, ``/r/Helsinki/``, ``Helsinki`` or the subreddit's
address → ``/r/{sub}/new.json``. ``search``: target is the query; option ``subreddit`` restricts
it (``/r/{sub}/search.json?restrict_sr=1``), without it the search is site-wide
(``/search.json``); both ``sort=new&type=link``. ``raw_json=1`` makes Reddit send text and URLs
unescaped.

Cursor. Reddit listings are newest first and paged backwards with ``after`` (a fullname).
Fullnames of submissions are base-36 ids that grow with time across all of Reddit, so the
cursor keeps a high-water mark: ``seen``, the newest fullname of the last finished run. A run
walks from the newest post back until it meets a post at or below ``seen`` (or the listing
ends, or the page bound), then ``seen`` becomes the newest fullname the run met. While a run is
in progress the cursor also has ``after`` (where to continue), ``run_top`` (the newest fullname
met so far) and ``pages``; a resumed run continues at ``after`` and still stops at the old
``seen``, so a kill between pages loses nothing. Posts that arrive meanwhile are above
``run_top`` and are taken by the next run. ``before=<seen>`` is deliberately not used: Reddit
answers it with an empty listing once that post has been removed. For the same reason a resumed
``after`` that comes back empty restarts the walk from the newest post (duplicates are harmless).

Bounds. The first run (no ``seen``) reads at most ``backfill_pages`` pages (default 3, 100 posts
each); later runs at most ``max_pages`` (default 10 — Reddit stops listings near 1000 items). A
run that hits the bound accepts the gap and moves ``seen`` to its newest post.

Rate limits. Reddit reports ``x-ratelimit-remaining`` and ``x-ratelimit-reset``. When the
remaining budget is below one request, the run ends cleanly after the page just read: that page
is yielded with ``more=False`` and its in-progress cursor, so the next scheduled run resumes at
``after``. A 429 itself is ``rate_limited`` with Retry-After, from :class:`Http`.

Credentials. With ``client_id`` and ``client_secret`` (a Reddit "script"/"web" app) the
connector asks for an application-only token (``grant_type=client_credentials``, HTTP Basic) at
``<base_url>/api/v1/access_token`` and reads from ``https://oauth.reddit.com`` (from
``base_url`` itself when that is not reddit.com, e.g. a test server), without ``.json``. The
token lives for one run only and is never put in the cursor.

Mapping. ``remote_id`` is the fullname (``t3_…``, unique on Reddit); ``url`` is always
``https://www.reddit.com`` + permalink, whichever host served it; ``author_handle`` is the
username, "" for ``[deleted]``. ``text`` is the selftext as written (Markdown is plain text), or
the link for link posts. ``counts``: ``score``, ``replies`` (comments), ``crossposts`` and
``upvote_ratio`` as a whole percent (0.95 → 95). ``media_urls``: the image of an image post,
gallery images, the video's fallback MP4, else the preview image Reddit made for the link.
``tags``: the post flair (lower case; it is the subreddit's own topic label) then hashtags;
``mentions``: ``u/name``; ``groups``: the subreddit. Reddit states no language: "".

Deletions. A post whose selftext is ``[removed]`` / ``[deleted]`` or whose
``removed_by_category`` is set is reported in ``Page.deleted`` and not yielded; it is a real
placeholder Reddit lists, not a broken item. Any other child that is not a ``t3`` with a
fullname, ``created_utc``, ``permalink`` and ``title`` makes the whole page ``malformed``.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar
from urllib.parse import urlsplit

from portaat.listening.connectors.base import (
    ConnectorError,
    Page,
    RemotePost,
    SourceSpec,
    hashtags_in,
    parse_time,
)
from portaat.listening.connectors.http import Http

DEFAULT_BASE = "https://www.reddit.com"
OAUTH_BASE = "https://oauth.reddit.com"
WEB = "https://www.reddit.com"
REDDIT_HOSTS = frozenset({"reddit.com", "www.reddit.com", "old.reddit.com"})
PAGE_SIZE = 100
BACKFILL_DEFAULT = 3
MAX_PAGES_DEFAULT = 10
PAGES_LIMIT = 10
QUERY_LIMIT = 512
DELETED_TEXT = frozenset({"[removed]", "[deleted]"})
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")

_SUBREDDIT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_]{1,20}")
_FULLNAME = re.compile(r"t3_[0-9a-z]{1,13}")
_MENTION = re.compile(r"(?<![\w/])/?u/([A-Za-z0-9_-]{3,20})\b")


class RedditConnector:
    platform: ClassVar[str] = "reddit"
    kinds: ClassVar[tuple[str, ...]] = ("subreddit", "search")

    def check(self, spec: SourceSpec) -> None:
        if spec.kind not in self.kinds:
            raise ConnectorError("invalid_source", f"unknown kind: {spec.kind}")
        if spec.base_url:
            parts = urlsplit(spec.base_url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ConnectorError("invalid_source", "base_url must be an http(s) address")
        if spec.kind == "subreddit":
            _subreddit(spec.target)
        else:
            query = spec.target.strip()
            if not query or len(query) > QUERY_LIMIT:
                raise ConnectorError("invalid_source", f"the query must be 1–{QUERY_LIMIT} chars")
            if spec.options.get("subreddit"):
                _subreddit(str(spec.options["subreddit"]))
        given = [key for key in ("client_id", "client_secret") if spec.credentials.get(key)]
        if len(given) == 1:
            raise ConnectorError("invalid_source", "client_id and client_secret go together")
        _pages_option(spec, "backfill_pages")
        _pages_option(spec, "max_pages")

    def pages(self, spec: SourceSpec, cursor: dict[str, Any], http: Http) -> Iterator[Page]:
        self.check(spec)
        api, headers, suffix = _session(spec, http)
        path, params = _endpoint(spec, suffix)
        seen = _fullname_or_none(cursor.get("seen"))
        limit = _pages_option(spec, "max_pages" if seen else "backfill_pages")
        yield from _walk(api + path, params, headers, cursor, seen, limit, http)


def _walk(
    url: str,
    params: dict[str, Any],
    headers: dict[str, str],
    cursor: dict[str, Any],
    seen: str | None,
    limit: int,
    http: Http,
) -> Iterator[Page]:
    run_top = _fullname_or_none(cursor.get("run_top"))
    after = _fullname_or_none(cursor.get("after"))
    taken = cursor.get("pages", 0)
    taken = taken if isinstance(taken, int) and not isinstance(taken, bool) else 0
    resuming = after is not None
    while True:
        response = http.get(url, {**params, "after": after}, headers)
        children, next_after = _listing(response.content, url)
        if resuming and not children:
            resuming, after = False, None  # the post `after` named is gone: start at the top
            continue
        resuming = False
        posts: list[RemotePost] = []
        deleted: list[str] = []
        reached = False
        for data in children:
            name = data["name"]
            if run_top is None or _number(name) > _number(run_top):
                run_top = name
            if seen is not None and _number(name) <= _number(seen):
                reached = reached or not data.get("stickied")
                continue
            if _is_deleted(data):
                deleted.append(name)
            else:
                posts.append(_map(data))
        taken += 1
        if reached or next_after is None or not children or taken >= limit:
            newest = max(filter(None, (seen, run_top)), key=_number, default=None)
            yield Page(posts, {"seen": newest}, deleted, more=False)
            return
        state = {"seen": seen, "run_top": run_top, "after": next_after, "pages": taken}
        if _budget_spent(response.headers):
            yield Page(posts, state, deleted, more=False)  # resume at `after` next time
            return
        yield Page(posts, state, deleted, more=True)
        after = next_after


# -- requests ------------------------------------------------------------------------------------


def _session(spec: SourceSpec, http: Http) -> tuple[str, dict[str, str], str]:
    """API base, request headers and path suffix: public JSON, or OAuth with an app-only token."""
    base = (spec.base_url or DEFAULT_BASE).rstrip("/")
    client_id = spec.credentials.get("client_id", "")
    secret = spec.credentials.get("client_secret", "")
    if not (client_id and secret):
        return base, {}, ".json"
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode("ascii")
    response = http.post_form(
        f"{base}/api/v1/access_token",
        {"grant_type": "client_credentials"},
        {"Authorization": f"Basic {basic}"},
    )
    payload = _json(response.content, "access token")
    token = payload.get("access_token") if isinstance(payload, dict) else None
    if not isinstance(token, str) or not token:
        if isinstance(payload, dict) and "error" in payload:
            raise ConnectorError("unauthorised", f"token refused: {payload['error']}")
        raise ConnectorError("malformed", "no access_token in Reddit's token response")
    api = OAUTH_BASE if urlsplit(base).hostname in REDDIT_HOSTS else base
    return api, {"Authorization": f"bearer {token}"}, ""


def _endpoint(spec: SourceSpec, suffix: str) -> tuple[str, dict[str, Any]]:
    common = {"limit": PAGE_SIZE, "raw_json": 1}
    if spec.kind == "subreddit":
        return f"/r/{_subreddit(spec.target)}/new{suffix}", common
    params = {**common, "q": spec.target.strip(), "sort": "new", "type": "link"}
    if spec.options.get("subreddit"):
        sub = _subreddit(str(spec.options["subreddit"]))
        return f"/r/{sub}/search{suffix}", {**params, "restrict_sr": 1}
    return f"/search{suffix}", params


def _budget_spent(headers: Mapping[str, str]) -> bool:
    try:
        return float(headers.get("x-ratelimit-remaining", "")) < 1
    except ValueError:
        return False


# -- parsing -------------------------------------------------------------------------------------


def _json(body: bytes, what: str) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConnectorError("malformed", f"{what}: not JSON") from exc


def _listing(body: bytes, url: str) -> tuple[list[dict[str, Any]], str | None]:
    """The listing's submissions, each checked for the fields we rely on, and its ``after``."""
    payload = _json(body, url)
    data = payload.get("data") if isinstance(payload, dict) else None
    if (
        not isinstance(payload, dict)
        or payload.get("kind") != "Listing"
        or not isinstance(data, dict)
    ):
        raise ConnectorError("malformed", f"not a Reddit listing: {url}")
    children = data.get("children")
    after = data.get("after")
    if not isinstance(children, list) or not (after is None or isinstance(after, str)):
        raise ConnectorError("malformed", f"listing without children/after: {url}")
    posts = []
    for child in children:
        item = child.get("data") if isinstance(child, dict) else None
        if not isinstance(item, dict) or child.get("kind") != "t3" or not _valid(item):
            raise ConnectorError("malformed", f"a listing child is not a complete t3: {url}")
        posts.append(item)
    if after is not None and not _FULLNAME.fullmatch(after):
        raise ConnectorError("malformed", f"after is not a fullname: {after!r}")
    return posts, after or None


def _valid(item: dict[str, Any]) -> bool:
    created = item.get("created_utc")
    return (
        isinstance(item.get("name"), str)
        and bool(_FULLNAME.fullmatch(item["name"]))
        and isinstance(created, int | float)
        and not isinstance(created, bool)
        and isinstance(item.get("permalink"), str)
        and item["permalink"].startswith("/")
        and isinstance(item.get("title"), str)
    )


def _is_deleted(data: dict[str, Any]) -> bool:
    return data.get("selftext") in DELETED_TEXT or bool(data.get("removed_by_category"))


def _map(data: dict[str, Any]) -> RemotePost:
    selftext = _str(data.get("selftext"))
    link = _link(data)
    author = _str(data.get("author"))
    subreddit = _str(data.get("subreddit"))
    flair = _str(data.get("link_flair_text")).strip().lower()
    return RemotePost(
        remote_id=data["name"],
        created_at=parse_time(data["created_utc"]),
        text=selftext or ("" if data.get("is_self") else link),
        url=WEB + data["permalink"],
        author_handle="" if author == "[deleted]" else author,
        title=data["title"],
        counts=_counts(data),
        media_urls=_media(data, link),
        tags=_tags(flair, data["title"], selftext),
        mentions=list(dict.fromkeys(_MENTION.findall(selftext))),
        groups=[subreddit] if subreddit else [],
    )


def _tags(flair: str, title: str, selftext: str) -> list[str]:
    return list(dict.fromkeys([*([flair] if flair else []), *hashtags_in(f"{title}\n{selftext}")]))


def _link(data: dict[str, Any]) -> str:
    """Where a link post points; crossposts point at a relative Reddit permalink."""
    if data.get("is_self"):
        return ""
    link = _str(data.get("url_overridden_by_dest")) or _str(data.get("url"))
    return WEB + link if link.startswith("/") else link


def _counts(data: dict[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for key, field in (
        ("score", "score"),
        ("replies", "num_comments"),
        ("crossposts", "num_crossposts"),
    ):
        value = data.get(field)
        if isinstance(value, int) and not isinstance(value, bool):
            counts[key] = value
    ratio = data.get("upvote_ratio")
    if isinstance(ratio, int | float) and not isinstance(ratio, bool):
        counts["upvote_ratio"] = round(ratio * 100)
    return counts


def _media(data: dict[str, Any], link: str) -> list[str]:
    urls: list[str] = []
    metadata = data.get("media_metadata")
    gallery = data.get("gallery_data")
    if data.get("is_gallery") and isinstance(metadata, dict) and isinstance(gallery, dict):
        for item in gallery.get("items") or []:
            meta = metadata.get(item.get("media_id")) if isinstance(item, dict) else None
            if isinstance(meta, dict) and meta.get("status") == "valid":
                source = meta.get("s") or {}
                urls.append(_str(source.get("u") or source.get("gif") or source.get("mp4")))
    if link and (
        data.get("post_hint") == "image" or urlsplit(link).path.lower().endswith(IMAGE_SUFFIXES)
    ):
        urls.append(link)
    for key in ("secure_media", "media"):
        video = data.get(key)
        if isinstance(video, dict) and isinstance(video.get("reddit_video"), dict):
            urls.append(_str(video["reddit_video"].get("fallback_url")))
            break
    if not urls:
        preview = data.get("preview")
        for image in (preview.get("images") or []) if isinstance(preview, dict) else []:
            source = image.get("source") if isinstance(image, dict) else None
            if isinstance(source, dict):
                urls.append(_str(source.get("url")))
    return [url for url in dict.fromkeys(urls) if url.startswith(("https://", "http://"))]


# -- small helpers -------------------------------------------------------------------------------


def _subreddit(target: str) -> str:
    """'r/Helsinki', '/r/Helsinki/', 'Helsinki' or https://www.reddit.com/r/Helsinki/ → 'Helsinki'."""
    value = target.strip()
    if value.startswith(("https://", "http://")):
        value = urlsplit(value).path
    value = value.strip("/")
    if value.lower().startswith("r/"):
        value = value[2:]
    value = value.strip("/")
    if not _SUBREDDIT.fullmatch(value):
        raise ConnectorError("invalid_source", f"not a subreddit name: {target!r}")
    return value


def _pages_option(spec: SourceSpec, name: str) -> int:
    default = BACKFILL_DEFAULT if name == "backfill_pages" else MAX_PAGES_DEFAULT
    value: object = spec.options.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= PAGES_LIMIT:
        raise ConnectorError("invalid_source", f"{name} must be 1–{PAGES_LIMIT}")
    return value


def _number(fullname: str) -> int:
    return int(fullname[3:], 36)


def _fullname_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and _FULLNAME.fullmatch(value) else None


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""
