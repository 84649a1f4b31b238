"""Experiment attachments: upload, download, delete; the allow-list, the limits and the virus
scan; who may do what; the files on disk follow the rows; the API lists them.

Everything runs for real: files are written to a throw-away uploads directory, scan commands
are real programs (``true``, ``false``, ``sh``), and database failures are real triggers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.test import AsyncClient, Client

from portaat.access import Role
from portaat.ladders.models import Ladder
from portaat.repertoire import attachments, services
from portaat.repertoire.models import Experiment, ExperimentAttachment, Practice
from tests.factories import (
    ActivismFactory,
    AssessmentFactory,
    CaseFactory,
    MembershipFactory,
    UserFactory,
)
from tests.helpers import sign_in_with_second_step

pytestmark = pytest.mark.django_db

# --- real files ----------------------------------------------------------------------------------

PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)


def png() -> bytes:
    """A 1×1 white PNG, chunk by chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def docx(*, macros: bool = False) -> bytes:
    """A minimal Word document (Office Open XML), optionally with a VBA project."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"/>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Tulokset</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00" * 64)
    return buffer.getvalue()


def odt() -> bytes:
    """A minimal OpenDocument text: the ``mimetype`` member first and stored, as the spec says."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


CSV = b"nimi;jakopaikkoja\nLauttasaari;2\nKallio;3\n"


# --- the experiment and the people ---------------------------------------------------------------


def reko_practice(level: int) -> Practice:
    return Practice.objects.get(step__ladder__slug="reko", step__level=level)


def login(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def make(case, *, title="Tilaluvat", owner=None) -> Experiment:
    starts = dt.date(2026, 1, 10)
    return services.create_experiment(
        title=title,
        hypothesis="Nopea lupa lisää jakopaikkoja",
        practices=[reko_practice(4)],
        cases=[case],
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=90),
        owner=owner,
    )


@pytest.fixture
def uploads(settings, tmp_path) -> Path:
    """A fresh uploads directory for each test: the ``default`` storage, as configured in
    settings, pointed at a throw-away folder."""
    location = tmp_path / "uploads"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": location}},
    }
    return location


def stored_files(location: Path) -> list[Path]:
    return sorted(p for p in location.rglob("*") if p.is_file()) if location.exists() else []


@pytest.fixture
def case(reko_case, official):
    AssessmentFactory(case=reko_case, current_level=3, target_level=5, author=official)
    return reko_case


@pytest.fixture
def experiment(case, uploads) -> Experiment:
    return make(case)


@pytest.fixture
def outsider(roles, city):
    """An official of another unit: reads the experiment, may not change it."""
    user = UserFactory(username="culture-official@example.org", role=Role.OFFICIAL)
    MembershipFactory(unit=city["other"], user=user, role="official")
    return user


@pytest.fixture
def other_experiment(city, builtin, uploads) -> Experiment:
    other = CaseFactory(
        activism=ActivismFactory(name="Kallion REKO"),
        unit=city["other"],
        ladder=Ladder.objects.get(slug="reko"),
    )
    return make(other, title="Toinen kokeilu")


def upload_url(experiment: Experiment) -> str:
    return f"/experiments/{experiment.pk}/attachments/"


def download_url(attachment: ExperimentAttachment) -> str:
    return f"/experiments/{attachment.experiment_id}/attachments/{attachment.pk}/"


def upload(client: Client, experiment: Experiment, name: str, content: bytes, title: str = ""):
    return client.post(
        upload_url(experiment),
        {"file": SimpleUploadedFile(name, content), "title": title},
    )


def text(response) -> str:
    return html.unescape(response.content.decode())


def attach(experiment, name, content, *, user=None, title="") -> ExperimentAttachment:
    return services.add_attachment(
        experiment, SimpleUploadedFile(name, content), title=title, user=user
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- uploading -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("raportti.pdf", PDF, "application/pdf"),
        ("kuva.PNG", png(), "image/png"),
        (
            "yhteenveto.docx",
            docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("muistio.odt", odt(), "application/vnd.oasis.opendocument.text"),
        ("tulokset.csv", CSV, "text/csv"),
    ],
)
def test_an_editor_attaches_a_file(experiment, official, uploads, name, content, content_type):
    client = login(official)
    r = upload(client, experiment, name, content, title="  Kevään   tulokset ")
    assert r.status_code == 302
    assert r["Location"] == f"/experiments/{experiment.pk}/#attachments"
    [attachment] = experiment.attachments.all()
    assert attachment.original_filename == name
    assert attachment.title == "Kevään tulokset"
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.uploaded_by == official
    # on disk under the uploads directory, under a random name that keeps only the extension
    [path] = stored_files(uploads)
    assert path.read_bytes() == content
    assert path.parent == uploads / "experiments" / str(experiment.pk)
    assert path.stem != Path(name).stem and len(path.stem) == 32
    assert path.suffix == Path(name).suffix.lower()
    assert attachment.file.name == f"experiments/{experiment.pk}/{path.name}"
    assert "“Kevään tulokset” was attached." in text(client.get(r["Location"]))


def test_the_page_lists_the_files_and_offers_the_form_to_editors(experiment, official, uploads):
    attach(experiment, "raportti.pdf", PDF, user=official, title="Loppuraportti")
    attach(experiment, "tulokset.csv", CSV, user=official)
    page = text(login(official).get(f"/experiments/{experiment.pk}/"))
    assert 'id="attachments"' in page
    assert "Loppuraportti" in page and "raportti.pdf" in page and "tulokset.csv" in page
    assert "PDF" in page and "CSV" in page
    for attachment in experiment.attachments.all():
        assert f'href="{download_url(attachment)}"' in page
        assert f'action="{download_url(attachment)}delete/"' in page
    assert 'enctype="multipart/form-data"' in page
    assert f'action="{upload_url(experiment)}"' in page
    assert (
        'accept=".pdf,.png,.jpg,.jpeg,.gif,.webp,.docx,.xlsx,.pptx,.odt,.ods,.odp,.csv,.txt,.md"'
        in page
    )
    assert "At most 20 MB per file and 20 files per experiment." in page
    assert '<label class="hds-text-input__label" for="id_file">' in page


def test_those_who_may_not_change_it_see_the_files_but_no_form(experiment, official, outsider):
    attachment = attach(experiment, "raportti.pdf", PDF, user=official)
    page = text(login(outsider).get(f"/experiments/{experiment.pk}/"))
    assert f'href="{download_url(attachment)}"' in page
    assert "delete/" not in page
    assert 'enctype="multipart/form-data"' not in page


def test_without_attachments_the_page_says_so(experiment, official):
    page = text(login(official).get(f"/experiments/{experiment.pk}/"))
    assert "No files are attached." in page


def test_the_owner_from_another_unit_may_attach(case, outsider, uploads):
    experiment = make(case, owner=outsider)
    r = upload(login(outsider), experiment, "raportti.pdf", PDF)
    assert r.status_code == 302
    assert experiment.attachments.count() == 1


def test_files_may_be_attached_after_the_experiment_is_closed(experiment, official, uploads):
    services.close_experiment(experiment, outcome="worked", lessons="Toimi")
    r = upload(login(official), experiment, "loppuraportti.pdf", PDF)
    assert r.status_code == 302
    assert len(stored_files(uploads)) == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [("outsider", 403), ("activist", 403), ("researcher", 403), ("anonymous", 302)],
)
def test_those_who_may_not_change_it_cannot_attach(
    experiment, outsider, personas, uploads, who, status
):
    user = outsider if who == "outsider" else personas[who]
    client = login(user) if user.is_authenticated else Client()
    r = upload(client, experiment, "raportti.pdf", PDF)
    assert r.status_code == status
    if status == 302:
        assert r["Location"].startswith("/accounts/login/?next=")
    assert not ExperimentAttachment.objects.exists()
    assert stored_files(uploads) == []


def test_uploads_answer_only_post(client_for, experiment):
    assert client_for("official").get(upload_url(experiment)).status_code == 405


def test_an_upload_to_a_missing_experiment_is_not_found(official, uploads):
    client = login(official)
    assert upload(client, Experiment(pk=999999), "a.pdf", PDF).status_code == 404


# --- refused files -------------------------------------------------------------------------------

TYPES = "The allowed types are .pdf, .png, .jpg, .jpeg, .gif, .webp, .docx, .xlsx, .pptx, .odt"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("asennus.exe", b"MZ\x90\x00\x03\x00\x00\x00", TYPES),
        ("raportti.pdf.exe", PDF, TYPES),
        ("sivu.html", b"<html><body>hei</body></html>", TYPES),
        ("ilman-paatetta", PDF, TYPES),
        ("sivu.pdf", b"<html><script>alert(1)</script></html>", "not a valid .pdf file"),
        ("kuva.png", PDF, "not a valid .png file"),
        ("kuva.jpg", png(), "not a valid .jpg file"),
        ("taulukko.xlsx", docx(), "not a valid .xlsx file"),
        ("asiakirja.docx", b"PK\x03\x04 not really a zip", "not a valid .docx file"),
        ("muistio.odt", docx(), "not a valid .odt file"),
        ("muistio.txt", b"abc\x00def", "not a valid .txt file"),
        ("tulokset.csv", "määrä;3\n".encode("latin-1"), "not a valid .csv file"),
        (
            "makrot.docx",
            docx(macros=True),
            "Documents with macros cannot be attached. Save the document without macros.",
        ),
        ("tyhja.pdf", b"", "The file is empty."),
    ],
)
def test_a_refused_file_is_explained_and_nothing_is_stored(
    experiment, official, uploads, name, content, message
):
    r = upload(login(official), experiment, name, content, title="Otsikko")
    assert r.status_code == 400
    page = text(r)
    assert "The file was not attached" in page
    assert message in page
    assert 'aria-describedby="id_file_helptext id_file_error"' in page
    assert 'id="id_file_error"' in page
    assert not ExperimentAttachment.objects.exists()
    assert stored_files(uploads) == []


def test_the_form_asks_for_a_file(experiment, official, uploads):
    r = login(official).post(upload_url(experiment), {"title": "Ei tiedostoa"})
    assert r.status_code == 400
    assert "Choose a file to attach." in text(r)
    assert not ExperimentAttachment.objects.exists()


def test_a_title_too_long_is_refused(experiment, official, uploads):
    r = upload(login(official), experiment, "raportti.pdf", PDF, title="x" * 201)
    assert r.status_code == 400
    assert "Ensure this value has at most 200 characters" in text(r)
    assert stored_files(uploads) == []


def test_a_file_over_the_limit_is_refused(experiment, official, uploads, settings):
    settings.PORTAAT_ATTACHMENT_MAX_MB = 1
    client = login(official)
    just_fits = PDF + b"%" * (1024 * 1024 - len(PDF))
    assert upload(client, experiment, "mahtuu.pdf", just_fits).status_code == 302
    r = upload(client, experiment, "liian-iso.pdf", just_fits + b"%")
    assert r.status_code == 400
    assert "The file is too large: the limit is 1 MB." in text(r)
    assert experiment.attachments.count() == 1
    assert len(stored_files(uploads)) == 1


def test_an_experiment_has_a_limited_number_of_files(experiment, official, uploads, settings):
    settings.PORTAAT_ATTACHMENTS_PER_EXPERIMENT = 2
    client = login(official)
    for n in range(2):
        assert upload(client, experiment, f"liite{n}.pdf", PDF).status_code == 302
    r = upload(client, experiment, "kolmas.pdf", PDF)
    assert r.status_code == 400
    assert "An experiment can have at most 2 attachments. Delete one to add another." in text(r)
    assert experiment.attachments.count() == 2
    assert len(stored_files(uploads)) == 2


def test_the_limit_is_stated_in_the_language_of_the_page(experiment, official, settings):
    settings.PORTAAT_ATTACHMENT_MAX_MB = 5
    settings.PORTAAT_ATTACHMENTS_PER_EXPERIMENT = 3
    page = text(login(official).get(f"/experiments/{experiment.pk}/"))
    assert "At most 5 MB per file and 3 files per experiment." in page


# --- file names ----------------------------------------------------------------------------------


def multipart(filename: bytes, content: bytes) -> tuple[bytes, str]:
    """A multipart body by hand: the test client would clean the file name itself."""
    boundary = b"portaat-boundary"
    data = (
        b"--" + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n" + content + b"\r\n"
        b"--" + boundary + b"--\r\n"
    )
    return data, f"multipart/form-data; boundary={boundary.decode()}"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (b"../../etc/raportti.pdf", "raportti.pdf"),
        (b"C:\\Users\\virkailija\\raportti.pdf", "raportti.pdf"),
        (b"rapo\x01rtti\x7f.pdf", "raportti.pdf"),
        ("k\u202efdp.exe.pdf".encode(), "kfdp.exe.pdf"),
    ],
)
def test_paths_and_control_characters_are_taken_out_of_file_names(
    experiment, official, uploads, raw, shown
):
    data, content_type = multipart(raw, PDF)
    r = login(official).post(upload_url(experiment), data, content_type=content_type)
    assert r.status_code == 302
    [attachment] = experiment.attachments.all()
    assert attachment.original_filename == shown
    [path] = stored_files(uploads)
    assert path.is_relative_to(uploads / "experiments")
    d = login(official).get(download_url(attachment))
    assert d["Content-Disposition"] == f'attachment; filename="{shown}"'
    assert body(d) == PDF


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../../../etc/passwd.pdf", "passwd.pdf"),
        ("raportti\x00.pdf", "raportti.pdf"),
        ("raportti\r\nSet-Cookie: x=1.pdf", "raportti Set-Cookie: x=1.pdf"),
        (" .piilossa.pdf. ", "piilossa.pdf"),
        ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
    ],
)
def test_the_service_cleans_names_itself(experiment, official, uploads, name, shown):
    attachment = services.add_attachment(experiment, ContentFile(PDF, name=name), user=official)
    assert attachment.original_filename == shown
    assert len(stored_files(uploads)) == 1


def test_a_nul_cannot_hide_the_real_extension(experiment, official, uploads):
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(experiment, ContentFile(PDF, name="raportti.pdf\x00.exe"))
    assert exc.value.code == "type"
    assert stored_files(uploads) == []


@pytest.mark.parametrize("name", ["\x00", "..", "/", ".pdf", "\u202e"])
def test_a_name_with_nothing_left_is_refused(experiment, uploads, name):
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(experiment, ContentFile(PDF, name=name))
    assert exc.value.code == "type"
    assert not ExperimentAttachment.objects.exists()


def test_clean_filename_keeps_the_extension_when_it_shortens():
    assert attachments.clean_filename("x" * 400 + ".docx", max_length=20) == "x" * 15 + ".docx"
    assert attachments.clean_filename("Kevään  tulokset\t2026.pdf") == "Kevään tulokset 2026.pdf"
    assert attachments.clean_filename("Ka\u0308rki.pdf") == "Kärki.pdf"  # one form (NFC)


# --- the virus scan ------------------------------------------------------------------------------


def test_a_passing_scan_accepts_the_file_and_its_copy_is_removed(
    experiment, official, uploads, settings, tmp_path
):
    seen = tmp_path / "scanned.txt"
    settings.PORTAAT_ATTACHMENT_SCAN_COMMAND = f'sh -c \'cat "$0" > {seen}; echo "$0" >> {seen}\''
    r = upload(login(official), experiment, "raportti.pdf", PDF)
    assert r.status_code == 302
    scanned = seen.read_bytes()
    assert scanned.startswith(PDF)  # the scanner read the real content
    copy = Path(scanned[len(PDF) :].decode().strip())
    assert not copy.exists()  # the temporary copy for the scanner is gone
    assert len(stored_files(uploads)) == 1


def test_true_passes(experiment, official, uploads, settings):
    settings.PORTAAT_ATTACHMENT_SCAN_COMMAND = "true"
    assert upload(login(official), experiment, "raportti.pdf", PDF).status_code == 302


def test_a_failing_scan_refuses_the_file(experiment, official, uploads, settings):
    settings.PORTAAT_ATTACHMENT_SCAN_COMMAND = "false"
    r = upload(login(official), experiment, "raportti.pdf", PDF)
    assert r.status_code == 400
    assert "The file did not pass the virus scan." in text(r)
    assert not ExperimentAttachment.objects.exists()
    assert stored_files(uploads) == []


def test_a_scanner_that_finds_something_refuses_only_that_file(
    experiment, official, uploads, settings
):
    # a stand-in for clamdscan: exit status 1 when the file holds the EICAR test signature
    settings.PORTAAT_ATTACHMENT_SCAN_COMMAND = (
        "sh -c 'if grep -q EICAR-STANDARD \"$0\"; then exit 1; fi'"
    )
    client = login(official)
    assert (
        upload(client, experiment, "puhdas.txt", b"Ihan tavallinen muistio.\n").status_code == 302
    )
    r = upload(client, experiment, "virus.txt", b"X5O!P%@AP...EICAR-STANDARD-ANTIVIRUS-TEST-FILE!")
    assert r.status_code == 400
    assert "The file did not pass the virus scan." in text(r)
    assert [a.original_filename for a in experiment.attachments.all()] == ["puhdas.txt"]
    assert len(stored_files(uploads)) == 1


@pytest.mark.parametrize(
    "command", ["/nonexistent/portaat-scanner --no-summary", "''", "/dev/null"]
)
def test_a_scanner_that_cannot_run_refuses_the_file(
    experiment, official, uploads, settings, command
):
    settings.PORTAAT_ATTACHMENT_SCAN_COMMAND = command
    r = upload(login(official), experiment, "raportti.pdf", PDF)
    assert r.status_code == 400
    assert "The file could not be scanned for viruses, so it was not accepted." in text(r)
    assert not ExperimentAttachment.objects.exists()
    assert stored_files(uploads) == []


def test_a_scanner_that_does_not_finish_in_time_refuses_the_file(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(PDF)
    with pytest.raises(ValidationError) as exc:
        attachments.run_scanner("sh -c 'sleep 5'", path, timeout=0.2)
    assert exc.value.code == "scan_unavailable"


def test_an_empty_command_never_runs_the_file_itself(tmp_path):
    script = tmp_path / "evil.sh"
    marker = tmp_path / "ran"
    script.write_text(f"#!/bin/sh\ntouch {marker}\n")
    script.chmod(0o755)
    with pytest.raises(ValidationError):
        attachments.run_scanner("   ", script, timeout=5)
    assert not marker.exists()


def test_a_large_upload_is_scanned_where_django_keeps_it(experiment, official, uploads, settings):
    # over FILE_UPLOAD_MAX_MEMORY_SIZE, Django writes the upload to a temporary file
    settings.PORTAAT_ATTACHMENT_SCAN_COMMAND = "sh -c 'head -c 5 \"$0\" | grep -q %PDF-'"
    big = PDF + b"%" * (3 * 1024 * 1024)
    r = upload(login(official), experiment, "iso.pdf", big)
    assert r.status_code == 302
    [path] = stored_files(uploads)
    assert path.stat().st_size == len(big)


# --- downloading ---------------------------------------------------------------------------------


def test_a_reader_downloads_the_exact_bytes_with_safe_headers(experiment, official, outsider):
    attachment = attach(experiment, "raportti.pdf", PDF, user=official)
    r = login(outsider).get(download_url(attachment))
    assert r.status_code == 200
    assert body(r) == PDF
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Length"] == str(len(PDF))
    assert r["Content-Disposition"] == 'attachment; filename="raportti.pdf"'
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert r["Cache-Control"] == "private, no-store"


def test_a_non_ascii_name_is_sent_as_utf8(experiment, official):
    attachment = attach(experiment, "Tulokset – kevät.csv", CSV, user=official)
    r = login(official).get(download_url(attachment))
    assert r["Content-Disposition"] == (
        "attachment; filename*=utf-8''Tulokset%20%E2%80%93%20kev%C3%A4t.csv"
    )
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    assert body(r) == CSV


def test_the_stored_type_is_ours_not_the_browsers(experiment, official, uploads):
    r = login(official).post(
        upload_url(experiment),
        {"file": SimpleUploadedFile("kuva.png", png(), content_type="text/html")},
    )
    assert r.status_code == 302
    attachment = experiment.attachments.get()
    assert attachment.content_type == "image/png"
    d = login(official).get(download_url(attachment))
    assert d["Content-Type"] == "image/png"
    assert body(d) == png()


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("activist", 403), ("researcher", 403), ("coordinator", 200)],
)
def test_only_those_who_read_experiments_download(experiment, official, personas, who, status):
    """The same answers as the experiment page itself gives."""
    attachment = attach(experiment, "raportti.pdf", PDF, user=official)
    user = personas[who]
    client = login(user) if user.is_authenticated else Client()
    page = client.get(f"/experiments/{experiment.pk}/")
    r = client.get(download_url(attachment))
    assert r.status_code == page.status_code == status
    if status == 302:
        assert r["Location"].startswith("/accounts/login/?next=")
    if status == 200:
        assert body(r) == PDF


def test_a_guessed_id_of_another_experiments_file_is_not_found(
    experiment, other_experiment, official, outsider
):
    theirs = attach(other_experiment, "toinen.pdf", PDF, user=outsider)
    client = login(official)
    r = client.get(f"/experiments/{experiment.pk}/attachments/{theirs.pk}/")
    assert r.status_code == 404
    r = client.post(f"/experiments/{experiment.pk}/attachments/{theirs.pk}/delete/")
    assert r.status_code == 404
    assert ExperimentAttachment.objects.filter(pk=theirs.pk).exists()
    assert client.get(f"/experiments/{experiment.pk}/attachments/999999/").status_code == 404


def test_a_missing_file_is_not_found_not_an_error(experiment, official, uploads):
    attachment = attach(experiment, "raportti.pdf", PDF, user=official)
    (uploads / attachment.file.name).unlink()
    assert login(official).get(download_url(attachment)).status_code == 404


def test_under_asgi_the_download_streams_without_reading_it_whole(experiment, official):
    content = PDF + bytes(range(256)) * 1024
    attachment = attach(experiment, "iso.pdf", content, user=official)
    client = AsyncClient()
    client.force_login(official)

    async def fetch():
        response = await client.get(download_url(attachment))
        chunks = [chunk async for chunk in response.streaming_content]
        return response, chunks

    response, chunks = async_to_sync(fetch)()
    assert response.status_code == 200
    assert response.is_async
    assert b"".join(chunks) == content
    assert len(chunks) > 1
    assert response["Content-Length"] == str(len(content))
    assert response["Content-Disposition"] == 'attachment; filename="iso.pdf"'


# --- deleting ------------------------------------------------------------------------------------


def test_an_editor_deletes_a_file_and_its_file_goes_too(
    experiment, official, uploads, django_capture_on_commit_callbacks
):
    keep = attach(experiment, "pidetaan.pdf", PDF, user=official)
    gone = attach(experiment, "poistetaan.pdf", PDF, user=official, title="Vanha")
    kept_path = uploads / keep.file.name
    client = login(official)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"{download_url(gone)}delete/")
    assert r.status_code == 302
    assert r["Location"] == f"/experiments/{experiment.pk}/#attachments"
    assert list(experiment.attachments.all()) == [keep]
    assert stored_files(uploads) == [kept_path]
    page = text(client.get(f"/experiments/{experiment.pk}/"))
    assert "“Vanha” was deleted." in page
    assert f'href="{download_url(gone)}"' not in page


def test_those_who_may_not_change_it_cannot_delete(
    experiment, official, outsider, uploads, django_capture_on_commit_callbacks
):
    attachment = attach(experiment, "raportti.pdf", PDF, user=official)
    with django_capture_on_commit_callbacks(execute=True):
        r = login(outsider).post(f"{download_url(attachment)}delete/")
    assert r.status_code == 403
    assert ExperimentAttachment.objects.filter(pk=attachment.pk).exists()
    assert len(stored_files(uploads)) == 1


def test_deleting_answers_only_post(experiment, official):
    attachment = attach(experiment, "raportti.pdf", PDF, user=official)
    assert login(official).get(f"{download_url(attachment)}delete/").status_code == 405


def test_deleting_the_experiment_deletes_its_files(
    experiment, other_experiment, official, uploads, django_capture_on_commit_callbacks
):
    attach(experiment, "a.pdf", PDF, user=official)
    attach(experiment, "b.png", png(), user=official)
    theirs = attach(other_experiment, "c.pdf", PDF, user=official)
    with django_capture_on_commit_callbacks(execute=True):
        experiment.delete()
    assert stored_files(uploads) == [uploads / theirs.file.name]


def test_a_deletion_rolled_back_keeps_the_file(
    experiment, official, uploads, django_capture_on_commit_callbacks
):
    attachment = attach(experiment, "raportti.pdf", PDF, user=official)
    pk = attachment.pk
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.delete_attachment(attachment, user=official)
        raise RuntimeError("something later in the same transaction failed")
    assert callbacks == []  # the file's removal was dropped with the rolled-back deletion
    assert ExperimentAttachment.objects.filter(pk=pk).exists()
    assert len(stored_files(uploads)) == 1


# --- storage and database failures leave nothing half-done ---------------------------------------


def test_a_row_that_cannot_be_written_leaves_no_file(experiment, official, uploads):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION portaat_refuse() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER portaat_refuse BEFORE INSERT ON repertoire_experimentattachment "
                "FOR EACH ROW EXECUTE FUNCTION portaat_refuse()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER portaat_refuse BEFORE INSERT ON repertoire_experimentattachment "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
    with pytest.raises(DatabaseError):
        attach(experiment, "raportti.pdf", PDF, user=official)
    assert stored_files(uploads) == []


def test_a_file_that_cannot_be_stored_leaves_no_row(experiment, official, settings, tmp_path):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the uploads directory should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": blocked}},
    }
    with pytest.raises(OSError):
        attach(experiment, "raportti.pdf", PDF, user=official)
    assert not ExperimentAttachment.objects.exists()


# --- API and admin -------------------------------------------------------------------------------


def test_the_api_lists_the_attachments(experiment, official, outsider):
    attachment = attach(experiment, "raportti.pdf", PDF, user=official, title="Loppuraportti")
    client = login(outsider)
    [item] = client.get("/api/v1/experiments/").json()["results"]
    assert item["attachments"] == [
        {
            "id": attachment.pk,
            "title": "Loppuraportti",
            "filename": "raportti.pdf",
            "content_type": "application/pdf",
            "size": len(PDF),
            "sha256": attachment.sha256,
            "uploaded_at": item["attachments"][0]["uploaded_at"],
            "download_url": f"http://testserver{download_url(attachment)}",
        }
    ]
    assert dt.datetime.fromisoformat(item["attachments"][0]["uploaded_at"])
    assert body(client.get(item["attachments"][0]["download_url"])) == PDF
    single = client.get(f"/api/v1/experiments/{experiment.pk}/").json()
    assert [a["id"] for a in single["attachments"]] == [attachment.pk]


def test_the_api_list_query_count_does_not_grow_with_attachments(
    experiment, official, django_assert_max_num_queries
):
    for n in range(5):
        attach(experiment, f"liite{n}.pdf", PDF, user=official)
    client = login(official)
    client.get("/api/v1/experiments/")  # warm the session and role caches
    with django_assert_max_num_queries(12):
        r = client.get("/api/v1/experiments/")
    assert len(r.json()["results"][0]["attachments"]) == 5


def test_the_schema_documents_the_attachments(client):
    schema = client.get("/api/schema/?format=json").json()["components"]["schemas"]
    properties = schema["ExperimentAttachment"]["properties"]
    assert set(properties) == {
        "id",
        "title",
        "filename",
        "content_type",
        "size",
        "sha256",
        "uploaded_at",
        "download_url",
    }
    assert properties["download_url"]["format"] == "uri"
    attachments_field = schema["Experiment"]["properties"]["attachments"]
    assert attachments_field["type"] == "array"
    assert attachments_field["items"]["$ref"].endswith("/ExperimentAttachment")


def test_the_admin_shows_the_files_read_only(experiment, official, admin):
    attachment = attach(experiment, "raportti.pdf", PDF, user=official)
    client = sign_in_with_second_step(Client(), admin)  # staff give the code (portaat/admin.py)
    page = client.get(f"/admin/repertoire/experiment/{experiment.pk}/change/").content.decode()
    assert f'<a href="{download_url(attachment)}">raportti.pdf</a>' in page
    assert attachment.file.name not in page  # the stored name stays internal


# --- the allow-list, directly --------------------------------------------------------------------


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


ODF = "application/vnd.oasis.opendocument"
OOXML = "application/vnd.openxmlformats-officedocument"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("a.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"),
        ("a.gif", b"GIF87a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"),
        ("a.webp", b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00", "image/webp"),
        ("a.jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
        ("A.JPG", b"\xff\xd8\xff\xdb\x00\x43\x00", "image/jpeg"),
        (
            "a.xlsx",
            zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"}),
            f"{OOXML}.spreadsheetml.sheet",
        ),
        (
            "a.pptx",
            zipped({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}),
            f"{OOXML}.presentationml.presentation",
        ),
        ("a.ods", zipped({"mimetype": f"{ODF}.spreadsheet".encode()}), f"{ODF}.spreadsheet"),
        ("a.odp", zipped({"mimetype": f"{ODF}.presentation".encode()}), f"{ODF}.presentation"),
        ("a.md", "# Opit\n\n- Sovi tori ajoissa ✓\n".encode(), "text/markdown"),
        ("a.txt", b"\xef\xbb\xbfBOM first\n", "text/plain"),
    ],
)
def test_check_file_accepts_the_allowed_types(name, content, content_type):
    checked = attachments.check_file(io.BytesIO(content), name, max_bytes=1024 * 1024)
    assert checked.content_type == content_type
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.extension == Path(name).suffix.lower()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("a.webp", b"RIFF\x1a\x00\x00\x00WAVEfmt ", "content"),
        ("a.gif", b"GIF90a", "content"),
        ("a.ods", zipped({"mimetype": f"{ODF}.text".encode()}), "content"),
        ("a.odt", zipped({"content.xml": b"<x/>"}), "content"),
        ("a.docx", zipped({"word/document.xml": b"<w/>"}), "content"),  # no [Content_Types].xml
        (
            "a.docx",
            zipped(
                {
                    "[Content_Types].xml": b'<Types><Default ContentType="application/vnd.'
                    b'ms-word.document.macroEnabled.main+xml"/></Types>',
                    "word/document.xml": b"<w/>",
                }
            ),
            "macros",
        ),
        ("a.odt", zipped({"mimetype": f"{ODF}.text".encode(), "Basic/m.xml": b"<m/>"}), "macros"),
        ("a.txt", b"\xff\xfeU\x00T\x00F\x00-\x001\x006\x00", "content"),  # UTF-16
        ("a.txt", "keskenerä".encode()[:-1], "content"),  # cut in the middle of a character
        ("a.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "type"),
        ("a.zip", zipped({"a.txt": b"a"}), "type"),
        ("a.pdf", b"", "empty"),
        ("a.pdf", PDF + b"x" * 2048, "too_large"),
    ],
)
def test_check_file_refuses(name, content, code):
    with pytest.raises(ValidationError) as exc:
        attachments.check_file(io.BytesIO(content), name, max_bytes=2048)
    assert exc.value.code == code


def test_an_encrypted_office_member_is_not_read(tmp_path):
    # zipfile cannot write encrypted members; flip the "encrypted" flag of a real one
    data = bytearray(zipped({"mimetype": f"{ODF}.text".encode()}))
    local = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    data[local + 6] |= 0x01
    data[central + 8] |= 0x01
    with pytest.raises(ValidationError) as exc:
        attachments.check_file(io.BytesIO(bytes(data)), "a.odt", max_bytes=1024 * 1024)
    assert exc.value.code == "content"
