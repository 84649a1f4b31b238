"""/research/: the projects a user may see."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from tests.research.factories import ResearchProjectFactory

pytestmark = pytest.mark.django_db


def test_researchers_see_their_own_projects_the_administration_all(client_for, researcher, project):
    ResearchProjectFactory(title="Jonkun muun tutkimus", lead=UserFactory())
    mine = client_for("researcher").get("/research/").content.decode()
    assert "REKO-tutkimus" in mine
    assert "Jonkun muun tutkimus" not in mine
    everything = client_for("official").get("/research/").content.decode()
    assert "REKO-tutkimus" in everything and "Jonkun muun tutkimus" in everything


def test_members_see_the_project(client_for, personas, ring_case):
    other = UserFactory(username="other-researcher@example.org")
    ResearchProjectFactory(title="Yhteinen", lead=other, members=[personas["researcher"]])
    assert "Yhteinen" in client_for("researcher").get("/research/").content.decode()


def test_the_list_takes_a_fixed_number_of_queries(client_for, ring_case):
    client = client_for("official")
    for _i in range(3):
        ResearchProjectFactory(cases=[ring_case])
    with CaptureQueriesContext(connection) as few:
        client.get("/research/")
    for _i in range(5):
        ResearchProjectFactory(cases=[ring_case])
    with CaptureQueriesContext(connection) as many:
        client.get("/research/")
    assert len(many) == len(few)


def test_activists_are_refused(client_for, project):
    assert client_for("activist").get("/research/").status_code == 403
