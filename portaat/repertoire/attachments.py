"""Checks for experiment attachments: file names, the allow-list of types, sizes and the
optional virus scan.

An attachment is accepted only when its extension is on the allow-list *and* its content is
what the extension says (magic bytes; the members of an office document's zip; UTF-8 text
without NUL bytes). The browser's Content-Type is never trusted: the type stored and served
is the one decided here. Everything here is a plain function of its arguments (no database,
no settings), so the rules are tested directly; ``services.add_attachment`` applies them.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import os
import re
import shlex
import shutil
import struct
import subprocess  # nosec B404  # the virus scan command, run without a shell
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

MAX_FILENAME = 255
SCAN_TIMEOUT = 60  # seconds
_CHUNK = 64 * 1024
# The largest zip member read to identify an office document (its [Content_Types].xml or
# ODF mimetype): enough for any real document, too small for a zip bomb to matter.
_MAX_MEMBER_READ = 1024 * 1024
# What reading a damaged or hostile zip may raise (RuntimeError: an encrypted member;
# NotImplementedError: a compression method zipfile does not know).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    ValueError,
    EOFError,
    KeyError,
    RuntimeError,
    NotImplementedError,
    zlib.error,
    struct.error,
)


# --- content sniffers ---------------------------------------------------------------------------


def _head(file: IO[bytes], size: int = 16) -> bytes:
    file.seek(0)
    return file.read(size)


def _starts_with(*signatures: bytes) -> Callable[[IO[bytes]], bool]:
    def matches(file: IO[bytes]) -> bool:
        head = _head(file, max(len(s) for s in signatures))
        return any(head.startswith(signature) for signature in signatures)

    return matches


def _is_webp(file: IO[bytes]) -> bool:
    head = _head(file, 12)
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _zip_names(file: IO[bytes]) -> list[str] | None:
    """The member names of a zip file, or None if it is not a readable zip."""
    if _head(file, 4) != b"PK\x03\x04":
        return None
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            return archive.namelist()
    except _ZIP_ERRORS:
        return None


def _read_member(file: IO[bytes], name: str) -> bytes | None:
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive, archive.open(name) as member:
            return member.read(_MAX_MEMBER_READ)
    except _ZIP_ERRORS:
        return None


def _ooxml(folder: str) -> Callable[[IO[bytes]], bool]:
    """Office Open XML (docx, xlsx, pptx): a zip with ``[Content_Types].xml`` and the part
    folder of its kind (``word/``, ``xl/``, ``ppt/``)."""

    def matches(file: IO[bytes]) -> bool:
        names = _zip_names(file)
        if names is None or "[Content_Types].xml" not in names:
            return False
        return any(name.startswith(folder) for name in names)

    return matches


def _odf(mimetype: str) -> Callable[[IO[bytes]], bool]:
    """OpenDocument (odt, ods, odp): a zip whose ``mimetype`` member names its kind."""

    def matches(file: IO[bytes]) -> bool:
        names = _zip_names(file)
        if names is None or "mimetype" not in names:
            return False
        return _read_member(file, "mimetype") == mimetype.encode("ascii")

    return matches


def _has_macros(file: IO[bytes]) -> bool:
    """A macro-enabled office document (docm renamed to docx, an ODF file with Basic or
    scripts): its macros would run on the reader's machine, so it is refused."""
    names = _zip_names(file) or []
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return True
    if any(name.startswith(("Basic/", "Scripts/")) for name in names):
        return True
    types = _read_member(file, "[Content_Types].xml") if "[Content_Types].xml" in names else None
    return bool(types and b"macroenabled" in types.lower())


def _utf8_text(file: IO[bytes]) -> bool:
    """Plain text: valid UTF-8 throughout (a BOM is fine) and no NUL byte."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    file.seek(0)
    try:
        for chunk in iter(lambda: file.read(_CHUNK), b""):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


# --- the allow-list -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FileType:
    content_type: str
    matches: Callable[[IO[bytes]], bool]
    office: bool = False  # a zip-based office document: also checked for macros


_OOXML = "application/vnd.openxmlformats-officedocument"
_ODF = "application/vnd.oasis.opendocument"

ALLOWED_TYPES: dict[str, FileType] = {
    ".pdf": FileType("application/pdf", _starts_with(b"%PDF-")),
    ".png": FileType("image/png", _starts_with(b"\x89PNG\r\n\x1a\n")),
    ".jpg": FileType("image/jpeg", _starts_with(b"\xff\xd8\xff")),
    ".jpeg": FileType("image/jpeg", _starts_with(b"\xff\xd8\xff")),
    ".gif": FileType("image/gif", _starts_with(b"GIF87a", b"GIF89a")),
    ".webp": FileType("image/webp", _is_webp),
    ".docx": FileType(f"{_OOXML}.wordprocessingml.document", _ooxml("word/"), office=True),
    ".xlsx": FileType(f"{_OOXML}.spreadsheetml.sheet", _ooxml("xl/"), office=True),
    ".pptx": FileType(f"{_OOXML}.presentationml.presentation", _ooxml("ppt/"), office=True),
    ".odt": FileType(f"{_ODF}.text", _odf(f"{_ODF}.text"), office=True),
    ".ods": FileType(f"{_ODF}.spreadsheet", _odf(f"{_ODF}.spreadsheet"), office=True),
    ".odp": FileType(f"{_ODF}.presentation", _odf(f"{_ODF}.presentation"), office=True),
    ".csv": FileType("text/csv", _utf8_text),
    ".txt": FileType("text/plain", _utf8_text),
    ".md": FileType("text/markdown", _utf8_text),
}

ALLOWED_EXTENSIONS: tuple[str, ...] = tuple(ALLOWED_TYPES)


def extensions_text() -> str:
    """The allowed extensions for help texts and messages: ".pdf, .png, …"."""
    return ", ".join(ALLOWED_EXTENSIONS)


# --- file names ---------------------------------------------------------------------------------


def clean_filename(name: str, *, max_length: int = MAX_FILENAME) -> str:
    """The uploader's file name made safe to show and to send back in Content-Disposition:
    no folders, no control or formatting characters (NUL, line breaks, right-to-left
    overrides that disguise ``fdp.exe`` as ``exe.pdf``), no leading or trailing dots or spaces,
    at most ``max_length`` characters with the extension kept. It is never used on disk."""
    name = unicodedata.normalize("NFC", str(name))
    name = re.split(r"[/\\]", name)[-1]
    # white space (tabs and line breaks too) becomes one space; other control, format,
    # private-use and unassigned characters go
    name = "".join(" " if char.isspace() else char for char in name)
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    name = " ".join(name.split())
    name = name.strip(" .")
    if len(name) > max_length:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) < 16:
            name = f"{stem[: max_length - len(extension) - 1].rstrip(' .')}.{extension}"
        else:
            name = name[:max_length].rstrip(" .")
    return name


def extension_of(filename: str) -> str:
    """The last extension, lower-cased: ``report.PDF.exe`` → ``.exe``."""
    return PurePath(filename).suffix.lower() if filename else ""


# --- the checks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedFile:
    """What the checks decided about an upload: the values to store."""

    filename: str
    extension: str
    content_type: str
    size: int
    sha256: str


def _size(file: IO[bytes]) -> int:
    file.seek(0, os.SEEK_END)
    size = file.tell()
    file.seek(0)
    return size


def _sha256(file: IO[bytes]) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(_CHUNK), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def type_error() -> ValidationError:
    return ValidationError(
        _("Files of this type cannot be attached. The allowed types are %(types)s.")
        % {"types": extensions_text()},
        code="type",
    )


def check_file(file: IO[bytes], filename: str, *, max_bytes: int) -> CheckedFile:
    """Decide whether ``file`` (a seekable binary file, such as Django's ``UploadedFile``)
    named ``filename`` may be attached; raise ``ValidationError`` with the reason if not."""
    name = clean_filename(filename)
    extension = extension_of(name)
    kind = ALLOWED_TYPES.get(extension)
    if kind is None:
        raise type_error()
    size = _size(file)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("The file is too large: the limit is %(limit)s MB.")
            % {"limit": _megabytes(max_bytes)},
            code="too_large",
        )
    if not kind.matches(file):
        raise ValidationError(
            _(
                "The file's content is not what its name says: it is not a valid %(extension)s "
                "file. Check that you chose the right file, or save it again in that format."
            )
            % {"extension": extension},
            code="content",
        )
    if kind.office and _has_macros(file):
        raise ValidationError(
            _("Documents with macros cannot be attached. Save the document without macros."),
            code="macros",
        )
    return CheckedFile(
        filename=name,
        extension=extension,
        content_type=kind.content_type,
        size=size,
        sha256=_sha256(file),
    )


def _megabytes(size: int) -> str:
    megabytes = size / (1024 * 1024)
    return str(int(megabytes)) if megabytes == int(megabytes) else f"{megabytes:.1f}"


# --- the virus scan -----------------------------------------------------------------------------


def _scan_unavailable() -> ValidationError:
    return ValidationError(
        _(
            "The file could not be scanned for viruses, so it was not accepted. Try again "
            "later; if this goes on, tell the site's administrators."
        ),
        code="scan_unavailable",
    )


def run_scanner(command: str, path: str | os.PathLike[str], *, timeout: float) -> None:
    """Run the scan command with ``path`` appended. Exit status 0 passes the file; any other
    refuses it; a command that cannot start or does not finish in time refuses it too (the
    scan fails closed)."""
    try:
        argv = shlex.split(command)
    except ValueError:
        argv = []
    if not argv:
        # never run the uploaded file itself as the command
        logger.error("the attachment scan command %r is not a command", command)
        raise _scan_unavailable()
    argv.append(os.fspath(path))
    try:
        result = subprocess.run(  # noqa: S603  # nosec B603  # the administrator's command, no shell
            argv,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        logger.error("the attachment scan command %r could not run: %s", argv[0], exc)
        raise _scan_unavailable() from None
    if result.returncode != 0:
        output = (result.stdout + result.stderr).decode("utf-8", "replace").strip()
        logger.warning(
            "the attachment scan refused a file (exit status %d): %s",
            result.returncode,
            output[:500],
        )
        raise ValidationError(_("The file did not pass the virus scan."), code="scan_failed")


def scan(
    file: Any, command: str, *, timeout: float = SCAN_TIMEOUT, temp_dir: str | None = None
) -> None:
    """Scan an upload with ``command`` (nothing to do when it is empty). A file Django kept on
    disk is scanned where it is; one kept in memory is first written to a private temporary
    file in ``temp_dir``."""
    if not command:
        return
    temporary_path = getattr(file, "temporary_file_path", None)
    if callable(temporary_path):
        run_scanner(command, temporary_path(), timeout=timeout)
        return
    with tempfile.NamedTemporaryFile(prefix="portaat-scan-", dir=temp_dir) as copy:
        file.seek(0)
        shutil.copyfileobj(file, copy)
        copy.flush()
        file.seek(0)
        run_scanner(command, copy.name, timeout=timeout)
