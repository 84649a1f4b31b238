"""Facebook's "Download your information" (JSON format): posts and comments in groups.

Files read (the folder they sit in has moved between export versions, the shapes have not):

``group_posts_and_comments.json`` / ``your_posts_in_groups.json``
    ``{"group_posts_v2": [{"timestamp", "title", "data": [{"post"}, {"update_timestamp"}],
    "attachments": [{"data": [{"media": {"uri", …}} | {"external_context": {"url"}}]}],
    "tags": [{"name"}]}]}``
``your_comments_in_groups.json``
    ``{"group_comments_v2": [{"timestamp", "title", "data": [{"comment": {"timestamp",
    "comment", "author", "group"}}], "attachments": […]}]}``

Anything else (a top-level list, other keys) is ``unknown_format``; one file may hold both
keys.

**Mojibake.** Facebook writes each UTF-8 *byte* as its own ``\\u00XX`` escape, so "ä" arrives
as "Ã¤". Every string is repaired by encoding it as Latin-1 and decoding the bytes as UTF-8,
but only where that round trip works: text that is already right (a file someone re-saved, an
emoji written properly) does not survive the round trip and is kept as it is.

**Groups and authors.** Comments name their author and group. Posts do not: the group and the
writer appear only in the localized ``title`` ("Matti posted in Kallio-Seura.", "Matti
kirjoitti ryhmään Kallio-Seura.", "Matti publicerade i Kallio-Seura."). The common English,
Finnish and Swedish forms are recognised; for any other wording ``groups`` and
``author_handle`` stay empty rather than guessed. Facebook gives display names, not stable
handles; they are what the service layer pseudonymises.

**Ids.** The export has no post id. ``remote_id`` is a hash of the record kind, its time, the
comment's author field, the text and the attached files' names (not their folders, which
differ between export versions, and not the localized title), so importing the same download
twice, or a later download in another language, adds nothing twice. An *edited* post has new
text and therefore becomes a new post; the old version stays. Posts have no URL: Facebook
gives none. ``media_urls`` holds the attachments as the export names them: the photo's path
inside the downloaded archive, or the shared link.

**Memory.** The download is one JSON document. It is held as text (about the file's size:
Facebook escapes everything to ASCII) and decoded one record at a time with the standard
library's scanner, so the parsed records never pile up; files over
``options["max_bytes"]`` (512 MiB by default) are refused as ``too_long``. This also gives
each record its line in the file for the report. A document that breaks off midway yields the
records before the break and one ``not_json`` Problem.

A record without a usable time is ``missing_field``/``bad_time``; one with neither text nor
attachment (a cover-photo change, say) is ``missing_field`` ``data``; the file is read on.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any, ClassVar

from portaat.listening.connectors.base import hashtags_in
from portaat.listening.importers.base import Problem, RemotePost, parse_time, sniff, stable_id

MAX_BYTES = 512 * 1024 * 1024
# the group files of a "Download your information" archive (their folder varies by version)
ARCHIVE_FILES = frozenset(
    {"group_posts_and_comments.json", "your_posts_in_groups.json", "your_comments_in_groups.json"}
)

# top-level key -> kind of record
_KINDS = {"group_posts_v2": "post", "group_comments_v2": "comment"}

# "<actor> <verb> <group>." in the languages Portaat serves. The actor is matched lazily, so a
# group whose name contains the verb's words still comes out whole.
_TITLES = tuple(
    re.compile(pattern)
    for pattern in (
        # English
        r"^(?P<actor>.+?) posted in (?P<group>.+?)\.?$",
        r"^(?P<actor>.+?) shared an? [\w ]+? (?:to|in) the group:? (?P<group>.+?)\.?$",
        r"^(?P<actor>.+?) (?:commented on|replied to) .+? in (?P<group>.+?)\.?$",
        # Finnish
        r"^(?P<actor>.+?) (?:kirjoitti|julkaisi|lisäsi julkaisun) ryhmään (?P<group>.+?)\.?$",
        r"^(?P<actor>.+?) (?:julkaisi|kirjoitti) ryhmässä (?P<group>.+?)\.?$",
        r"^(?P<actor>.+?) jakoi [\w ]+? ryhmään (?P<group>.+?)\.?$",
        # Swedish
        r"^(?P<actor>.+?) (?:publicerade|skrev|gjorde ett inlägg) i (?:gruppen )?(?P<group>.+?)\.?$",
        r"^(?P<actor>.+?) delade [\w ]+? (?:till|i) gruppen (?P<group>.+?)\.?$",
    )
)

_SPACE = re.compile(r"[ \t\n\r]*")


def _skip(text: str, index: int) -> int:
    """The index of the next non-blank character (JSON's whitespace only)."""
    match = _SPACE.match(text, index)
    return match.end() if match else index


def fix_mojibake(text: str) -> str:
    """Undo Facebook's bytes-as-Latin-1 escaping where the round trip proves it happened."""
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def parse_title(title: str) -> tuple[str, str]:
    """(actor, group) from a record title; ``("", "")`` for wording we do not know."""
    for pattern in _TITLES:
        match = pattern.match(title.strip())
        if match:
            return match["actor"].strip(), match["group"].strip()
    return "", ""


def _text(value: Any) -> str:
    return fix_mojibake(value) if isinstance(value, str) else ""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class FacebookImporter:
    format: ClassVar[str] = "facebook"
    platform: ClassVar[str] = "facebook"

    def read(self, path: Path, options: dict[str, Any]) -> Iterator[RemotePost | Problem]:
        limit = options.get("max_bytes", MAX_BYTES)
        if zipfile.is_zipfile(path):
            yield from self._archive(path, limit)
            return
        problem = sniff(path, "not_json")
        if problem is not None:
            yield problem
            return
        try:
            if path.stat().st_size > limit:
                yield Problem(None, "too_long")
                return
            data = path.read_bytes()
        except OSError as error:
            yield Problem(None, "unreadable", type(error).__name__)
            return
        try:
            text = data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as error:
            yield Problem(data.count(b"\n", 0, error.start) + 1, "not_utf8")
            return
        del data
        yield from self._text(text)

    def _text(self, text: str, member: str = "") -> Iterator[RemotePost | Problem]:
        try:
            for item in self._document(text):
                if isinstance(item, Problem) and member:
                    item.detail = f"{member}: {item.detail}" if item.detail else member
                yield item
        except json.JSONDecodeError as error:
            yield Problem(error.lineno, "not_json", member)

    def _archive(self, path: Path, limit: int) -> Iterator[RemotePost | Problem]:
        """The whole download as Facebook delivers it (a zip): its group posts and comments
        files are read, whatever folder the export version puts them in; nothing else."""
        try:
            with zipfile.ZipFile(path) as archive:
                members = [
                    info
                    for info in archive.infolist()
                    if info.filename.rsplit("/", 1)[-1] in ARCHIVE_FILES
                ]
                if not members:
                    yield Problem(None, "unknown_format", "zip")
                    return
                total = 0
                for info in members:
                    total += info.file_size  # declared sizes: a zip bomb is refused unread
                    if info.file_size > limit or total > limit:
                        yield Problem(None, "too_long", info.filename)
                        return
                for info in members:
                    data = archive.read(info)
                    try:
                        text = data.decode("utf-8").removeprefix("\ufeff")
                    except UnicodeDecodeError:
                        yield Problem(None, "not_utf8", info.filename)
                        continue
                    yield from self._text(text, info.filename)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
            # RuntimeError: an encrypted member; NotImplementedError: an unknown compression
            yield Problem(None, "unreadable", type(error).__name__)

    def _document(self, text: str) -> Generator[RemotePost | Problem, None, None]:
        """Walk the top-level object by hand and hand each record of a known list to
        :meth:`_record` as soon as it is decoded."""
        decoder = json.JSONDecoder()
        index = _skip(text, 0)
        if not text.startswith("{", index):
            document = json.loads(text)  # not JSON at all: JSONDecodeError with the line
            yield Problem(None, "unknown_format", type(document).__name__)
            return
        index += 1
        keys: list[str] = []
        found = False
        while True:
            index = _skip(text, index)
            if text.startswith("}", index) and not keys:
                index += 1
                break
            key, index = decoder.raw_decode(text, index)
            if not isinstance(key, str):
                raise json.JSONDecodeError("Expecting property name", text, index)
            index = self._expect(text, index, ":")
            keys.append(key)
            kind = _KINDS.get(key)
            if kind is not None and text.startswith("[", index):
                found = True
                index = yield from self._records(decoder, text, index, kind)
            else:
                _, index = decoder.raw_decode(text, index)
            index = _skip(text, index)
            if text.startswith(",", index):
                index += 1
                continue
            index = self._expect(text, index, "}")
            break
        if text[index:].strip():
            raise json.JSONDecodeError("Extra data", text, index)
        if not found:
            yield Problem(None, "unknown_format", ",".join(keys[:5]))

    @staticmethod
    def _expect(text: str, index: int, char: str) -> int:
        index = _skip(text, index)
        if not text.startswith(char, index):
            raise json.JSONDecodeError(f"Expecting '{char}'", text, index)
        return _skip(text, index + 1)

    def _records(
        self, decoder: json.JSONDecoder, text: str, index: int, kind: str
    ) -> Generator[RemotePost | Problem, None, int]:
        """Yield the records of the list starting at ``text[index] == "["``; return the index
        after its closing bracket."""
        index = _skip(text, index + 1)
        line, counted = 1, 0
        if text.startswith("]", index):
            return index + 1
        while True:
            line += text.count("\n", counted, index)
            counted = index
            item, index = decoder.raw_decode(text, index)
            yield self._record(kind, item, line)
            index = _skip(text, index)
            if text.startswith(",", index):
                index = _skip(text, index + 1)
                continue
            if text.startswith("]", index):
                return index + 1
            raise json.JSONDecodeError("Expecting ',' or ']'", text, index)

    def _record(self, kind: str, item: Any, line: int) -> RemotePost | Problem:
        if not isinstance(item, dict):
            return Problem(line, "bad_value", kind)
        timestamp = item.get("timestamp")
        texts: list[str] = []
        author = group = ""
        for entry in _list(item.get("data")):
            entry = _dict(entry)
            if kind == "post":
                post = _text(entry.get("post"))
                if post.strip():
                    texts.append(post.strip())
            elif "comment" in entry:
                comment = _dict(entry["comment"])
                body = _text(comment.get("comment"))
                if body.strip():
                    texts.append(body.strip())
                author = author or _text(comment.get("author")).strip()
                group = group or _text(comment.get("group")).strip()
                if timestamp is None:
                    timestamp = comment.get("timestamp")
        if timestamp is None:
            return Problem(line, "missing_field", "timestamp")
        try:
            if isinstance(timestamp, bool) or not isinstance(timestamp, int | float):
                raise ValueError("Facebook writes Unix seconds")
            if timestamp <= 0:
                raise ValueError("Facebook writes 0 for an unknown time")
            created_at = parse_time(timestamp)
        except ValueError:
            return Problem(line, "bad_time", "timestamp")
        media, names = self._attachments(item)
        text = "\n\n".join(texts)
        if not text and not media:
            return Problem(line, "missing_field", "data")
        actor, title_group = parse_title(_text(item.get("title")))
        remote_id = stable_id(kind, str(int(timestamp)), author, text, *names)
        mentions = [
            _text(tag.get("name") if isinstance(tag, dict) else tag).strip()
            for tag in _list(item.get("tags"))
        ]
        return RemotePost(
            remote_id=remote_id,
            created_at=created_at,
            text=text,
            author_handle=author or actor,
            media_urls=media,
            tags=hashtags_in(text),
            mentions=[name for name in mentions if name],
            groups=[group or title_group] if group or title_group else [],
        )

    @staticmethod
    def _attachments(item: dict[str, Any]) -> tuple[list[str], list[str]]:
        """(media as the export names them, their stable names for the id)."""
        media: list[str] = []
        names: list[str] = []
        for attachment in _list(item.get("attachments")):
            for entry in _list(_dict(attachment).get("data")):
                entry = _dict(entry)
                uri = _text(_dict(entry.get("media")).get("uri")).strip()
                if uri:
                    media.append(uri)
                    names.append(uri.rsplit("/", 1)[-1])
                url = _text(_dict(entry.get("external_context")).get("url")).strip()
                if url:
                    media.append(url)
                    names.append(url)
        return media, names
