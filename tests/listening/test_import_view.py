"""Importing a file on the web page: all or nothing, a report of every problem, idempotent."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portaat.listening.models import CollectionRun, Post, Source, Suggestion

pytestmark = pytest.mark.django_db
URL = reverse("listening:import")

GOOD = (
    "id,text,created,author,tags\n"
    "p1,Kalliossa avattiin puutarha,2026-05-01 12:00,maija,kallio\n"
    "p2,Spårvagnen till Berghäll,2026-05-02T08:30:00+03:00,erik,berghäll\n"
).encode()
BAD = (
    "id,text,created,author\n"
    "p1,Hyvä rivi,2026-05-01 12:00,maija\n"
    "p2,Huono aika,eilen illalla,erik\n"
    ",Ei tunnistetta,2026-05-03 12:00,anna\n"
).encode()


def upload(client: Any, content: bytes, fmt: str = "csv", **extra: Any) -> Any:
    data = {"format": fmt, "file": SimpleUploadedFile("posts.csv", content), **extra}
    return client.post(URL, data, HTTP_ACCEPT_LANGUAGE="en")


def test_a_good_file_is_imported_once(client_for: Any) -> None:
    client = client_for("official")
    response = upload(client, GOOD)
    assert response.status_code == 302
    assert Post.objects.count() == 2
    post = Post.objects.get(remote_id="p1")
    assert post.author_handle == "" and len(post.author_pseudonym) == 32
    assert Source.objects.get().platform == "import"
    again = upload(client, GOOD)
    assert again.status_code == 302
    assert Post.objects.count() == 2
    assert CollectionRun.objects.filter(trigger="import").count() == 2
    assert Suggestion.objects.get(key="kallio").posts == 1


def test_a_file_with_problems_changes_nothing_and_names_each_line(client_for: Any) -> None:
    response = upload(client_for("official"), BAD)
    assert response.status_code == 400
    body = response.content.decode()
    assert "The file has 2 problems; nothing was imported." in body
    assert "Line 3:" in body and "Line 4:" in body
    assert not Post.objects.exists()
    assert not Source.objects.exists()


@pytest.mark.parametrize(
    ("content", "fmt"),
    [
        (b"\x00\x01\x02\xff\xfe binary", "csv"),
        (b"<html><body>not a feed</body></html>", "facebook"),
        (b'{"not": "facebook"}', "facebook"),
        (b"not json\n", "ndjson"),
        (GOOD, "4cat"),
    ],
)
def test_wrong_files_get_a_report_not_a_500(client_for: Any, content: bytes, fmt: str) -> None:
    response = upload(client_for("official"), content, fmt)
    assert response.status_code == 400
    assert "nothing was imported" in response.content.decode()
    assert not Post.objects.exists()


def test_a_missing_file_or_format_is_a_form_error(client_for: Any) -> None:
    client = client_for("official")
    response = client.post(URL, {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = upload(client, b"", "csv")
    assert "The submitted file is empty." in response.content.decode()
    response = upload(client, GOOD, "exe")
    assert response.status_code == 400
    assert not Post.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client_for: Any, settings: Any) -> None:
    settings.PORTAAT_IMPORT_MAX_MB = 0
    response = upload(client_for("official"), GOOD)
    assert response.status_code == 400
    assert "larger than 0 MB" in response.content.decode()
    assert not Post.objects.exists()
