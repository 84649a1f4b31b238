"""The contract between a platform connector and the rest of listening.

A connector turns one platform's real responses into :class:`RemotePost` objects, page by page.
It never touches the database: the collection runner (``listening/collect.py``) commits each
page's posts and the page's cursor in one transaction, so a collection killed halfway resumes
from the last committed cursor.

Cursor rule, which every connector's tests check: committing ``page.cursor`` after a page and
calling :meth:`Connector.pages` again with it must yield every post of the run that was not yet
committed. Seeing a post twice is harmless (posts are unique per platform and remote id).

No Django imports here: connectors are plain Python, testable against a replay server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any, ClassVar, Protocol

from portaat.listening.connectors.http import Http


class ConnectorError(Exception):
    """A failure a source's health page shows. ``code`` selects the translated message.

    Codes: ``invalid_source`` (the source's settings cannot work on this platform),
    ``not_found``, ``unauthorised``, ``rate_limited``, ``unavailable`` (5xx, timeouts, network),
    ``malformed`` (the response is not in the platform's format), ``blocked_host`` (a private
    address), ``too_large``.
    """

    def __init__(self, code: str, detail: str = "", retry_after: float | None = None) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.retry_after = retry_after


@dataclass(frozen=True)
class SourceSpec:
    """What to follow, as the connector sees it (decrypted credentials included)."""

    platform: str
    kind: str  # one of the connector's ``kinds``
    target: str  # account, tag, group/forum category, feed URL, search query, subreddit …
    base_url: str = ""  # instance or forum address where the platform has many
    credentials: dict[str, str] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class RemotePost:
    """One post as the platform gave it, mapped to our fields. Times are aware (UTC)."""

    remote_id: str
    created_at: datetime
    text: str
    url: str = ""
    author_handle: str = ""  # the platform's stable handle or id; pseudonymised at capture
    title: str = ""
    language: str = ""  # as the platform states it ("fi"), "" when it does not
    reply_to: str = ""  # remote id of the post this answers
    thread: str = ""  # remote id of the thread's first post
    counts: dict[str, int] = field(default_factory=dict)  # replies, reposts, likes, score …
    media_urls: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # hashtags, lower case, without '#'
    mentions: list[str] = field(default_factory=list)  # handles mentioned in the post
    groups: list[str] = field(default_factory=list)  # groups/forums/subreddits it appeared in
    platform: str = ""  # only importers set it (4CAT data sets mix platforms); "" = the source's


@dataclass
class Page:
    """A batch the runner commits at once, with the cursor that is safe after it."""

    posts: list[RemotePost]
    cursor: dict[str, Any]
    deleted: list[str] = field(default_factory=list)  # remote ids deleted upstream
    more: bool = True  # False on the last page of this run


class Connector(Protocol):
    platform: ClassVar[str]
    kinds: ClassVar[tuple[str, ...]]

    def check(self, spec: SourceSpec) -> None:
        """Raise ``ConnectorError("invalid_source", …)`` if the spec cannot work."""

    def pages(self, spec: SourceSpec, cursor: dict[str, Any], http: Http) -> Iterator[Page]:
        """Yield pages from ``cursor`` on; the last page has ``more=False``."""
        ...


# -- helpers every connector needs -------------------------------------------------------------


class _TextExtractor(HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "pre", "tr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


_BLANKS = re.compile(r"[ \t\r\f\v]+")
_NEWLINES = re.compile(r"\n\s*\n+")


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, paragraphs kept."""
    if "<" not in html and "&" not in html:
        return html.strip()
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = _BLANKS.sub(" ", "".join(parser.parts))
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _NEWLINES.sub("\n\n", text).strip()


_HASHTAG = re.compile(r"(?<![\w#])#(\w{1,100})")


def hashtags_in(text: str) -> list[str]:
    """Hashtags in plain text, lower case, without '#', in order of first appearance."""
    return list(dict.fromkeys(tag.lower() for tag in _HASHTAG.findall(text)))


def parse_time(value: str | int | float | None) -> datetime:
    """ISO 8601 (with ``Z``) or a Unix time → aware UTC. Raises ``ConnectorError("malformed")``."""
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, tz=UTC)
        if isinstance(value, str) and value:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            return parsed.astimezone(UTC)
    except (ValueError, OverflowError, OSError):
        pass
    raise ConnectorError("malformed", f"not a time: {value!r}")
