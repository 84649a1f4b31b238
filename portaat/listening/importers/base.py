"""The contract between a file importer and the rest of listening.

An importer turns one exported file (a Facebook download, a CSV or NDJSON file, a 4CAT data
set) into :class:`RemotePost` objects, the same objects platform connectors yield, so the
service layer stores imported and collected posts alike. Importers never touch the database
and never use the network: they read the file they are given.

Reading is streaming: :meth:`Importer.read` yields posts as it goes and keeps no list of them,
so a file of millions of lines is read in constant memory (the Facebook download, one JSON
document, is the documented exception). A bad record does not stop the file: the importer
yields a :class:`Problem` for it and carries on, so the caller can show one complete report of
what was imported and what was not. A file that cannot be read at all (missing, empty, binary,
the wrong format) yields a single Problem and nothing else. No exception escapes ``read`` for
anything a file can contain.

Problem codes (``code`` selects the translated message in the web/CLI layer; ``detail`` names
the column, field or key concerned, never its contents, as those may be personal data):

``unreadable``      the file cannot be opened or read
``empty``           the file has no records at all
``not_utf8``        bytes that are not UTF-8 (or not in the encoding asked for)
``not_json``        a line (NDJSON) or the document (Facebook) is not JSON
``not_csv``         not delimited text: binary data, HTML, a row the CSV reader cannot split
``unknown_format``  valid syntax, but not a shape this importer knows
``missing_column``  a mapped column is not in the header (stops the file)
``missing_field``   a record lacks a value it needs (an id, a time)
``bad_time``        a time that cannot be read
``bad_value``       a value of the wrong kind (a count that is not a whole number, …)
``too_long``        a line, field or file over the importer's limits

``line`` is 1-based: the physical line where the record starts in line-based files (CSV rows
count from the header, which is line 1), the line of the record inside the document for
Facebook's JSON. ``None`` when the problem concerns the whole file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import IO, Any, ClassVar, Protocol
from zoneinfo import ZoneInfo

from portaat.listening.connectors.base import RemotePost

__all__ = [
    "HELSINKI",
    "MAX_LINE",
    "Importer",
    "Problem",
    "RemotePost",
    "bounded_lines",
    "ndjson_objects",
    "parse_time",
    "sniff",
    "split_list",
    "stable_id",
    "tags_from",
]

#: Naive times in files people export by hand are local: Portaat is for Finnish cities.
HELSINKI = ZoneInfo("Europe/Helsinki")

#: The longest line (and CSV field) read. 4CAT keeps whole platform objects on one line and
#: those reach a few hundred kilobytes; anything near this limit is not a post.
MAX_LINE = 16 * 1024 * 1024


@dataclass
class Problem:
    """Why one record (or the whole file) was not imported. See the module docstring."""

    line: int | None
    code: str
    detail: str = ""


class Importer(Protocol):
    format: ClassVar[str]
    platform: ClassVar[str]  # the platform of posts whose record does not say

    def read(self, path: Path, options: dict[str, Any]) -> Iterator[RemotePost | Problem]:
        """Yield a post or a Problem per record; never raise for the file's contents."""
        ...


# -- helpers the importers share ---------------------------------------------------------------

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"


def sniff(path: Path, not_format: str) -> Problem | None:
    """A Problem when the file's first bytes already show it cannot be read, else ``None``.

    ``not_format`` is the code for "this is not our syntax" (``not_csv``, ``not_json``). The
    checks are on the first 4 KB only, so they are cheap whatever the size of the file.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as error:
        return Problem(None, "unreadable", type(error).__name__)
    if not head.strip():
        return Problem(None, "empty")
    if head.startswith(_UTF16_BOMS):  # Excel's "Unicode text" and some Windows tools
        return Problem(None, "not_utf8", "utf-16")
    if head.startswith(b"PK\x03\x04"):  # the Facebook download and 4CAT exports come zipped
        return Problem(None, not_format, "zip")
    if b"\x00" in head:
        return Problem(None, not_format, "binary")
    start = head.removeprefix(_UTF8_BOM).lstrip().lower()
    if start.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
        return Problem(None, not_format, "html")
    return None


def bounded_lines(handle: IO[bytes], limit: int | None = None) -> Iterator[bytes | None]:
    """The file's lines as bytes, or ``None`` for a line longer than ``limit`` (``MAX_LINE``).

    A too-long line is skipped in chunks rather than read whole, so one broken multi-gigabyte
    "line" cannot exhaust memory.
    """
    if limit is None:
        limit = MAX_LINE
    readline = handle.readline
    while True:
        line = readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while True:
                rest = readline(1024 * 1024)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
        else:
            yield line


def ndjson_objects(handle: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]] | Problem]:
    """(line, object) per line of an NDJSON file, or a Problem for a line that is not one.

    Blank lines are skipped. The first record stands for the file: when it is not a JSON
    object (a JSON document, a CSV file, Latin-1 text) the file is not NDJSON, and a single
    Problem ends it. Later lines are judged one by one.
    """
    loads = json.loads
    first = True
    number = 0
    for raw in bounded_lines(handle):
        number += 1
        if raw is None:
            yield Problem(number, "too_long")
            continue
        if number == 1 and raw.startswith(_UTF8_BOM):
            raw = raw[3:]
        try:
            text = raw.decode()
        except UnicodeDecodeError:
            yield Problem(number, "not_utf8")
            if first:
                return
            continue
        if not text or text.isspace():
            continue
        try:
            record = loads(text)
        except ValueError:
            yield Problem(number, "not_json")
            if first:
                return
            continue
        if record.__class__ is not dict:
            yield Problem(number, "not_json" if first else "unknown_format")
            if first:
                return
            continue
        first = False
        yield number, record


def parse_time(value: Any, naive: tzinfo = HELSINKI) -> datetime:
    """A time as files write it → aware UTC. Raises ``ValueError`` for anything else.

    Accepted: ISO 8601 (``2024-05-01T12:30:00Z``, with an offset, or naive), the same with a
    space (``2024-05-01 12:30[:00]``), a date alone (midnight), and Unix seconds as a number or
    a string of digits. Unix times beyond the year 5000 are taken as milliseconds, the other
    common spelling. Naive times are in ``naive`` (Helsinki unless the format says otherwise);
    in the autumn's repeated hour the first occurrence is meant.
    """
    if isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text[:1] == "-" else text
        if digits.replace(".", "", 1).isdigit():  # "1714566600", "1714566600.25"
            return _from_unix(float(text))
        parsed = datetime.fromisoformat(text)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        return _from_unix(value)
    else:
        raise ValueError("not a time")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=naive)
    return parsed.astimezone(UTC)


def _from_unix(seconds: float) -> datetime:
    if seconds > 100_000_000_000:  # later than the year 5138 in seconds: milliseconds
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError) as error:
        raise ValueError("time out of range") from error


def split_list(value: Any) -> list[str]:
    """A list cell: a JSON list, or items separated by commas and/or whitespace."""
    if isinstance(value, list):
        return [str(item).strip() for item in value if item is not None and str(item).strip()]
    if not isinstance(value, str) or not value:
        return []
    if value[0] == "[":
        try:
            loaded = json.loads(value)
        except ValueError:
            loaded = None
        if isinstance(loaded, list):
            return split_list(loaded)
    return value.replace(",", " ").split()


def tags_from(value: Any) -> list[str]:
    """Hashtags as stored: lower case, without '#', each once."""
    tags = (tag.lstrip("#").lower() for tag in split_list(value))
    return list(dict.fromkeys(tag for tag in tags if tag))


def stable_id(*parts: str) -> str:
    """A deterministic id for records whose platform gives none (32 hex digits)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]
