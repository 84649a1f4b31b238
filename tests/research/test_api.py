"""/api/v1/research-projects/: the projects the reader may see."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from tests.research.factories import ResearchProjectFactory

pytestmark = pytest.mark.django_db


def test_researchers_read_their_projects(client_for, granted, ring_case):
    ResearchProjectFactory(lead=UserFactory(), cases=[ring_case], title="Muiden")
    found = client_for("researcher").get("/api/v1/research-projects/").json()["results"]
    assert [p["title"] for p in found] == ["REKO-tutkimus"]
    (project,) = found
    assert project["cases"] == [ring_case.pk]
    assert project["datasets"] == ["activisms", "cases", "assessments", "posts"]
    assert project["status"] == "active"
    assert "secret" not in project


def test_the_administration_reads_all_and_filters_by_status(client_for, granted, ring_case):
    ResearchProjectFactory(lead=UserFactory(), cases=[ring_case], title="Muiden")
    client = client_for("official")
    assert len(client.get("/api/v1/research-projects/").json()["results"]) == 2
    active = client.get("/api/v1/research-projects/?status=active").json()["results"]
    assert [p["title"] for p in active] == ["REKO-tutkimus"]
    assert client.get("/api/v1/research-projects/?status=nope").status_code == 400


def test_others_are_refused(client_for, granted):
    assert client_for("anonymous").get("/api/v1/research-projects/").status_code == 403
    assert client_for("activist").get("/api/v1/research-projects/").status_code == 403
    other = UserFactory(username="r2@example.org", role="researcher")
    from django.test import Client

    client = Client()
    client.force_login(other)
    assert client.get(f"/api/v1/research-projects/{granted.pk}/").status_code == 404


def test_the_api_is_read_only(client_for, granted):
    client = client_for("coordinator")
    response = client.patch(
        f"/api/v1/research-projects/{granted.pk}/",
        {"status": "ended"},
        content_type="application/json",
    )
    assert response.status_code in (403, 405)
