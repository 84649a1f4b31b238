"""Spreadsheets as officials really make them, through the import's parse → validate → import.

The shipped Helsinki-region gazetteer is loaded, so area names meet the real data (where e.g.
"Kamppi" is both a district and its own sub-district).
"""

from __future__ import annotations

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import Workbook

from portaat.registry import transfer
from portaat.registry.models import Activism, Channel
from portaat.registry.services import load_builtin_kinds, load_gazetteer
from tests.factories import ActivismFactory
from tests.hardening.conftest import NUL, status_ok

pytestmark = pytest.mark.django_db


@pytest.fixture
def gazetteer(builtin, db):
    load_builtin_kinds()
    load_gazetteer()


def upload(client, name: str, content: bytes):
    return client.post("/data/import/activisms/", {"file": SimpleUploadedFile(name, content)})


def report_for(name: str, content: bytes) -> transfer.ImportReport:
    rows, unknown = transfer.parse_file(name, content)
    with translation.override("en"):
        return transfer.validate_rows(rows, unknown)


def xlsx(rows: list[list[object]], merge: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def errors_of(report: transfer.ImportReport) -> dict[int, list[str]]:
    return {row.number: [f for f, _m in row.errors] for row in report.invalid}


# --- reading what Excel writes ----------------------------------------------------------------


def test_excel_csv_with_semicolons_cp1252_and_commas_in_cells(gazetteer):
    content = (
        "Nimi;Kuvaus;Tyyppi;Alueet\r\n"
        "Sörnäisten ruokapiiri;Ruokaa, kahvia, juttuseuraa;Muu;Kallio\r\n"
        "Töölön kirjasto-ystävät;Lukupiiri, torstaisin klo 18, kirjastossa;Muu;Etu-Töölö\r\n"
    ).encode("cp1252")
    report = report_for("vienti.csv", content)
    assert report.ok, errors_of(report)
    first = report.rows[0].values
    assert first["name"] == "Sörnäisten ruokapiiri"
    assert first["description"] == "Ruokaa, kahvia, juttuseuraa"


def test_excel_unicode_text_utf16_with_tabs(gazetteer):
    content = "Nimi\tTyyppi\tAlueet\r\nÅggelby-gruppen 🌱\tMuu\tOulunkylä\r\n".encode("utf-16")
    report = report_for("unicode.txt", content)
    assert report.ok, errors_of(report)
    assert report.rows[0].values["name"] == "Åggelby-gruppen 🌱"


def test_a_one_column_file_keeps_commas_in_names(gazetteer):
    report = report_for("a.csv", b"Nimi\nKallion kaverit, ry\n")
    assert [row.values["name"] for row in report.rows] == ["Kallion kaverit, ry"]


def test_header_in_other_case_and_with_trailing_spaces(gazetteer):
    report = report_for(
        "a.csv", b"  NIMI ;TYYPPI  ;Alueet \nKallion REKO  ;  REKO-rengas ; Kallio \n"
    )
    assert report.ok, errors_of(report)
    assert report.rows[0].values["name"] == "Kallion REKO"
    assert [a.key for a in report.rows[0].values["areas"]] == ["helsinki-kallio"]


def test_xlsx_with_a_merged_title_row_above_the_header(gazetteer):
    content = xlsx(
        [
            ["Aktivismit 2025 – kaupunkiympäristö", None, None],
            ["Nimi", "Tyyppi", "Alue"],
            ["Vuosaaren REKO", "REKO-rengas", "Vuosaari"],
            ["Kontulan ryhmä", "Sirkus", "Kontula"],
        ],
        merge="A1:C1",
    )
    report = report_for("lista.xlsx", content)
    assert [row.values["name"] for row in report.rows] == ["Vuosaaren REKO", "Kontulan ryhmä"]
    assert errors_of(report) == {4: ["kind"]}, "row numbers are the sheet's own"


def test_empty_rows_in_the_middle_keep_the_sheets_row_numbers(gazetteer):
    content = xlsx(
        [
            ["Nimi", "Tyyppi"],
            ["Eka", "Muu"],
            [None, None],
            [" ", ""],
            ["Neljäs", "Sirkus"],
        ]
    )
    report = report_for("lista.xlsx", content)
    assert errors_of(report) == {5: ["kind"]}
    csv_report = report_for("lista.csv", b"Nimi;Tyyppi\nEka;Muu\n;\n\nNelj\xc3\xa4s;Sirkus\n")
    assert errors_of(csv_report) == {5: ["kind"]}


def test_numbers_and_dates_as_names(gazetteer):
    report = report_for("lista.xlsx", xlsx([["Nimi", "Tyyppi"], [2025, "Muu"], [12.5, "Muu"]]))
    assert report.ok, errors_of(report)
    assert [row.values["name"] for row in report.rows] == ["2025", "12.5"]


# --- areas as people write them --------------------------------------------------------------


def test_an_area_that_is_its_own_sub_district_is_not_ambiguous(gazetteer):
    report = report_for("a.csv", "Nimi;Tyyppi;Alueet\nKampin ryhmä;Muu;Kamppi\n".encode())
    assert report.ok, errors_of(report)
    assert [a.key for a in report.rows[0].values["areas"]] == ["helsinki-kamppi"]


@pytest.mark.parametrize("text", ["Kalliossa", "Kallioon", "Kallio Helsinki", "Kalio"])
def test_inflected_or_misspelt_areas_are_reported_not_guessed(gazetteer, text):
    report = report_for("a.csv", f"Nimi;Tyyppi;Alueet\nRyhmä;Muu;{text}\n".encode())
    assert errors_of(report) == {2: ["areas"]}
    assert text in report.rows[0].errors[0][1]


def test_swedish_names_and_separators(gazetteer):
    report = report_for(
        "a.csv", 'Namn;Typ;Områden\nGruppen;Muu;"Berghäll, Drumsö\nKallvik"|Nordsjö\n'.encode()
    )
    assert report.ok, errors_of(report)
    assert len(report.rows[0].values["areas"]) == 4


# --- bad cells are reported, never cut or dropped ---------------------------------------------


@pytest.mark.parametrize(
    "column,value",
    [
        ("Nimi", "x" * 201),
        ("Kuvaus", "x" * 5001),
        ("Yhteyshenkilö", "x" * 201),
        ("Puhelin", "0" * 41),
        ("Sähköposti", "a" * 250 + "@example.org"),
        ("Kanavat", "https://example.org/" + "a" * 600),
        ("Nimi", NUL),
        ("Kuvaus", NUL),
        ("Yhteyshenkilö", NUL),
    ],
)
def test_over_long_or_nul_cells_are_row_errors(client_for, gazetteer, column, value):
    columns = ["Nimi", "Tyyppi", "Suostumus", column] if column != "Nimi" else ["Nimi", "Tyyppi"]
    row = {"Nimi": "Ryhmä", "Tyyppi": "Muu", "Suostumus": "kyllä", column: value}
    content = xlsx([columns, [row[c] for c in columns]]) if NUL not in value else None
    if content is None:  # openpyxl cannot write NUL; a CSV can hold one
        content = (";".join(columns) + "\n" + ";".join(row[c] for c in columns) + "\n").encode()
        name = "a.csv"
    else:
        name = "a.xlsx"
    client = client_for("official")
    response = upload(client, name, content)
    status_ok(response, 302, 400)
    if response.status_code == 302:
        status_ok(client.get(response["Location"]), 200)
        status_ok(client.post(response["Location"] + "confirm/"), 400)
    assert not Activism.objects.exists()


def test_duplicate_rows_are_reported(gazetteer):
    report = report_for("a.csv", b"Nimi;Tyyppi\nRyhm\xc3\xa4;Muu\nRYHM\xc3\x84 ;Muu\n")
    assert errors_of(report) == {3: ["name"]}


def test_a_file_imported_twice_does_not_double_the_registry(client_for, gazetteer):
    ActivismFactory(name="Vuosaaren REKO")
    report = report_for("a.csv", b"Nimi;Tyyppi\nVuosaaren REKO;Muu\nUusi;Muu\n")
    assert errors_of(report) == {2: ["name"]}


def test_csv_injection_is_neutralised_on_export(client_for, builtin):
    for name in ('=HYPERLINK("http://evil")', "+1", "-1+2", "@SUM(A1)", "\t=1"):
        ActivismFactory(name=name, description="=cmd|' /C calc'!A0")
    client = client_for("official")
    body = client.get("/data/export/activisms.csv").content.decode("utf-8-sig")
    for line in body.splitlines()[1:]:
        cells = line.split(",")
        assert not any(cell.lstrip('"')[:1] in "=+-@" and cell.lstrip('"') for cell in cells[1:3])


def test_control_characters_do_not_break_the_xlsx_export(client_for, builtin):
    ActivismFactory(name="Rivi\x0bvaihto", description="Excelistä\x01 kopioitu\x1f")
    response = client_for("official").get("/data/export/activisms.xlsx")
    status_ok(response, 200)


# --- size --------------------------------------------------------------------------------------


def test_five_thousand_rows_validate_quickly_without_queries_per_row(gazetteer):
    areas = ["Kallio", "Vuosaari", "Tapiola", "Tikkurila", "Kamppi"]
    lines = ["Nimi;Tyyppi;Alueet;Portaat;Kanavat;Tila"]
    for n in range(5000):
        lines.append(
            f"Ryhmä {n};REKO-rengas;{areas[n % 5]};reko;https://www.facebook.com/groups/r{n};aktiivinen"
        )
    content = "\n".join(lines).encode()
    started = time.perf_counter()
    rows, unknown = transfer.parse_file("iso.csv", content)
    with CaptureQueriesContext(connection) as queries:
        report = transfer.validate_rows(rows, unknown)
    elapsed = time.perf_counter() - started
    assert report.ok, list(errors_of(report).items())[:3]
    assert len(queries) < 15, len(queries)
    assert elapsed < 10, elapsed
    print(f"5,000 rows parsed and validated in {elapsed:.2f} s with {len(queries)} queries")


def test_five_thousand_and_one_rows_are_refused(gazetteer):
    content = ("Nimi\n" + "\n".join(f"R{n}" for n in range(5001))).encode()
    with pytest.raises(transfer.FileProblem):
        transfer.parse_file("iso.csv", content)


def test_a_huge_sheet_is_refused_early(gazetteer):
    """A small .xlsx that unpacks to a huge sheet: reading stops soon after 5,000 rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Nimi"])
    for n in range(60_000):
        sheet.append([f"R{n}"])
    buffer = io.BytesIO()
    book.save(buffer)
    content = buffer.getvalue()
    assert len(content) < transfer.MAX_BYTES
    with pytest.raises(transfer.FileProblem) as refused:
        transfer.parse_file("iso.xlsx", content)
    # refused for its size, not for anything found in the rows (how soon reading stops is a
    # matter of measurement, not of a test on a shared machine: see BENCHMARKS.md)
    assert str(transfer.MAX_ROWS) in str(refused.value)


def test_a_wide_sheet_is_read_only_as_far_as_its_columns(gazetteer):
    book = Workbook()
    sheet = book.active
    sheet.append(["Nimi", "Tyyppi"])
    sheet.append(["Ryhmä", "Muu"])
    sheet.cell(row=2, column=16000, value="x")
    buffer = io.BytesIO()
    book.save(buffer)
    report = report_for("leveä.xlsx", buffer.getvalue())
    assert report.ok


def test_channels_with_long_handles_import(client_for, gazetteer):
    url = "https://www.facebook.com/groups/" + "a" * 400
    client = client_for("official")
    response = upload(client, "a.csv", f"Nimi;Tyyppi;Kanavat\nRyhmä;Muu;{url}\n".encode())
    status_ok(client.post(response["Location"] + "confirm/"), 302)
    assert Channel.objects.get().url == url
