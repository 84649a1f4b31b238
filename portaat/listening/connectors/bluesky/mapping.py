"""From AT Protocol shapes to :class:`RemotePost`: one mapping for the AppView and Jetstream.

The AppView (``app.bsky.feed.defs#postView``) and Jetstream (the bare ``app.bsky.feed.post``
record of a commit) describe the same post, so both go through :func:`post_from_record` and a
post collected by polling and by streaming maps to the same fields.

Records are written by clients, not by Bluesky, so only what the lexicon requires (``text``,
``createdAt``, an ``at://`` URI) makes a post malformed when missing; optional structures of the
wrong shape (facets, langs, tags, embeds) are ignored rather than failing the whole page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from portaat.listening.connectors.base import ConnectorError, RemotePost, parse_time

POST_COLLECTION = "app.bsky.feed.post"
WEB = "https://bsky.app"
# the AppView builds these addresses for the blobs of a post; Jetstream only has the blob's CID
IMAGE_URL = "https://cdn.bsky.app/img/feed_fullsize/plain/{did}/{cid}@jpeg"
VIDEO_URL = "https://video.bsky.app/watch/{did}/{cid}/playlist.m3u8"

_TAG = "app.bsky.richtext.facet#tag"
_MENTION = "app.bsky.richtext.facet#mention"
_COUNTS = (
    ("replies", "replyCount"),
    ("reposts", "repostCount"),
    ("likes", "likeCount"),
    ("quotes", "quoteCount"),
)


def malformed(detail: str) -> ConnectorError:
    return ConnectorError("malformed", detail)


def post_uri(did: str, rkey: str) -> str:
    return f"at://{did}/{POST_COLLECTION}/{rkey}"


def split_post_uri(uri: Any) -> tuple[str, str]:
    """``at://<did>/app.bsky.feed.post/<rkey>`` → (did, rkey); anything else is malformed."""
    if isinstance(uri, str) and uri.startswith("at://did:"):
        parts = uri[5:].split("/")
        if len(parts) == 3 and parts[1] == POST_COLLECTION and parts[2]:
            return parts[0], parts[2]
    raise malformed(f"not a post URI: {uri!r}")


def web_url(did: str, rkey: str) -> str:
    return f"{WEB}/profile/{did}/post/{rkey}"


def _clean_tag(value: Any) -> str:
    return value.strip().lstrip("#").lower() if isinstance(value, str) else ""


def facets_of(record: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Tags (from ``#tag`` facets, then ``record.tags``) and mentioned DIDs, in order, unique."""
    tags: list[str] = []
    mentions: list[str] = []
    facets = record.get("facets")
    for facet in facets if isinstance(facets, list) else ():
        features = facet.get("features") if isinstance(facet, dict) else None
        for feature in features if isinstance(features, list) else ():
            if not isinstance(feature, dict):
                continue
            kind = feature.get("$type")
            if kind == _TAG:
                tags.append(_clean_tag(feature.get("tag")))
            elif kind == _MENTION and isinstance(feature.get("did"), str):
                mentions.append(feature["did"])
    extra = record.get("tags")
    for tag in extra if isinstance(extra, list) else ():
        tags.append(_clean_tag(tag))
    return list(dict.fromkeys(t for t in tags if t)), list(dict.fromkeys(mentions))


def _reply_refs(record: dict[str, Any]) -> tuple[str, str]:
    reply = record.get("reply")
    if not isinstance(reply, dict):
        return "", ""
    parent, root = reply.get("parent"), reply.get("root")
    parent_uri = parent.get("uri") if isinstance(parent, dict) else None
    root_uri = root.get("uri") if isinstance(root, dict) else None
    return (
        parent_uri if isinstance(parent_uri, str) else "",
        root_uri if isinstance(root_uri, str) else "",
    )


def langs_of(record: dict[str, Any]) -> list[str]:
    langs = record.get("langs")
    if not isinstance(langs, list):
        return []
    return [lang for lang in langs if isinstance(lang, str) and lang]


def post_from_record(
    did: str,
    rkey: str,
    record: Any,
    *,
    fallback_time: Callable[[], datetime],
    counts: dict[str, int] | None = None,
    media_urls: list[str] | None = None,
) -> RemotePost:
    """The post ``at://did/app.bsky.feed.post/rkey`` whose record is ``record``.

    ``createdAt`` is set by the client and can be garbage; ``fallback_time`` (the AppView's
    ``indexedAt``, Jetstream's ``time_us``) stands in for a missing or unreadable one.
    """
    if not isinstance(record, dict):
        raise malformed(f"record of {rkey} is not an object")
    text = record.get("text")
    if not isinstance(text, str):
        raise malformed(f"post {rkey} has no text")
    try:
        created_at = parse_time(record.get("createdAt"))
    except ConnectorError:
        created_at = fallback_time()
    tags, mentions = facets_of(record)
    reply_to, thread = _reply_refs(record)
    langs = langs_of(record)
    return RemotePost(
        remote_id=post_uri(did, rkey),
        created_at=created_at,
        text=text.strip(),
        url=web_url(did, rkey),
        author_handle=did,
        language=langs[0] if langs else "",
        reply_to=reply_to,
        thread=thread,
        counts=counts or {},
        media_urls=media_urls if media_urls is not None else media_of_record(did, record),
        tags=tags,
        mentions=mentions,
    )


def _blob_cid(blob: Any) -> str:
    """The CID of a blob: ``{"$type": "blob", "ref": {"$link": cid}}`` or the legacy ``cid``."""
    if not isinstance(blob, dict):
        return ""
    ref = blob.get("ref")
    cid = ref.get("$link") if isinstance(ref, dict) else blob.get("cid")
    return cid if isinstance(cid, str) else ""


def media_of_record(did: str, record: dict[str, Any]) -> list[str]:
    """Media addresses of a bare record (Jetstream), built as the AppView builds them."""
    return _record_embed_media(did, record.get("embed"))


def _record_embed_media(did: str, embed: Any) -> list[str]:
    if not isinstance(embed, dict):
        return []
    kind = embed.get("$type")
    urls: list[str] = []
    if kind == "app.bsky.embed.images":
        images = embed.get("images")
        for image in images if isinstance(images, list) else ():
            cid = _blob_cid(image.get("image")) if isinstance(image, dict) else ""
            if cid:
                urls.append(IMAGE_URL.format(did=did, cid=cid))
    elif kind == "app.bsky.embed.video":
        cid = _blob_cid(embed.get("video"))
        if cid:
            urls.append(VIDEO_URL.format(did=did, cid=cid))
    elif kind == "app.bsky.embed.external":
        external = embed.get("external")
        uri = external.get("uri") if isinstance(external, dict) else None
        if isinstance(uri, str) and uri:
            urls.append(uri)
    elif kind == "app.bsky.embed.recordWithMedia":
        urls.extend(_record_embed_media(did, embed.get("media")))
    return urls


def media_of_view(embed: Any) -> list[str]:
    """Media addresses of an AppView embed view: full-size images, video playlists, links.

    A quoted post (``app.bsky.embed.record#view``) is another post, not this one's media.
    """
    if not isinstance(embed, dict):
        return []
    kind = embed.get("$type")
    urls: list[str] = []
    if kind == "app.bsky.embed.images#view":
        images = embed.get("images")
        for image in images if isinstance(images, list) else ():
            url = image.get("fullsize") if isinstance(image, dict) else None
            if isinstance(url, str) and url:
                urls.append(url)
    elif kind == "app.bsky.embed.video#view":
        url = embed.get("playlist")
        if isinstance(url, str) and url:
            urls.append(url)
    elif kind == "app.bsky.embed.external#view":
        external = embed.get("external")
        uri = external.get("uri") if isinstance(external, dict) else None
        if isinstance(uri, str) and uri:
            urls.append(uri)
    elif kind == "app.bsky.embed.recordWithMedia#view":
        urls.extend(media_of_view(embed.get("media")))
    return urls


def post_from_view(view: Any) -> tuple[RemotePost, datetime]:
    """An ``app.bsky.feed.defs#postView`` → (post, the time the AppView sorts it by).

    The AppView sorts by the earlier of ``createdAt`` and ``indexedAt``, so a post whose client
    clock runs ahead does not stay on top; the walk in ``connector.py`` needs the same key.
    """
    if not isinstance(view, dict):
        raise malformed("a post view is not an object")
    did, rkey = split_post_uri(view.get("uri"))
    author = view.get("author")
    author_did = author.get("did") if isinstance(author, dict) else None
    if not isinstance(author_did, str) or not author_did.startswith("did:"):
        raise malformed(f"post {rkey} has no author DID")
    indexed_at = parse_time(view.get("indexedAt"))
    counts = {
        name: view[key]
        for name, key in _COUNTS
        if isinstance(view.get(key), int) and not isinstance(view.get(key), bool)
    }
    post = post_from_record(
        author_did,
        rkey,
        view.get("record"),
        fallback_time=lambda: indexed_at,
        counts=counts,
        media_urls=media_of_view(view.get("embed")),
    )
    if did != author_did:
        raise malformed(f"post {rkey}: URI and author disagree")
    return post, min(post.created_at, indexed_at)
