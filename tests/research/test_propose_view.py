"""/research/new/: researchers and the administration propose projects on cases."""

from __future__ import annotations

import pytest

from portaat.research.models import ResearchProject
from tests.research.conftest import in_english

pytestmark = pytest.mark.django_db


def test_a_researcher_proposes_a_project(client_for, researcher, ring_case):
    client = client_for("researcher")
    page = client.get("/research/new/")
    assert page.status_code == 200
    assert "Kallion REKO-rengas" in page.content.decode()  # a public activism's case
    response = client.post(
        "/research/new/",
        {
            "title": "REKO ja kaupunki",
            "organisation": "Tampereen yliopisto",
            "summary": "Yhteistyön muodot.",
            "intended_level": "6",
            "cases": [ring_case.pk],
        },
    )
    project = ResearchProject.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/research/{project.pk}/"
    assert (project.lead, project.intended_level, project.status) == (researcher, 6, "proposed")
    assert list(project.cases.all()) == [ring_case]
    assert project.datasets == []


def test_a_malformed_proposal_is_refused_and_nothing_is_saved(client_for, ring_case):
    client = in_english(client_for("researcher"))
    response = client.post(
        "/research/new/",
        {"title": "", "organisation": "X", "summary": "Y", "intended_level": "9", "cases": []},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Choose at least one case." in text
    assert "Select a valid choice" in text
    assert not ResearchProject.objects.exists()


def test_a_case_id_out_of_range_is_an_error_not_a_crash(client_for, ring_case):
    response = client_for("researcher").post(
        "/research/new/",
        {
            "title": "T",
            "organisation": "O",
            "summary": "S",
            "intended_level": "3",
            "cases": ["99999999999999999999"],
        },
    )
    assert response.status_code == 400


def test_activists_do_not_propose(client_for, ring_case):
    assert client_for("activist").get("/research/new/").status_code == 403
    assert client_for("anonymous").get("/research/new/").status_code == 302
