"""Spreadsheets in and out: importing activisms from CSV/XLSX, exporting the registry.

Officials keep their activisms in spreadsheets, with headers in Finnish, Swedish or English and
cells filled in by hand. Import is two steps: ``parse_file`` + ``validate_rows`` give a
row-by-row report (nothing written); ``import_rows`` writes all valid rows in one transaction,
and refuses a file with bad rows unless the caller explicitly asks for the valid rows only.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portaat.ladders.models import Ladder
from portaat.ladders.services import texts_of
from portaat.registry.forms import DESCRIPTION_MAX
from portaat.registry.models import (
    Activism,
    ActivismKind,
    ActivismStatus,
    Area,
    LegalForm,
    Visibility,
)
from portaat.registry.services import clean_channels, save_activism

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 200
HEADER_SEARCH_ROWS = 10  # a title or a note may come before the column names
MAX_UNPACKED_BYTES = 200 * 1024 * 1024

# Header spellings officials actually use, folded to lowercase ASCII-ish keys.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("name", "nimi", "namn", "activism", "aktivismi", "aktivism"),
    "description": ("description", "kuvaus", "beskrivning", "info"),
    "kind": ("kind", "type", "tyyppi", "laji", "typ", "sort"),
    "areas": ("areas", "area", "alueet", "alue", "omraden", "omrade", "kaupunginosa", "stadsdel"),
    "domains": (
        "domains",
        "domain",
        "ladders",
        "ladder",
        "portaat",
        "ala",
        "alat",
        "trappa",
        "omrade_trappa",
    ),
    "channels": (
        "channels",
        "channel",
        "kanavat",
        "kanava",
        "kanaler",
        "kanal",
        "links",
        "linkit",
        "url",
        "urls",
    ),
    "legal_form": ("legal form", "legal_form", "oikeudellinen muoto", "juridisk form", "yhdistys"),
    "status": ("status", "tila"),
    "visibility": ("visibility", "nakyvyys", "synlighet"),
    "contact_name": ("contact", "contact name", "contact_name", "yhteyshenkilo", "kontaktperson"),
    "contact_email": ("email", "contact email", "contact_email", "sahkoposti", "e-post", "epost"),
    "contact_phone": ("phone", "contact phone", "contact_phone", "puhelin", "telefon"),
    "contact_consent": ("consent", "contact consent", "contact_consent", "suostumus", "samtycke"),
}


def _max_length(model: Any, name: str) -> int:
    return int(model._meta.get_field(name).max_length)


YES = {"yes", "y", "true", "1", "x", "kylla", "k", "ja", "on"}
NO = {"no", "n", "false", "0", "ei", "nej", ""}

STATUS_WORDS = {
    "active": ActivismStatus.ACTIVE,
    "aktiivinen": ActivismStatus.ACTIVE,
    "toiminnassa": ActivismStatus.ACTIVE,
    "aktiv": ActivismStatus.ACTIVE,
    "dormant": ActivismStatus.DORMANT,
    "hiljainen": ActivismStatus.DORMANT,
    "lepaa": ActivismStatus.DORMANT,
    "vilande": ActivismStatus.DORMANT,
    "ended": ActivismStatus.ENDED,
    "paattynyt": ActivismStatus.ENDED,
    "lopettanut": ActivismStatus.ENDED,
    "avslutad": ActivismStatus.ENDED,
}
VISIBILITY_WORDS = {
    "public": Visibility.PUBLIC,
    "julkinen": Visibility.PUBLIC,
    "offentlig": Visibility.PUBLIC,
    "internal": Visibility.INTERNAL,
    "administration only": Visibility.INTERNAL,
    "sisainen": Visibility.INTERNAL,
    "vain hallinnolle": Visibility.INTERNAL,
    "intern": Visibility.INTERNAL,
}
LEGAL_WORDS = {
    "none": LegalForm.NONE,
    "ei": LegalForm.NONE,
    "ei ole": LegalForm.NONE,
    "ingen": LegalForm.NONE,
    "association": LegalForm.ASSOCIATION,
    "yhdistys": LegalForm.ASSOCIATION,
    "ry": LegalForm.ASSOCIATION,
    "rekisteroity yhdistys": LegalForm.ASSOCIATION,
    "forening": LegalForm.ASSOCIATION,
    "rf": LegalForm.ASSOCIATION,
    "company": LegalForm.COMPANY,
    "yritys": LegalForm.COMPANY,
    "osuuskunta": LegalForm.COMPANY,
    "foretag": LegalForm.COMPANY,
    "other": LegalForm.OTHER,
    "muu": LegalForm.OTHER,
    "annan": LegalForm.OTHER,
    "annat": LegalForm.OTHER,
}

CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")
# The columns' limits, from the models and the activism form: a longer cell is an error in
# the preview, never cut short or left for the database to refuse.
TEXT_LIMITS = {
    "name": _max_length(Activism, "name"),
    "description": DESCRIPTION_MAX,
    **{name: _max_length(Activism, name) for name in CONTACT_FIELDS},
}

CONSENT_TEXT = (
    "Imported from a spreadsheet: the importing official confirmed that the contact person "
    "agreed to their details being stored."
)


def fold(text: str) -> str:
    """Lowercase, strip accents (ä→a, å→a), collapse spaces: for matching hand-typed words."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s_]+", " ", plain)


class FileProblem(Exception):
    """The whole file cannot be read; the message is translated for the user."""


@dataclass
class RowResult:
    number: int  # the spreadsheet's row number (the header is row 1)
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportReport:
    rows: list[RowResult]
    unknown_headers: list[str] = field(default_factory=list)

    @property
    def valid(self) -> list[RowResult]:
        return [row for row in self.rows if row.ok]

    @property
    def invalid(self) -> list[RowResult]:
        return [row for row in self.rows if not row.ok]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.invalid


# --- reading --------------------------------------------------------------------------------


def _header_map(headers: Sequence[str]) -> tuple[dict[int, str], list[str]]:
    lookup = {fold(alias): key for key, aliases in HEADERS.items() for alias in aliases}
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    for index, header in enumerate(headers):
        key = lookup.get(fold(str(header or "")))
        if key and key not in mapping.values():
            mapping[index] = key
        elif str(header or "").strip():
            unknown.append(str(header))
    return mapping, unknown


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")  # Excel's "Unicode text"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")  # Excel's "CSV" on Finnish Windows
        except UnicodeDecodeError:
            raise FileProblem(_("The file is not text in UTF-8 or Windows encoding.")) from None


def _delimiter(text: str) -> str:
    """The header line's separator. Sniffing whole rows guesses wrong when descriptions hold
    commas (Excel on Finnish Windows separates with semicolons)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: header.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])  # ties: the order above
    # One column: a tab splits nothing a person typed ("Kallio, Vallila" stays one name).
    return best if counts[best] else "\t"


def _rows_from_csv(data: bytes) -> Iterator[list[str]]:
    text = _decode(data)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    except csv.Error as exc:
        raise FileProblem(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from None


def _rows_from_xlsx(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise FileProblem(_("The file is not a readable Excel (.xlsx) workbook.")) from None
    if unpacked > MAX_UNPACKED_BYTES:  # a small file that unpacks to a huge one
        raise FileProblem(
            _("The workbook unpacks to more than %(max)d MB.")
            % {"max": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken or non-xlsx file
        raise FileProblem(_("The file is not a readable Excel (.xlsx) workbook.")) from None
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS):
            yield [_cell_text(cell) for cell in row]
    finally:
        workbook.close()


def _cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # 2025.0 → "2025": Excel stores every number as a float
    return str(cell).strip()


def _find_header(
    numbered: Iterable[tuple[int, list[str]]],
) -> tuple[dict[int, str], list[str], Iterator[tuple[int, list[str]]]]:
    """The header row: the first of the first few non-empty rows that names a name column
    (a title row such as "Activisms 2025", often merged across the columns, may come first)."""
    rows = iter(numbered)
    for _number, row in itertools.islice(rows, HEADER_SEARCH_ROWS):
        mapping, unknown = _header_map(row)
        if "name" in mapping.values():
            return mapping, unknown, rows
    raise FileProblem(
        _("The first row must hold the column names, including a name column (nimi / namn / name).")
    )


def parse_file(name: str, data: bytes) -> tuple[list[dict[str, str]], list[str]]:
    """Rows as ``{field: text}`` (header row mapped to our fields) and the unknown headers.

    Each row also has ``_row``: its number in the spreadsheet, so that errors name the row the
    user sees, also when empty rows or a title row come before it.
    """
    if len(data) > MAX_BYTES:
        raise FileProblem(_("The file is larger than 5 MB."))
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        table = _rows_from_xlsx(data)
    elif lowered.endswith((".csv", ".txt")):
        table = _rows_from_csv(data)
    else:
        raise FileProblem(_("Upload a .csv or .xlsx file."))
    numbered = (
        (number, row)
        for number, row in enumerate(table, start=1)
        if any(str(cell).strip() for cell in row)
    )
    first = next(numbered, None)
    if first is None:
        raise FileProblem(_("The file is empty."))
    mapping, unknown, body = _find_header(itertools.chain([first], numbered))
    # Reading stops at the first row over the limit: a huge sheet is never read whole.
    data_rows = list(itertools.islice(body, MAX_ROWS + 1))
    if len(data_rows) > MAX_ROWS:
        raise FileProblem(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
    rows = [
        {
            "_row": str(number),
            **{
                key: str(row[index]).strip() if index < len(row) else ""
                for index, key in mapping.items()
            },
        }
        for number, row in data_rows
    ]
    return rows, unknown


# --- validating -----------------------------------------------------------------------------


class _Lookups:
    """Everything rows are matched against, loaded once per file (not per row)."""

    def __init__(self) -> None:
        self.kinds: dict[str, ActivismKind] = {}
        for kind in ActivismKind.objects.all():
            for text in [kind.slug, *texts_of(kind, "name").values()]:
                if text:
                    self.kinds[fold(text)] = kind
        self.ladders: dict[str, Ladder] = {}
        for ladder in Ladder.objects.all():
            names = [*texts_of(ladder, "name").values(), *texts_of(ladder, "domain").values()]
            for text in [ladder.slug, *names]:
                if text:
                    self.ladders.setdefault(fold(text), ladder)
        self.areas: dict[str, list[Area]] = {}
        for area in Area.objects.all():
            for text in (area.key, area.name, area.name_sv, *area.aliases):
                if text:
                    self.areas.setdefault(fold(text), []).append(area)
        self.parents = {area.pk: area.parent_id for areas in self.areas.values() for area in areas}
        self.names = {fold(name) for name in Activism.objects.values_list("name", flat=True)}

    def area(self, text: str) -> list[Area]:
        """The areas ``text`` names. A district and its own sub-district of the same name
        (Kamppi, Eira …) are one place to the reader: the district is meant."""
        matches = list({area.pk: area for area in self.areas.get(fold(text), [])}.values())
        for candidate in matches:
            if all(self._is_within(other.pk, candidate.pk) for other in matches):
                return [candidate]
        return matches

    def _is_within(self, pk: int, ancestor: int) -> bool:
        seen = set()
        current: int | None = pk
        while current is not None and current not in seen:
            if current == ancestor:
                return True
            seen.add(current)
            current = self.parents.get(current)
        return False


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n|]|,(?!\d)", text) if part.strip()]


def _validate_row(number: int, raw: Mapping[str, str], lookups: _Lookups) -> RowResult:
    result = RowResult(number=number, raw={k: v for k, v in raw.items() if k != "_row"})
    values = result.values

    def error(field_name: str, message: str) -> None:
        result.errors.append((field_name, message))

    for field_name, text in result.raw.items():
        if "\x00" in text:  # PostgreSQL cannot store it; nothing a person typed holds one
            error(field_name, _("The cell contains a NUL character."))
    for field_name, limit in TEXT_LIMITS.items():
        if len(raw.get(field_name, "").strip()) > limit:
            error(
                field_name,
                _("The text is longer than %(max)d characters.") % {"max": limit},
            )
    name = raw.get("name", "").strip()
    if not name:
        error("name", _("The name is missing."))
    elif fold(name) in lookups.names:
        error("name", _("An activism with this name is already in the registry."))
    values["name"] = name
    values["description"] = raw.get("description", "").strip()
    kind_text = raw.get("kind", "").strip()
    kind = lookups.kinds.get(fold(kind_text)) if kind_text else lookups.kinds.get("other")
    if kind is None:
        error("kind", _("Unknown kind “%(value)s”.") % {"value": kind_text[:60]})
    values["kind"] = kind
    areas: list[Area] = []
    for text in _split(raw.get("areas", "")):
        matches = lookups.area(text)
        if not matches:
            error("areas", _("Unknown area “%(value)s”.") % {"value": text[:60]})
        elif len(matches) > 1:
            choices = ", ".join(
                sorted(f"{a.name} ({a.municipality}, {a.get_kind_display()})" for a in matches)[:4]
            )
            error(
                "areas",
                _("The area “%(value)s” is ambiguous: %(choices)s.")
                % {"value": text[:60], "choices": choices},
            )
        else:
            areas.append(matches[0])
    values["areas"] = areas
    domains: list[Ladder] = []
    for text in _split(raw.get("domains", "")):
        ladder = lookups.ladders.get(fold(text))
        if ladder is None:
            error("domains", _("Unknown ladder or domain “%(value)s”.") % {"value": text[:60]})
        else:
            domains.append(ladder)
    values["domains"] = domains
    urls = re.split(r"[\s;,]+", raw.get("channels", "").strip())
    try:
        values["channels"] = [url for url, _p, _h in clean_channels(urls)]
    except ValidationError as exc:
        error("channels", exc.messages[0])
    for field_name, words, default in (
        ("legal_form", LEGAL_WORDS, LegalForm.NONE),
        ("status", STATUS_WORDS, ActivismStatus.ACTIVE),
        ("visibility", VISIBILITY_WORDS, Visibility.INTERNAL),
    ):
        text = raw.get(field_name, "").strip()
        value = words.get(fold(text)) if text else default
        if value is None:
            error(field_name, _("Unknown value “%(value)s”.") % {"value": text[:60]})
        values[field_name] = value
    contact = {name: raw.get(name, "").strip() for name in CONTACT_FIELDS}
    if contact["contact_email"]:
        try:
            validate_email(contact["contact_email"])
        except ValidationError:
            error(
                "contact_email",
                _("“%(value)s” is not an email address.")
                % {"value": contact["contact_email"][:80]},
            )
    consent_text = fold(raw.get("contact_consent", ""))
    if consent_text not in YES | NO:
        error("contact_consent", _("Write yes or no."))
    consent = consent_text in YES
    if any(contact.values()) and not consent:
        error(
            "contact_consent",
            _("Contact details need the person's consent (consent column: yes)."),
        )
    values.update(contact)
    values["consent"] = consent
    return result


def validate_rows(rows: Sequence[Mapping[str, str]], unknown: Sequence[str] = ()) -> ImportReport:
    """Check every row; nothing is written. Duplicate names within the file are errors too."""
    lookups = _Lookups()
    results = [
        _validate_row(int(raw.get("_row") or number), raw, lookups)
        for number, raw in enumerate(rows, start=2)
    ]
    seen: dict[str, int] = {}
    for result in results:
        key = fold(result.values.get("name", ""))
        if key and key in seen:
            result.errors.append(
                ("name", _("The same name is on row %(row)d.") % {"row": seen[key]})
            )
        seen.setdefault(key, result.number)
    return ImportReport(rows=results, unknown_headers=list(unknown))


@transaction.atomic
def import_rows(report: ImportReport, *, by: Any, only_valid: bool = False) -> list[Activism]:
    """Write the rows as new activisms, all in one transaction.

    A report with any bad row raises ``ValidationError`` unless ``only_valid`` says to skip
    them: nothing is ever half-imported.
    """
    if report.invalid and not only_valid:
        raise ValidationError(_("The file has rows with errors; nothing was imported."))
    if not report.valid:
        raise ValidationError(_("There are no valid rows to import."))
    created: list[Activism] = []
    for row in report.valid:
        values = row.values
        created.append(
            save_activism(
                activism=None,
                fields={
                    "name": values["name"],
                    "description": values["description"],
                    "kind": values["kind"],
                    "legal_form": values["legal_form"],
                    "status": values["status"],
                    "visibility": values["visibility"],
                    "contact_name": values["contact_name"],
                    "contact_email": values["contact_email"],
                    "contact_phone": values["contact_phone"],
                },
                domains=values["domains"],
                areas=values["areas"],
                channel_urls=values.get("channels", []),
                by=by,
                contact_consent_text=CONSENT_TEXT if values["consent"] else "",
            )
        )
    return created


# --- exporting ------------------------------------------------------------------------------

ACTIVISM_COLUMNS = [
    "id",
    "name",
    "description",
    "kind",
    "domains",
    "areas",
    "channels",
    "legal_form",
    "status",
    "visibility",
    "origin",
    "review",
    "created_at",
    "updated_at",
]
CONTACT_COLUMNS = ["contact_name", "contact_email", "contact_phone", "contact_consent_at"]
CASE_COLUMNS = ["id", "activism_id", "activism", "unit", "ladder", "positions_public", "created_at"]
ASSESSMENT_COLUMNS = [
    "id",
    "case_id",
    "activism",
    "unit",
    "ladder",
    "assessed_on",
    "perspective",
    "current_level",
    "target_level",
    "rationale",
]


def activism_rows(
    activisms: QuerySet[Activism], *, with_contacts: bool
) -> Iterator[dict[str, Any]]:
    for a in activisms.select_related("kind").prefetch_related("domains", "areas", "channels"):
        row: dict[str, Any] = {
            "id": a.pk,
            "name": a.name,
            "description": a.description,
            "kind": a.kind.slug,
            "domains": "; ".join(d.slug for d in a.domains.all()),
            "areas": "; ".join(area.name for area in a.areas.all()),
            "channels": " ".join(c.url for c in a.channels.all()),
            "legal_form": a.legal_form,
            "status": a.status,
            "visibility": a.visibility,
            "origin": a.origin,
            "review": a.review,
            "created_at": timezone.localtime(a.created_at).isoformat(),
            "updated_at": timezone.localtime(a.updated_at).isoformat(),
        }
        if with_contacts:
            row.update(
                contact_name=a.contact_name,
                contact_email=a.contact_email,
                contact_phone=a.contact_phone,
                contact_consent_at=(
                    timezone.localtime(a.contact_consent_at).isoformat()
                    if a.contact_consent_at
                    else ""
                ),
            )
        yield row


def case_rows(cases: QuerySet[Any]) -> Iterator[dict[str, Any]]:
    for case in cases.select_related("activism", "unit", "ladder"):
        yield {
            "id": case.pk,
            "activism_id": case.activism_id,
            "activism": case.activism.name,
            "unit": case.unit.slug,
            "ladder": case.ladder.slug,
            "positions_public": case.positions_public,
            "created_at": timezone.localtime(case.created_at).isoformat(),
        }


def assessment_rows(assessments: QuerySet[Any]) -> Iterator[dict[str, Any]]:
    for a in assessments.select_related("case__activism", "case__unit", "case__ladder"):
        yield {
            "id": a.pk,
            "case_id": a.case_id,
            "activism": a.case.activism.name,
            "unit": a.case.unit.slug,
            "ladder": a.case.ladder.slug,
            "assessed_on": a.assessed_on.isoformat(),
            "perspective": a.perspective,
            "current_level": a.current_level,
            "target_level": a.target_level,
            "rationale": a.rationale,
        }


def safe_cell(value: Any) -> Any:
    """A text cell starting with = + - @ (or a tab or return) gets a leading apostrophe:
    spreadsheet programs would run it as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class _Echo:
    """A file-like object for csv.writer that hands each written line back."""

    def write(self, value: str) -> str:
        return value


def stream_csv(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV for a StreamingHttpResponse, one line at a time: UTF-8 byte-order mark first (for
    Excel), formula-safe cells."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


# The control characters a worksheet cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE).
_XLSX_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")


def _xlsx_cell(value: Any) -> Any:
    # Control characters pasted from other programs (a vertical tab from an Excel line break)
    # are valid in our text fields but not in a worksheet, where openpyxl refuses them.
    value = safe_cell(value)
    return _XLSX_ILLEGAL.sub("", value) if isinstance(value, str) else value


def render(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[str], fmt: str
) -> tuple[bytes, str]:
    """The rows as CSV, XLSX or JSON bytes, with the content type."""
    rows = list(rows)
    if fmt == "json":
        return (
            json.dumps(rows, ensure_ascii=False, indent=2, default=str).encode("utf-8"),
            "application/json",
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: safe_cell(v) for k, v in row.items()})
        # BOM: Excel on Finnish Windows then opens ä and ö correctly
        return ("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(list(columns))
        for row in rows:
            sheet.append([_xlsx_cell(row.get(column, "")) for column in columns])
        buffer_b = io.BytesIO()
        workbook.save(buffer_b)
        return (
            buffer_b.getvalue(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    raise ValueError(fmt)


def visible_activisms_for(user: Any) -> QuerySet[Activism]:
    from portaat import access

    return Activism.objects.filter(access.visible_activisms(user)).distinct().order_by("name", "pk")
