"""/research/<pk>/ and /research/<pk>/grant/: the project's page and a coordinator's decision."""

from __future__ import annotations

import pytest

from portaat.research.models import ResearchProject
from tests.research.conftest import in_english

pytestmark = pytest.mark.django_db

GRANT = {"status": "active", "datasets": ["cases", "posts"], "access_until": "2099-12-31"}


def test_the_project_page_shows_cases_level_and_downloads(client_for, granted):
    from portaat.ladders.models import Step

    text = client_for("researcher").get(f"/research/{granted.pk}/").content.decode()
    assert "Kallion REKO-rengas" in text
    assert f"5 – {Step.objects.get(ladder__slug='reko', level=5).title}" in text
    assert f"/research/{granted.pk}/export/posts.csv" in text
    assert f"/research/{granted.pk}/export/cases.json" in text
    assert f"/research/{granted.pk}/dictionary/" in text
    assert "research-grant" not in text  # no grant form for researchers
    assert "/cases/" not in text  # the researcher may not open the case page


def test_officials_see_the_case_link_but_no_downloads(client_for, granted, ring_case):
    text = client_for("official").get(f"/research/{granted.pk}/").content.decode()
    assert ring_case.get_absolute_url() in text
    assert "/export/" not in text


def test_others_do_not_learn_the_project_exists(client_for, project):
    assert client_for("activist").get(f"/research/{project.pk}/").status_code == 404
    assert client_for("researcher").get("/research/999999/").status_code == 404


def test_a_coordinator_grants(client_for, project, coordinator):
    client = client_for("coordinator")
    assert "research-grant" in client.get(f"/research/{project.pk}/").content.decode()
    response = client.post(f"/research/{project.pk}/grant/", GRANT)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.datasets == ["cases", "posts"]
    assert (project.status, str(project.access_until), project.granted_by) == (
        "active",
        "2099-12-31",
        coordinator,
    )


@pytest.mark.parametrize(
    "data",
    [
        {**GRANT, "datasets": ["people"]},
        {**GRANT, "status": "maybe"},
        {**GRANT, "access_until": "31.13.2026"},
        {},
    ],
)
def test_a_malformed_grant_is_a_400_and_changes_nothing(client_for, project, data):
    response = in_english(client_for("coordinator")).post(f"/research/{project.pk}/grant/", data)
    assert response.status_code == 400
    assert "The decision was not saved" in response.content.decode()
    project.refresh_from_db()
    assert (project.datasets, project.status, project.granted_at) == ([], "proposed", None)


def test_only_coordinators_grant(client_for, project):
    assert client_for("researcher").post(f"/research/{project.pk}/grant/", GRANT).status_code == 403
    assert client_for("official").post(f"/research/{project.pk}/grant/", GRANT).status_code == 403
    assert client_for("activist").post(f"/research/{project.pk}/grant/", GRANT).status_code == 404
    assert ResearchProject.objects.get().datasets == []
