"""Discourse post objects (``/posts.json``, ``/t/{id}.json``, ``/t/{id}/posts.json``) → RemotePost.

Identity: ``remote_id`` is ``<forum host[/subfolder]>/t/<topic id>/<post number>`` — unique
across forums, the same whichever endpoint or source kind delivered the post, and a working
Discourse permalink without the slug. Topic id and post number are what every post object
carries, so ``thread`` (post number 1) and ``reply_to`` (``reply_to_post_number``) are exact
remote ids without any extra request; a post id would need a look-up per reply. The cost: a
post a moderator moves to another topic is renumbered by Discourse and comes back as a new
post (the forum's own links to it change too).

Text is ``cooked`` (the rendered HTML every endpoint returns) through ``html_to_text``; ``raw``
(Markdown, only on some endpoints) is the fallback when ``cooked`` is empty. Every post carries
its topic's title, since a reply is read in its topic's context. Mentions and images come from
the cooked HTML (user mentions, uploaded images; emoji, avatars and favicons are not media).

Items: only regular posts (``post_type`` 1) are posts; moderator notes, "closed this topic"
small actions and whispers are skipped on purpose. Posts Discourse marks ``deleted_at``,
``user_deleted`` or ``hidden`` (flagged) go to ``Page.deleted``. A post object without its
``id``, ``topic_id``, ``post_number``, ``created_at``, ``username`` or ``cooked`` is not
Discourse's format: the page is ``malformed``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urljoin

from portaat.listening.connectors.base import ConnectorError, RemotePost, html_to_text, parse_time

REGULAR = 1  # Post.types[:regular]
LIKE = 2  # actions_summary id of a like
_NOT_MEDIA = frozenset({"emoji", "avatar", "site-icon", "onebox-avatar", "thumbnail"})
# an uploaded image's caption bar (file name, size) is page furniture, not what was written
_LIGHTBOX_META = re.compile(r'<div class="meta">.*?</div>', re.DOTALL)


def malformed(detail: str) -> ConnectorError:
    return ConnectorError("malformed", detail)


def need_dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise malformed(f"{what} is not an object")
    return value


def need_list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise malformed(f"{what} is not a list")
    return value


def need_int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise malformed(f"{what} is {value!r}, not a whole number")
    return int(value)


def need_str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise malformed(f"{what} is {value!r}, not text")
    return value


@dataclass(frozen=True)
class Forum:
    """One Discourse site: where it is and how its posts are named."""

    base: str  # https://host[/subfolder], no trailing slash
    prefix: str  # host[/subfolder]: the remote-id namespace

    def remote_id(self, topic_id: int, post_number: int) -> str:
        return f"{self.prefix}/t/{topic_id}/{post_number}"

    def post_url(self, slug: str, topic_id: int, post_number: int) -> str:
        slug_part = f"{quote(slug, safe='')}/" if slug else ""
        return f"{self.base}/t/{slug_part}{topic_id}/{post_number}"

    def absolute(self, src: str) -> str:
        return urljoin(self.base + "/", src)


@dataclass(frozen=True)
class Topic:
    """What a post needs from its topic; ``/posts.json`` gives the title on each post."""

    title: str = ""
    slug: str = ""
    tags: list[str] = field(default_factory=list)
    category_id: int | None = None


class _Cooked(HTMLParser):
    """User mentions and uploaded images in Discourse's cooked HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.mentions: list[str] = []
        self.images: list[str] = []
        self._lightbox = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        classes = set(attributes.get("class", "").split())
        if tag == "a" and "mention" in classes:
            href = attributes.get("href", "")
            if "/u/" in href:
                self.mentions.append(href.rsplit("/u/", 1)[1].strip("/"))
        elif tag == "a" and "lightbox" in classes:
            # the lightbox links the original upload; the img inside is a resized copy
            if attributes.get("href"):
                self.images.append(attributes["href"])
            self._lightbox += 1
        elif (
            tag == "img"
            and attributes.get("src")
            and not self._lightbox
            and not classes & _NOT_MEDIA
        ):
            self.images.append(attributes["src"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._lightbox:
            self._lightbox -= 1


def is_deleted(post: dict[str, Any]) -> bool:
    return (
        bool(post.get("deleted_at"))
        or post.get("user_deleted") is True
        or post.get("hidden") is True
    )


def is_regular(post: dict[str, Any]) -> bool:
    return bool(post.get("post_type", REGULAR) == REGULAR)


def created_at(post: dict[str, Any]) -> datetime:
    return parse_time(post.get("created_at"))


def remote_id_of(post: dict[str, Any], forum: Forum) -> str:
    post = need_dict(post, "a post")
    topic_id = need_int(post.get("topic_id"), "post.topic_id")
    return forum.remote_id(topic_id, need_int(post.get("post_number"), "post.post_number"))


def _likes(summary: Any) -> int:
    if not isinstance(summary, list):
        return 0
    for action in summary:
        if isinstance(action, dict) and action.get("id") == LIKE:
            count = action.get("count")
            return count if isinstance(count, int) else 0
    return 0


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def to_post(post: dict[str, Any], forum: Forum, topic: Topic, groups: list[str]) -> RemotePost:
    post = need_dict(post, "a post")
    need_int(post.get("id"), "post.id")
    topic_id = need_int(post.get("topic_id"), "post.topic_id")
    number = need_int(post.get("post_number"), "post.post_number")
    cooked = need_str(post.get("cooked"), "post.cooked")
    raw = post.get("raw")
    parser = _Cooked()
    parser.feed(cooked)
    parser.close()
    reply_number = post.get("reply_to_post_number")
    title = topic.title or post.get("topic_title") or ""
    slug = topic.slug or post.get("topic_slug") or ""
    language = post.get("locale")
    return RemotePost(
        remote_id=forum.remote_id(topic_id, number),
        created_at=created_at(post),
        text=html_to_text(_LIGHTBOX_META.sub("", cooked))
        or (raw.strip() if isinstance(raw, str) else ""),
        url=forum.post_url(slug if isinstance(slug, str) else "", topic_id, number),
        author_handle=need_str(post.get("username"), "post.username"),
        title=title.strip() if isinstance(title, str) else "",
        language=language if isinstance(language, str) else "",
        reply_to=(
            forum.remote_id(topic_id, reply_number)
            if isinstance(reply_number, int) and not isinstance(reply_number, bool)
            else ""
        ),
        thread=forum.remote_id(topic_id, 1),
        counts={
            "replies": _count(post.get("reply_count")),
            "likes": _likes(post.get("actions_summary")),
            "reads": _count(post.get("reads")),
        },
        media_urls=list(dict.fromkeys(forum.absolute(src) for src in parser.images)),
        tags=list(topic.tags),
        mentions=list(dict.fromkeys(parser.mentions)),
        groups=list(groups),
    )


def topic_tags(value: Any) -> list[str]:
    """Topic tags: names (older Discourse) or ``{"name": …}`` objects (newer)."""
    if not isinstance(value, list):
        return []
    names = (tag.get("name") if isinstance(tag, dict) else tag for tag in value)
    return list(dict.fromkeys(n.lower().lstrip("#") for n in names if isinstance(n, str) and n))


def category_slugs(data: Any) -> dict[int, str]:
    """Category id → slug from ``/categories.json?include_subcategories=true``."""
    listing = need_dict(need_dict(data, "categories.json").get("category_list"), "category_list")
    slugs: dict[int, str] = {}
    pending = list(need_list(listing.get("categories"), "category_list.categories"))
    while pending:
        category = need_dict(pending.pop(), "a category")
        slug = category.get("slug")
        if isinstance(category.get("id"), int) and isinstance(slug, str):
            slugs[category["id"]] = slug
        subcategories = category.get("subcategory_list")
        if isinstance(subcategories, list):
            pending.extend(subcategories)
    return slugs
