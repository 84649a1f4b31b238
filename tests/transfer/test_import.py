"""Importing activisms from spreadsheets: upload → preview → import, over HTTP."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from portaat.registry.models import Activism
from portaat.registry.services import load_builtin_kinds
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db

GOOD = """nimi;tyyppi;alueet;portaat;kanavat;yhteyshenkilö;sähköposti;suostumus
Lauttasaaren REKO;REKO-rengas;Lauttasaari;REKO;https://www.facebook.com/groups/lauttasaarenreko;Maija;maija@example.org;kyllä
Kallio-liike;Suunnitteluaktivistien ryhmä;Berghäll;city-planning;https://mastodon.social/@kallioliike;;;
"""


@pytest.fixture
def places(builtin, db):
    load_builtin_kinds()
    AreaFactory(key="helsinki-lauttasaari", name="Lauttasaari", name_sv="Drumsö")
    AreaFactory(key="helsinki-kallio", name="Kallio", name_sv="Berghäll", aliases=["Kalliossa"])


def upload(client, name: str, content: bytes, language: str = "fi"):
    return client.post(
        "/data/import/activisms/",
        {"file": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_a_good_file_previews_then_imports(client_for, places):
    client = client_for("official")
    response = upload(client, "aktivismit.csv", GOOD.encode("utf-8"))
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert Activism.objects.count() == 0, "the preview must not write"
    assert b"Lauttasaaren REKO" in preview.content
    done = client.post(response["Location"] + "confirm/")
    assert done.status_code == 302
    reko = Activism.objects.get(name="Lauttasaaren REKO")
    assert reko.kind.slug == "reko-ring"
    assert [a.key for a in reko.areas.all()] == ["helsinki-lauttasaari"]
    assert [d.slug for d in reko.domains.all()] == ["reko"]
    assert reko.channels.get().platform == "facebook_group"
    assert reko.contact_consent_at is not None
    assert reko.legal_form == "none"
    kallio = Activism.objects.get(name="Kallio-liike")
    assert [a.key for a in kallio.areas.all()] == ["helsinki-kallio"]  # matched by Swedish name


def test_one_bad_row_writes_nothing_and_names_row_and_field(client_for, places):
    client = client_for("official")
    bad = GOOD + "Kolmas;REKO-rengas;Atlantis;;;;;\n"
    response = upload(client, "aktivismit.csv", bad.encode("utf-8"))
    preview = client.get(response["Location"])
    text = preview.content.decode()
    assert "Rivi 4" in text or "Row 4" in text
    assert "Atlantis" in text
    done = client.post(response["Location"] + "confirm/")
    assert done.status_code == 400
    assert Activism.objects.count() == 0


def test_only_valid_rows_when_the_user_asks_for_it(client_for, places):
    client = client_for("official")
    bad = GOOD + "Kolmas;REKO-rengas;Atlantis;;;;;\n"
    response = upload(client, "aktivismit.csv", bad.encode("utf-8"))
    done = client.post(response["Location"] + "confirm/", {"only_valid": "1"})
    assert done.status_code == 302
    assert set(Activism.objects.values_list("name", flat=True)) == {
        "Lauttasaaren REKO",
        "Kallio-liike",
    }


@pytest.mark.parametrize(
    ("row", "field", "fragment"),
    [
        ("X;Sirkus;;;;;;", "kind", "Sirkus"),
        ("X;REKO-rengas;;;ftp://x;;;", "channels", "ftp://x"),
        ("X;REKO-rengas;;;;Maija;;ei", "contact_consent", "consent"),
        ("X;REKO-rengas;;;;;not-an-email;kyllä", "contact_email", "not-an-email"),
        ("X;REKO-rengas;;Shipbuilding;;;;", "domains", "Shipbuilding"),
        (";REKO-rengas;;;;;;", "name", ""),
        ("Lauttasaaren REKO;REKO-rengas;;;;;;", "name", "2"),
    ],
)
def test_each_kind_of_bad_cell_is_reported(client_for, places, row, field, fragment):
    from portaat.registry import transfer

    rows, unknown = transfer.parse_file("a.csv", (GOOD + row + "\n").encode("utf-8"))
    with translation.override("en"):
        report = transfer.validate_rows(rows, unknown)
    [bad] = report.invalid
    assert bad.number == 4
    fields = [f for f, _m in bad.errors]
    assert field in fields
    assert any(fragment in m for _f, m in bad.errors)


def test_xlsx_files_and_english_headers(client_for, places):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Kind", "Areas", "Status", "Visibility"])
    sheet.append(["Drumsö REKO", "REKO ring", "Drumsö", "active", "public"])
    buffer = io.BytesIO()
    book.save(buffer)
    client = client_for("official")
    response = upload(client, "list.xlsx", buffer.getvalue())
    client.post(response["Location"] + "confirm/")
    activism = Activism.objects.get(name="Drumsö REKO")
    assert activism.visibility == "public"


def test_excel_csv_in_windows_encoding(client_for, places):
    content = "nimi;tyyppi;alueet\nSörnäisten ryhmä;Muu;Kallio\n".encode("cp1252")
    response = upload(client_for("official"), "vanha.csv", content)
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.pdf", b"%PDF", "csv"),
        ("a.csv", b"", "empty"),
        ("a.csv", b"foo;bar\n1;2\n", "name"),
        ("a.xlsx", b"not a zip", "xlsx"),
    ],
)
def test_unreadable_files_get_a_clear_error(client_for, places, name, content, message):
    response = upload(client_for("official"), name, content, language="en")
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert Activism.objects.count() == 0


def test_only_the_administration_imports(client_for, places):
    assert client_for("anonymous").get("/data/import/activisms/").status_code == 302
    assert client_for("activist").get("/data/import/activisms/").status_code == 403
    response = upload(client_for("activist"), "a.csv", GOOD.encode())
    assert response.status_code == 403


def test_a_preview_belongs_to_its_uploader(client_for, places, coordinator):
    response = upload(client_for("official"), "a.csv", GOOD.encode())
    other = client_for("coordinator")
    assert other.get(response["Location"]).status_code == 404
    assert other.post(response["Location"] + "confirm/").status_code == 404
    assert client_for("official").get("/data/import/activisms/not-a-token/").status_code == 404
