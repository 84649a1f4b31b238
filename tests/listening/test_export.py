"""Researchers' exports of posts: pseudonyms only (no handles, no post addresses, mentions
pseudonymised), in CSV, Excel and JSON, with the page's filters."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.urls import reverse

from portaat.listening.ingest import Ingestor
from portaat.listening.models import PublicAccount
from portaat.listening.privacy import pseudonymise
from tests.listening.conftest import remote_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(source: Any) -> Any:
    PublicAccount.objects.create(platform="mastodon", handle="kallioseura@mastodon.example")
    Ingestor(source, "mastodon").add(
        [
            remote_post(
                1, text="Kiitos @maija@mastodon.example talkoista Kalliossa!", counts={"likes": 3}
            ),
            remote_post(2, text="Seuran tiedote", author_handle="kallioseura@mastodon.example"),
            remote_post(3, text="Spårvagnen", language="sv"),
        ]
    )


def test_researcher_csv_has_only_pseudonyms(client_for: Any, posts: Any) -> None:
    response = client_for("researcher").get(reverse("listening:export", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3
    assert "maija" not in text.lower()
    assert "kallioseura" not in text.lower()  # not even the public account: joined by pseudonym
    assert "https://" not in text  # post addresses name their authors
    first = next(r for r in rows if r["text"].startswith("Kiitos"))
    assert first["author"] == pseudonymise("mastodon", "maija@mastodon.example")
    assert first["text"].startswith(
        "Kiitos @" + pseudonymise("mastodon", "maija@mastodon.example")[:12]
    )
    assert json.loads(first["counts"]) == {"likes": 3}
    assert first["id"] == pseudonymise("mastodon", "post:" + remote_post(1).remote_id)


def test_filters_apply_and_json_and_excel_work(client_for: Any, posts: Any) -> None:
    client = client_for("official")
    data = json.loads(
        client.get(reverse("listening:export", args=["json"]), {"language": "sv"}).content
    )
    assert [row["text"] for row in data] == ["Spårvagnen"]
    xlsx = client.get(reverse("listening:export", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_bad_format_and_bad_filters(client_for: Any, posts: Any) -> None:
    client = client_for("researcher")
    assert client.get("/listening/export.exe").status_code == 404
    response = client.get(reverse("listening:export", args=["csv"]), {"since": "nope"})
    assert response.status_code == 400


def test_activists_may_not_export(client_for: Any, posts: Any) -> None:
    assert client_for("activist").get(reverse("listening:export", args=["csv"])).status_code == 403
