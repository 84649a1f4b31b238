"""Attaching an analysis to a case: a frozen snapshot, shown on the case page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portaat.planning import queries, services
from portaat.planning.models import AnalysisSnapshot
from tests.factories import CaseFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentions(areas, source, analysed):
    for _ in range(3):
        analysed(source=source, areas=[areas["kallio"]], lang="fi")
    analysed(source=source, areas=[areas["pasila"]], lang="sv")
    return source


def test_it_attaches_a_snapshot_shown_on_the_case(client_for, official, reko_case, mentions):
    client = client_for("official")
    response = client.post(
        "/planning/attach/",
        {"case": reko_case.pk, "source": mentions.pk, "title": "", "note": "Kallio puhuttaa"},
    )
    assert response.status_code == 302
    snapshot = AnalysisSnapshot.objects.get()
    assert response["Location"] == f"/cases/{reko_case.pk}/#snapshot-{snapshot.pk}"
    assert snapshot.created_by == official
    assert snapshot.filters["source"] == mentions.pk
    figures = snapshot.figures
    assert figures["posts"] == 4
    assert figures["languages"] == {"fi": 3, "sv": 1, "en": 0, "other": 0}
    assert [(p["name"], p["count"]) for p in figures["places"]] == [("Kallio", 3), ("Pasila", 1)]
    assert "text" not in str(figures)  # counts only, never post texts
    page = client.get(f"/cases/{reko_case.pk}/").content.decode()
    assert f'id="snapshot-{snapshot.pk}"' in page
    assert "Kallio puhuttaa" in page and "Kallio (3)" in page


def test_the_snapshot_stays_as_it_was(client_for, reko_case, mentions, areas, analysed):
    client_for("official").post("/planning/attach/", {"case": reko_case.pk})
    analysed(areas=[areas["kallio"]])
    snapshot = AnalysisSnapshot.objects.get()
    assert snapshot.figures["places"][0]["count"] == 3


def test_a_case_the_user_cannot_edit_is_refused(client_for, official, reko_case, mentions):
    elsewhere = CaseFactory(unit=UnitFactory(slug="elsewhere"))
    response = client_for("official").post("/planning/attach/", {"case": elsewhere.pk})
    assert response.status_code == 400
    assert "Valitse oikea vaihtoehto" in response.content.decode()
    assert not AnalysisSnapshot.objects.exists()


def test_the_service_checks_the_case_too(official, builtin, mentions):
    elsewhere = CaseFactory(unit=UnitFactory(slug="elsewhere"))
    with (
        pytest.raises(ValidationError, match=r"You may not add evidence to this case\."),
        translation.override("en"),
    ):
        services.attach_snapshot(elsewhere, filters=queries.AnalysisFilters(), by=official)
    assert not AnalysisSnapshot.objects.exists()


@pytest.mark.parametrize("case", ["", "abc", "99999999"])
def test_a_missing_or_unknown_case_is_refused(client_for, reko_case, mentions, case):
    response = client_for("official").post("/planning/attach/", {"case": case})
    assert response.status_code == 400
    assert not AnalysisSnapshot.objects.exists()


def test_bad_filters_change_nothing(client_for, reko_case, mentions):
    response = client_for("official").post(
        "/planning/attach/", {"case": reko_case.pk, "since": "yesterday"}
    )
    assert response.status_code == 400
    assert "Syötä oikea päivämäärä" in response.content.decode()
    assert not AnalysisSnapshot.objects.exists()


def test_the_activist_does_not_see_the_snapshots(client_for, reko_case, mentions):
    client_for("official").post("/planning/attach/", {"case": reko_case.pk})
    page = client_for("activist").get(f"/cases/{reko_case.pk}/")
    assert page.status_code == 200
    assert "snapshot-" not in page.content.decode()


def test_without_cases_to_change_nothing_is_attached(client_for, builtin, mentions):
    client = client_for("official")  # no unit: no case to change
    body = client.get("/planning/").content.decode()
    assert "Sinulla ei ole oikeutta lisätä aineistoa mihinkään tapaukseen." in body
    response = client.post("/planning/attach/", {"case": "1"})
    assert response.status_code == 400
    assert not AnalysisSnapshot.objects.exists()
