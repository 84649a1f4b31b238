"""/research/<pk>/export/<dataset>.csv and .json: pseudonymised exports of what was granted."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.utils import timezone

from portaat.research.models import Dataset, ExportLog
from tests.research.conftest import SECRETS, in_english

pytestmark = pytest.mark.django_db


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def _clean(text: str) -> None:
    for secret in SECRETS:
        assert secret.lower() not in text.lower(), secret


@pytest.mark.parametrize("dataset", Dataset.values)
def test_every_csv_export_is_pseudonymised(client_for, granted, dataset):
    response = client_for("researcher").get(f"/research/{granted.pk}/export/{dataset}.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"research-{granted.pk}-{dataset}.csv" in response["Content-Disposition"]
    text = _csv(response)
    assert text.startswith("\ufeff")
    _clean(text)
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows
    assert ExportLog.objects.get().rows == len(rows)


def test_the_posts_csv_holds_the_redacted_post(client_for, granted):
    text = _csv(client_for("researcher").get(f"/research/{granted.pk}/export/posts.csv"))
    (row,) = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert row["platform"] == "mastodon"
    assert row["text"].startswith("[name] jakaa torstaina!")
    assert len(row["author"]) == len(row["post"]) == 16
    assert row["counts"] == '{"replies": 2}'


def test_formula_cells_are_neutralised(client_for, granted):
    from portaat.listening.models import Post

    Post.objects.update(text="=HYPERLINK(1)")
    text = _csv(client_for("researcher").get(f"/research/{granted.pk}/export/posts.csv"))
    assert "'=HYPERLINK(1)" in text


@pytest.mark.parametrize("dataset", Dataset.values)
def test_every_json_export_has_its_dictionary(client_for, granted, dataset):
    response = in_english(client_for("researcher")).get(
        f"/research/{granted.pk}/export/{dataset}.json"
    )
    assert response.status_code == 200
    _clean(response.content.decode())
    document = json.loads(response.content)
    assert document["dataset"] == dataset
    assert document["project"]["id"] == granted.pk
    assert {f["field"] for f in document["dictionary"]} == set(document["rows"][0])
    assert all(f["description"] for f in document["dictionary"])
    assert ExportLog.objects.get().format == "json"


def test_the_json_export_of_cases(client_for, granted):
    document = client_for("researcher").get(f"/research/{granted.pk}/export/cases.json").json()
    (case,) = document["rows"]
    assert (case["ladder"], case["current_level"], case["target_level"]) == ("reko", 4, 3)
    pseudonymised = {f["field"] for f in document["dictionary"] if f["pseudonymised"]}
    assert pseudonymised == {"case", "activism"}


def test_coordinators_may_download_too(client_for, granted):
    response = client_for("coordinator").get(f"/research/{granted.pk}/export/cases.json")
    assert response.status_code == 200


def test_a_dataset_not_granted_is_refused_and_not_logged(client_for, project, coordinator):
    from portaat.research import services

    services.grant(project, by=coordinator, datasets=["cases"], status="active", access_until=None)
    response = in_english(client_for("researcher")).get(f"/research/{project.pk}/export/posts.csv")
    assert response.status_code == 403
    assert "has not been granted" in response.content.decode()
    assert not ExportLog.objects.exists()


def test_an_unknown_dataset_is_a_404(client_for, granted):
    response = client_for("researcher").get(f"/research/{granted.pk}/export/people.csv")
    assert response.status_code == 404
    assert not ExportLog.objects.exists()


def test_a_proposed_project_exports_nothing(client_for, project):
    assert (
        client_for("researcher").get(f"/research/{project.pk}/export/cases.csv").status_code == 403
    )
    assert not ExportLog.objects.exists()


def test_expired_access_is_refused(client_for, granted):
    granted.access_until = timezone.localdate() - dt.timedelta(days=1)
    granted.save()
    response = in_english(client_for("researcher")).get(f"/research/{granted.pk}/export/cases.json")
    assert response.status_code == 403
    assert "access to its data ended" in response.content.decode()
    assert not ExportLog.objects.exists()


def test_outsiders_and_officials_do_not_download(client_for, granted):
    assert client_for("official").get(f"/research/{granted.pk}/export/cases.csv").status_code == 403
    assert client_for("activist").get(f"/research/{granted.pk}/export/cases.csv").status_code == 404
    assert (
        client_for("anonymous").get(f"/research/{granted.pk}/export/cases.csv").status_code == 302
    )
    assert not ExportLog.objects.exists()


def test_downloads_are_listed_on_the_project_page(client_for, granted):
    client = client_for("researcher")
    client.get(f"/research/{granted.pk}/export/assessments.csv")
    text = client.get(f"/research/{granted.pk}/").content.decode()
    assert "researcher@example.org" in text
    assert "CSV" in text
