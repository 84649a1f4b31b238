"""4CAT data sets: the CSV export and the NDJSON file of a data set.

4CAT (digitalmethodsinitiative/4cat) offers two downloads of a data set; the file itself tells
which one it is (a first record that starts with ``{`` is NDJSON):

**CSV** — the data set mapped to flat columns by the data source's ``map_item``. Columns vary
by data source; ``id``, ``body`` and a time (``unix_timestamp``, else ``timestamp``, which
4CAT writes as ``YYYY-MM-DD HH:MM:SS`` from the Unix time on servers that run on UTC — so,
unlike hand-made tables, naive 4CAT times are taken as UTC) are required, and a header without them is ``missing_column``. The rest is read where
present: ``thread_id``, ``reply_to``/``parent_id``, ``author_id`` (preferred: stable) or
``author``, ``subject`` (title), ``url``/``link``/``permalink``/``tiktok_url``, a language
column, ``hashtags`` (else the hashtags of the text), ``mentions``, media URL columns, the
group a post appeared in (``subreddit``, ``board``, ``chat``, …) and the usual count columns.
Column names are guessed across data sources, so a count column holding something other than
a whole number is ignored rather than held against the post.

**NDJSON** — each line the item as it was collected, with Zeeschuimer's envelope either kept
(``{"source_platform", "item_id", …, "data": {…}}``) or folded into ``"__import_meta"`` as
4CAT stores it. Items are recognised by shape, the way each data source's ``map_item`` reads
them: Telegram messages (4CAT's own collector: ``_chat``, ``_sender``, ``message``,
``date``), X/Twitter GraphQL tweets (``rest_id``, ``legacy``), TikTok items (``createTime``,
``desc``, ``stats``), Instagram posts in the item-list (``code``, ``taken_at``) and graph
(``shortcode``, ``taken_at_timestamp``) forms, and items already flattened to 4CAT's columns.
Other platforms' items are ``unknown_format`` with the platform in ``detail``, line by line.

**Platform and ids.** A post's platform is what its record says (a ``datasource``/
``platform``/``source_platform`` column, Zeeschuimer's ``source_platform``, or the item's
shape), else ``options["platform"]``, else the source's (``""``); names are normalised to
Portaat's keys (``x.com`` → ``twitter``, ``bsky`` → ``bluesky``). Ids are the platform's
own, except where the platform's ids are only unique within a chat: Telegram message ids are
prefixed with the chat (``helsinkiinfo/4512``), and so are its ``reply_to`` ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from portaat.listening.connectors.base import hashtags_in
from portaat.listening.importers.base import (
    Problem,
    RemotePost,
    ndjson_objects,
    parse_time,
    sniff,
    split_list,
    tags_from,
)
from portaat.listening.importers.tabular import csv_rows

_PLATFORM_COLUMNS = ("datasource", "platform", "source_platform")
_URL_COLUMNS = ("url", "link", "permalink", "post_url", "tiktok_url")
_LANGUAGE_COLUMNS = ("language", "lang", "language_guess")
_REPLY_COLUMNS = ("reply_to", "parent_id", "parent")
_MEDIA_COLUMNS = ("media_url", "image_url", "video_url", "images", "videos", "media_urls")
_MENTION_COLUMNS = ("mentions", "mentioned")
_GROUP_COLUMNS = ("subreddit", "board", "chat", "channel", "group")
_COUNT_COLUMNS = {
    "likes": ("like_count", "likes", "num_likes", "favorite_count"),
    "replies": ("reply_count", "num_replies", "comment_count", "num_comments", "comments"),
    "reposts": ("retweet_count", "repost_count", "shares", "num_shares", "forwards"),
    "quotes": ("quote_count",),
    "views": ("views", "view_count", "plays", "impression_count"),
    "score": ("score",),
}

# 4CAT data source names and Zeeschuimer's source_platform -> Portaat's platform keys
_PLATFORMS = {
    "x.com": "twitter",
    "twitter.com": "twitter",
    "twitter": "twitter",
    "x": "twitter",
    "bsky": "bluesky",
    "bsky.app": "bluesky",
    "fourchan": "4chan",
    "4chan.org": "4chan",
    "t.me": "telegram",
    "threads.net": "threads",
}


def platform_key(name: Any) -> str:
    """A 4CAT data source or Zeeschuimer platform name as Portaat's platform key."""
    if not isinstance(name, str) or not name.strip():
        return ""
    key = name.strip().lower().removeprefix("www.")
    for suffix in ("-search", "-import", "-urls"):
        key = key.removesuffix(suffix)
    if key in _PLATFORMS:
        return _PLATFORMS[key]
    for tld in (".com", ".net", ".org", ".app"):
        key = key.removesuffix(tld)
    return key


def _str(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def _first(row: dict[str, Any], columns: tuple[str, ...]) -> str:
    for column in columns:
        value = _str(row.get(column))
        if value:
            return value
    return ""


def _count(value: Any) -> int | None:
    """A whole, non-negative number, else ``None`` (4CAT writes -1 and "" for unknown)."""
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not number.is_integer() or number < 0:
        return None
    return int(number)


def from_flat(row: dict[str, Any], line: int, platform: str) -> RemotePost | Problem:
    """A row in 4CAT's mapped columns (a CSV row, a flattened item) → RemotePost."""
    remote_id = _str(row.get("id"))
    if not remote_id:
        return Problem(line, "missing_field", "id")
    column = "unix_timestamp" if _str(row.get("unix_timestamp")) else "timestamp"
    when = row.get(column)
    if when is None or when == "":
        return Problem(line, "missing_field", column)
    try:
        created_at = parse_time(when, naive=UTC)
    except ValueError:
        return Problem(line, "bad_time", column)
    text = row.get("body")
    text = text.strip() if isinstance(text, str) else _str(text)
    platform = platform_key(_first(row, _PLATFORM_COLUMNS)) or platform
    thread = _str(row.get("thread_id"))
    reply_to = _first(row, _REPLY_COLUMNS)
    url = _first(row, _URL_COLUMNS)
    groups = [group] if (group := _first(row, _GROUP_COLUMNS)) else []
    extra_media: list[str] = []
    if platform == "reddit":  # parents are fullnames ("t1_…", "t3_…"); "url" is the link
        if reply_to[:1] == "t" and reply_to[2:3] == "_":
            reply_to = reply_to[3:]
        if url and "reddit.com" not in url:
            extra_media.append(url)
            url = ""
        if not url and groups and thread:
            path = thread if thread == remote_id else f"{thread}/_/{remote_id}"
            url = f"https://www.reddit.com/r/{groups[0]}/comments/{path}/"
    if platform == "telegram":  # message ids count per chat; thread_id is the chat
        chat = _str(row.get("chat")) or thread
        thread = ""
        if chat:
            remote_id = f"{chat}/{remote_id}"
            reply_to = f"{chat}/{reply_to}" if reply_to else ""
            groups = [chat]
            if not url and not chat.isdigit():
                url = f"https://t.me/{remote_id}"
    hashtags = row.get("hashtags")
    counts: dict[str, int] = {}
    for name, columns in _COUNT_COLUMNS.items():
        for count_column in columns:
            count = _count(row.get(count_column))
            if count is not None:
                counts[name] = count
                break
    media: list[str] = []
    for media_column in _MEDIA_COLUMNS:
        media.extend(split_list(row.get(media_column)))
    media = list(dict.fromkeys(media + extra_media))
    mentions: list[str] = []
    for mention_column in _MENTION_COLUMNS:
        mentions.extend(split_list(row.get(mention_column)))
    return RemotePost(
        remote_id=remote_id,
        created_at=created_at,
        text=text,
        url=url,
        author_handle=_str(row.get("author_id")) or _str(row.get("author")),
        title=_str(row.get("subject")),
        language=_first(row, _LANGUAGE_COLUMNS),
        reply_to="" if reply_to in (remote_id, _str(row.get("id"))) else reply_to,
        thread="" if thread == remote_id else thread,
        counts=counts,
        media_urls=media,
        tags=tags_from(hashtags) if hashtags not in (None, "") else hashtags_in(text),
        mentions=list(dict.fromkeys(mention.lstrip("@") for mention in mentions)),
        groups=groups,
        platform=platform,
    )


# -- NDJSON: items as collected, flattened the way 4CAT's map_item does -----------------------


def _telegram(item: dict[str, Any]) -> dict[str, Any]:
    chat = item["_chat"]
    sender = item.get("_sender") or {}
    reply = item.get("reply_to")
    replies = item.get("replies")
    return {
        "id": item["id"],
        "chat": chat.get("username") or chat["id"],
        "author_id": sender.get("id", ""),
        "author": sender.get("username", ""),
        "body": item.get("message") or "",
        "reply_to": item.get("reply_to_msg_id")
        or (reply.get("reply_to_msg_id") if isinstance(reply, dict) else ""),
        "unix_timestamp": item["date"],
        "views": item.get("views"),
        "forwards": item.get("forwards"),
        "reply_count": replies.get("replies") if isinstance(replies, dict) else None,
    }


def _twitter(item: dict[str, Any]) -> dict[str, Any]:
    legacy = item["legacy"]
    user = item["core"]["user_results"]["result"]
    screen_name = (user.get("legacy") or {}).get("screen_name") or user["core"]["screen_name"]
    created = datetime.strptime(legacy["created_at"], "%a %b %d %H:%M:%S %z %Y")
    entities = legacy.get("entities") or {}
    media = (legacy.get("extended_entities") or entities).get("media") or []
    return {
        "id": item["rest_id"],
        "thread_id": legacy.get("conversation_id_str", ""),
        "reply_to": legacy.get("in_reply_to_status_id_str") or "",
        "unix_timestamp": int(created.timestamp()),
        "body": legacy["full_text"],
        "author": screen_name,
        "author_id": legacy.get("user_id_str", ""),
        "link": f"https://x.com/{screen_name}/status/{item['rest_id']}",
        "language": legacy.get("lang", ""),
        "retweet_count": legacy.get("retweet_count"),
        "reply_count": legacy.get("reply_count"),
        "like_count": legacy.get("favorite_count"),
        "quote_count": legacy.get("quote_count"),
        "impression_count": (item.get("views") or {}).get("count"),
        "hashtags": [tag["text"] for tag in entities.get("hashtags") or []],
        "mentions": [who["screen_name"] for who in entities.get("user_mentions") or []],
        "images": [medium["media_url_https"] for medium in media],
    }


def _tiktok(item: dict[str, Any]) -> dict[str, Any]:
    author = item["author"]
    if isinstance(author, dict):  # from an intercepted API response
        user, user_id = author["uniqueId"], author.get("id", "")
    else:  # from the page's embedded JSON
        user, user_id = author, ""
    stats = item.get("stats") or {}
    return {
        "id": item["id"],
        "body": item.get("desc") or "",
        "unix_timestamp": int(item["createTime"]),
        "author": user,
        "author_id": user_id,
        "tiktok_url": f"https://www.tiktok.com/@{user}/video/{item['id']}",
        "hashtags": [
            extra["hashtagName"]
            for extra in item.get("textExtra") or []
            if extra.get("hashtagName")
        ],
        "likes": stats.get("diggCount"),
        "comments": stats.get("commentCount"),
        "shares": stats.get("shareCount"),
        "plays": stats.get("playCount"),
    }


def _instagram(item: dict[str, Any]) -> dict[str, Any]:
    user = item.get("user") or item.get("owner") or {}
    if "code" in item:  # the "item list" form
        caption = item.get("caption")
        candidates = (item.get("image_versions2") or {}).get("candidates") or []
        shortcode, taken_at = item["code"], item["taken_at"]
        text = caption.get("text", "") if isinstance(caption, dict) else ""
        image = candidates[0]["url"] if candidates else ""
        likes, comments = item.get("like_count"), item.get("comment_count")
    else:  # the "graph" form
        edges = item["edge_media_to_caption"]["edges"]
        shortcode, taken_at = item["shortcode"], item["taken_at_timestamp"]
        text = edges[0]["node"]["text"] if edges else ""
        image = item.get("display_url", "")
        likes = (item.get("edge_media_preview_like") or {}).get("count")
        comments = (item.get("edge_media_preview_comment") or {}).get("count")
    return {
        "id": shortcode,
        "body": text,
        "unix_timestamp": taken_at,
        "author": user.get("username", ""),
        "url": f"https://www.instagram.com/p/{shortcode}/",
        "image_url": image,
        "num_likes": likes,
        "num_comments": comments,
    }


def _flat(item: dict[str, Any]) -> dict[str, Any]:
    return item


def _recognise(item: dict[str, Any]) -> tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]:
    """(platform, flattener) for an item's shape; ``KeyError`` for a shape we do not know."""
    if "_chat" in item and "date" in item and "message" in item:
        return "telegram", _telegram
    if "rest_id" in item and isinstance(item.get("legacy"), dict):
        return "twitter", _twitter
    if "createTime" in item and "desc" in item:
        return "tiktok", _tiktok
    if ("code" in item and "taken_at" in item) or "taken_at_timestamp" in item:
        return "instagram", _instagram
    if "id" in item and "body" in item and ("timestamp" in item or "unix_timestamp" in item):
        return "", _flat
    raise KeyError("shape")


# columns only one data source's map_item writes -> its platform
_CSV_SHAPES = (
    ("telegram", {"chat", "author_is_bot", "attachment_type"}),
    ("twitter", {"is_retweet", "quote_count", "retweet_count"}),
    ("tiktok", {"tiktok_url", "music_name"}),
    ("reddit", {"subreddit", "parent", "author_flair"}),
    ("instagram", {"num_media", "location_latlong"}),
)


def _csv_shape(header: set[str]) -> str:
    for platform, columns in _CSV_SHAPES:
        if columns <= header:
            return platform
    return ""


def _unwrap(record: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """(item, the platform its envelope names) for both ways Zeeschuimer data is stored."""
    meta = record.get("__import_meta")
    if isinstance(meta, dict):
        return record, platform_key(meta.get("source_platform"))
    data = record.get("data")
    if isinstance(data, dict) and ("source_platform" in record or "item_id" in record):
        return data, platform_key(record.get("source_platform"))
    return record, ""


class FourCatImporter:
    format: ClassVar[str] = "4cat"
    platform: ClassVar[str] = "4cat"

    def read(self, path: Path, options: dict[str, Any]) -> Iterator[RemotePost | Problem]:
        platform = platform_key(options.get("platform"))
        if self._is_ndjson(path):
            yield from self._ndjson(path, platform)
        else:
            yield from self._csv(path, options, platform)

    @staticmethod
    def _is_ndjson(path: Path) -> bool:
        try:
            with path.open("rb") as handle:
                head = handle.read(4096)
        except OSError:
            return False  # the CSV reader reports it
        return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{")

    def _csv(
        self, path: Path, options: dict[str, Any], platform: str
    ) -> Iterator[RemotePost | Problem]:
        header: list[str] | None = None
        for item in csv_rows(path, options):
            if isinstance(item, Problem):
                yield item
                continue
            line, cells = item
            if header is None:
                missing = [c for c in ("id", "body") if c not in cells]
                if "timestamp" not in cells and "unix_timestamp" not in cells:
                    missing.append("timestamp")
                if missing:
                    yield Problem(line, "missing_column", missing[0])
                    return
                header = cells
                platform = _csv_shape(set(cells)) or platform
                continue
            yield from_flat(dict(zip(header, cells, strict=True)), line, platform)

    def _ndjson(self, path: Path, platform: str) -> Iterator[RemotePost | Problem]:
        problem = sniff(path, "not_json")
        if problem is not None:
            yield problem
            return
        try:
            with path.open("rb") as handle:
                for entry in ndjson_objects(handle):
                    if isinstance(entry, Problem):
                        yield entry
                        continue
                    yield self._item(*entry, platform)
        except OSError as error:
            yield Problem(None, "unreadable", type(error).__name__)

    @staticmethod
    def _item(line: int, record: dict[str, Any], platform: str) -> RemotePost | Problem:
        item, named = _unwrap(record)
        try:
            shape, flatten = _recognise(item)
        except KeyError:
            return Problem(line, "unknown_format", named)
        try:
            row = flatten(item)
        except KeyError as error:
            return Problem(line, "missing_field", str(error.args[0]) if error.args else "")
        except (TypeError, ValueError, IndexError, AttributeError):
            return Problem(line, "bad_value", shape)
        return from_flat(row, line, named or shape or platform)
