"""Generic CSV and NDJSON importers: any table of posts, with a column mapping.

``options["mapping"]`` maps our fields to the file's columns (NDJSON: keys, with dots for
nested objects, ``"user.name"``); fields left out are read from columns of the same name:

``id``, ``text``, ``created``  required. ``created`` is ISO 8601, ``YYYY-MM-DD HH:MM[:SS]`` or
                               Unix seconds; naive times are Europe/Helsinki (files exported by
                               hand carry local time), times with an offset or ``Z`` are kept.
``url``, ``author``, ``title``, ``language``, ``reply_to``, ``thread``
                               plain strings; ``author`` becomes ``author_handle``.
``platform``                   the post's platform when the file mixes several; empty = the
                               source's.
``tags``                       a JSON list or items separated by commas/whitespace; '#' and
                               case are dropped.
``media``                      URLs separated by commas/whitespace, or a JSON list.
``count_<name>``               whole numbers into ``counts[name]`` (``count_likes`` → likes);
                               without a mapping, every ``count_*`` column of the header (CSV)
                               or of the first record (NDJSON) is read.

CSV: UTF-8 with or without a byte order mark; ``options["encoding"]`` may say ``cp1252`` or
``latin-1`` for old Excel files, nothing else. The delimiter (``,`` ``;`` tab) is detected on
the first kilobyte unless ``options["delimiter"]`` gives it. A header row is required; a mapped
column missing from it is one ``missing_column`` Problem and the end of the file. A row with
more or fewer cells than the header is ``not_csv`` (a stray delimiter shifts every value after
it, so nothing in it can be trusted). Blank lines are skipped.

NDJSON: one JSON object per line, blank lines skipped. The first record stands for the file:
when it is not a JSON object the file is not NDJSON (a JSON document, a CSV file, …), and when
it lacks a required key altogether the mapping is wrong (``missing_column``); either way one
Problem and nothing more. Later records are judged one by one.

Per record: an empty id or time is ``missing_field``, an unreadable time ``bad_time``, a count
that is not a whole number ``bad_value``; the record is skipped and the file read on. Text may
be empty (a post that is only a picture). Line numbers are physical lines: a CSV record with
quoted newlines is reported at the line it starts on.

This is the path of the million-post benchmark, hence the plain loops, the precomputed column
positions and no per-line regular expressions.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, ClassVar

from portaat.listening.importers.base import (
    HELSINKI,
    MAX_LINE,
    Problem,
    RemotePost,
    bounded_lines,
    ndjson_objects,
    parse_time,
    sniff,
    split_list,
    tags_from,
)

FIELDS = (
    "id",
    "text",
    "created",
    "url",
    "author",
    "title",
    "language",
    "reply_to",
    "thread",
    "platform",
    "tags",
    "media",
)
REQUIRED = ("id", "text", "created")

# our field -> RemotePost attribute, for the plain string fields
_STRINGS = {
    "url": "url",
    "author": "author_handle",
    "title": "title",
    "language": "language",
    "reply_to": "reply_to",
    "thread": "thread",
}

_ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-8-sig": "utf-8",
    "cp1252": "cp1252",
    "windows-1252": "cp1252",
    "latin-1": "latin-1",
    "latin1": "latin-1",
    "iso-8859-1": "latin-1",
}

# Fields of 4CAT and platform exports reach hundreds of kilobytes; the default limit is 128 KB.
# The limit is process-wide: raising it (never lowering it) is harmless to other CSV readers.
if csv.field_size_limit() < MAX_LINE:
    csv.field_size_limit(MAX_LINE)


def check_mapping(mapping: Any) -> Problem | None:
    """A Problem when ``options["mapping"]`` is not a mapping of our fields to column names."""
    if not isinstance(mapping, dict):
        return Problem(None, "bad_value", "mapping")
    for ours, theirs in mapping.items():
        known = ours in FIELDS or (isinstance(ours, str) and ours[:6] == "count_" and ours[6:])
        if not known or not isinstance(theirs, str) or not theirs:
            return Problem(None, "bad_value", f"mapping:{ours}")
    return None


def to_count(value: Any) -> int | None:
    """A count cell → int; ``None`` when empty. ``ValueError`` when not a whole number."""
    if value is None or value == "":
        return None
    if value.__class__ is int:
        return int(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            value = float(value)  # spreadsheets write "12.0" when a column has gaps
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise ValueError("not a count")


Getter = Callable[[str], Any]
Builder = Callable[[int, Getter], "RemotePost | Problem"]


def make_builder(columns: dict[str, str]) -> Builder:
    """The per-record mapping for ``columns`` (our field -> their column), as one function.

    ``get`` is the per-format accessor (a CSV cell by column name, an NDJSON key path). All
    decisions that depend only on the mapping are taken here, once per file, so the
    per-record work is a fixed run of look-ups: this is the benchmark's hot path.
    """
    c_id, c_created, c_text = columns["id"], columns["created"], columns["text"]
    strings = [(attr, columns[f]) for f, attr in _STRINGS.items() if f in columns]
    c_platform = columns.get("platform")
    c_tags = columns.get("tags")
    c_media = columns.get("media")
    counts = [(f[6:], c) for f, c in columns.items() if f.startswith("count_")]
    fromisoformat = datetime.fromisoformat

    def build(line: int, get: Getter) -> RemotePost | Problem:
        remote_id = get(c_id)
        if remote_id.__class__ is not str:
            if remote_id is None:
                return Problem(line, "missing_field", c_id)
            if remote_id.__class__ is not int:  # floats lose digits, objects are no ids
                return Problem(line, "bad_value", c_id)
            remote_id = str(remote_id)
        remote_id = remote_id.strip()
        if not remote_id:
            return Problem(line, "missing_field", c_id)
        created = get(c_created)
        if created is None or created == "":
            return Problem(line, "missing_field", c_created)
        try:
            if created.__class__ is str and created[4:5] == "-":  # ISO 8601, the common case
                created_at = fromisoformat(created)
                if created_at.tzinfo is None:
                    created_at = created_at.replace(tzinfo=HELSINKI)
                created_at = created_at.astimezone(UTC)
            else:
                created_at = parse_time(created)
        except (ValueError, TypeError):
            return Problem(line, "bad_time", c_created)
        text = get(c_text)
        if text.__class__ is not str:
            if text is None:
                text = ""
            elif isinstance(text, dict | list):
                return Problem(line, "bad_value", c_text)
            else:
                text = str(text)
        post = RemotePost(remote_id, created_at, text.strip())
        for attr, column in strings:
            value = get(column)
            if value:
                if value.__class__ is str:
                    setattr(post, attr, value.strip())
                elif isinstance(value, dict | list):
                    return Problem(line, "bad_value", column)
                else:
                    setattr(post, attr, str(value))
        if c_platform is not None:
            value = get(c_platform)
            if value and isinstance(value, str):
                post.platform = value.strip().lower()
        if c_tags is not None:
            value = get(c_tags)
            if value:
                post.tags = tags_from(value)
        if c_media is not None:
            value = get(c_media)
            if value:
                post.media_urls = split_list(value)
        if counts:
            found = post.counts
            for name, column in counts:
                try:
                    count = to_count(get(column))
                except (ValueError, OverflowError):
                    return Problem(line, "bad_value", column)
                if count is not None:
                    found[name] = count
        return post

    return build


def _resolve(mapping: dict[str, str], header: list[str]) -> tuple[dict[str, str], Problem | None]:
    """Our field -> their column for a CSV header; a Problem for a column it lacks."""
    columns: dict[str, str] = {}
    present = set(header)
    for field in FIELDS:
        theirs = mapping.get(field, field)
        if theirs in present:
            columns[field] = theirs
        elif field in REQUIRED or field in mapping:
            return columns, Problem(None, "missing_column", theirs)
    for ours, theirs in mapping.items():
        if ours.startswith("count_"):
            if theirs not in present:
                return columns, Problem(None, "missing_column", theirs)
            columns[ours] = theirs
    if not any(ours.startswith("count_") for ours in mapping):
        columns.update((name, name) for name in header if name.startswith("count_") and name[6:])
    return columns, None


# -- CSV ---------------------------------------------------------------------------------------


def _delimiter(path: Path, encoding: str) -> str:
    """The delimiter of the first kilobyte: csv.Sniffer, then the header's most common one."""
    with path.open("rb") as handle:
        sample = handle.read(1024).decode(encoding, "ignore").lstrip("\ufeff")
    if "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        header = sample.split("\n", 1)[0]
        counts = {d: header.count(d) for d in (",", ";", "\t")}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _one_char(delimiter: Any) -> bool:
    return isinstance(delimiter, str) and len(delimiter) == 1 and delimiter not in '"\r\n'


def csv_rows(path: Path, options: dict[str, Any]) -> Iterator[tuple[int, list[str]] | Problem]:
    """(line, cells) for the header row, then for each data row, of a CSV file.

    Shared with the 4CAT importer. Handles ``options["encoding"]`` and ``["delimiter"]``,
    skips blank lines, and yields a Problem for each row that cannot be split or decoded, or
    whose width differs from the header's. A Problem before the header concerns the whole
    file and is the last thing yielded.
    """
    problem = sniff(path, "not_csv")
    encoding = _ENCODINGS.get(str(options.get("encoding", "utf-8")).lower())
    if problem is None and encoding is None:
        problem = Problem(None, "bad_value", "encoding")
    delimiter = options.get("delimiter")
    if problem is None and delimiter is not None and not _one_char(delimiter):
        problem = Problem(None, "bad_value", "delimiter")
    if problem is not None or encoding is None:
        yield problem or Problem(None, "bad_value", "encoding")
        return
    try:
        if delimiter is None:
            delimiter = _delimiter(path, encoding)
        with path.open("rb") as handle:
            yield from _split(handle, encoding, delimiter)
    except OSError as error:
        yield Problem(None, "unreadable", type(error).__name__)


def _split(
    handle: IO[bytes], encoding: str, delimiter: str
) -> Iterator[tuple[int, list[str]] | Problem]:
    bad_lines: dict[int, str] = {}  # physical line -> Problem code, filled by the decoder

    def decoded() -> Iterator[str]:
        number = 0
        for raw in bounded_lines(handle):
            number += 1
            if raw is None:
                bad_lines[number] = "too_long"
                yield "\n"
                continue
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield raw.decode(encoding)
            except UnicodeDecodeError:
                bad_lines[number] = "not_utf8"
                yield raw.decode(encoding, "replace")

    reader = csv.reader(decoded(), delimiter=delimiter)
    try:
        header: list[str] = []
        while not header:  # blank lines before the header
            header = next(reader)
    except StopIteration:
        yield Problem(None, "empty")
        return
    except csv.Error:
        yield Problem(reader.line_num or 1, "not_csv", "header")
        return
    if bad_lines:
        code = next(iter(bad_lines.values()))
        yield Problem(reader.line_num, "not_csv" if code == "too_long" else code, "header")
        return
    width = len(header)
    yield reader.line_num, [name.strip() for name in header]
    end = reader.line_num
    while True:
        start = end + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            end = reader.line_num
            too_long = "larger than field limit" in str(error)
            yield Problem(start, "too_long" if too_long else "not_csv")
            continue
        end = reader.line_num
        if bad_lines:
            hits = [n for n in bad_lines if start <= n <= end]
            if hits:
                code = bad_lines[hits[0]]
                for n in hits:
                    del bad_lines[n]
                yield Problem(start, code)
                continue
        if not row:
            continue
        if len(row) != width:
            yield Problem(start, "not_csv", f"{len(row)}/{width}")
            continue
        yield start, row


class CsvImporter:
    format: ClassVar[str] = "csv"
    platform: ClassVar[str] = ""

    def read(self, path: Path, options: dict[str, Any]) -> Iterator[RemotePost | Problem]:
        mapping = options.get("mapping", {})
        problem = check_mapping(mapping)
        if problem is not None:
            yield problem
            return
        build: Builder | None = None
        positions: dict[str, int] = {}
        row: list[str] = []

        def get(column: str) -> str:
            return row[positions[column]]

        for item in csv_rows(path, options):
            if isinstance(item, Problem):
                yield item
                continue
            line, row = item
            if build is None:  # the header
                columns, problem = _resolve(mapping, row)
                if problem is not None:
                    problem.line = line
                    yield problem
                    return
                for index, name in enumerate(row):
                    positions.setdefault(name, index)
                build = make_builder(columns)
                continue
            yield build(line, get)


# -- NDJSON ------------------------------------------------------------------------------------


def _dig(record: dict[str, Any], column: str, path: list[str]) -> Any:
    if column in record:  # flat keys with dots exist too ("geo.country")
        return record[column]
    value: Any = record
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


class NdjsonImporter:
    format: ClassVar[str] = "ndjson"
    platform: ClassVar[str] = ""

    def read(self, path: Path, options: dict[str, Any]) -> Iterator[RemotePost | Problem]:
        mapping = options.get("mapping", {})
        problem = sniff(path, "not_json") or check_mapping(mapping)
        if problem is not None:
            yield problem
            return
        try:
            with path.open("rb") as handle:
                yield from self._records(handle, mapping)
        except OSError as error:
            yield Problem(None, "unreadable", type(error).__name__)

    def _records(self, handle: Any, mapping: dict[str, str]) -> Iterator[RemotePost | Problem]:
        build: Builder | None = None
        nested: dict[str, list[str]] = {}
        for item in ndjson_objects(handle):
            if isinstance(item, Problem):
                yield item
                continue
            number, record = item
            if build is None:
                columns = _ndjson_columns(mapping, record)
                nested = {c: c.split(".") for c in columns.values() if "." in c}
                for field in REQUIRED:
                    column = columns[field]
                    if not _has(record, column, nested.get(column)):
                        yield Problem(number, "missing_column", column)
                        return
                build = make_builder(columns)
            if nested:
                yield build(number, _nested_getter(record, nested))
            else:
                yield build(number, record.get)


def _ndjson_columns(mapping: dict[str, str], first: dict[str, Any]) -> dict[str, str]:
    """Every field is looked up (a missing key is that record's problem, not the file's);
    without a count mapping, the ``count_*`` keys of the first record are read."""
    columns = {field: mapping.get(field, field) for field in FIELDS}
    counts = {ours: theirs for ours, theirs in mapping.items() if ours.startswith("count_")}
    if not counts:
        counts = {key: key for key in first if key.startswith("count_") and key[6:]}
    columns.update(counts)
    return columns


def _has(record: dict[str, Any], column: str, path: list[str] | None) -> bool:
    if column in record or path is None:
        return column in record
    value: Any = record
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return False
        value = value[key]
    return True


def _nested_getter(record: dict[str, Any], nested: dict[str, list[str]]) -> Callable[[str], Any]:
    def get(column: str) -> Any:
        path = nested.get(column)
        return record.get(column) if path is None else _dig(record, column, path)

    return get
