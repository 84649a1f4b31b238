"""Dates outside the range the filters accept are refused with a translated error, not a 500."""

from __future__ import annotations

import pytest

from portaat.planning.models import AnalysisSnapshot, TopicRun

pytestmark = pytest.mark.django_db

ERROR = "Valitse päivämäärä väliltä 2000-01-01"
BAD = [{"until": "9999-12-31"}, {"since": "0001-01-01"}, {"since": "1999-12-31"}]


@pytest.mark.parametrize("data", BAD)
@pytest.mark.parametrize("url", ["/planning/", "/planning/export.csv", "/planning/export.geojson"])
def test_pages_and_exports_refuse_far_dates(client_for, areas, analysed, url, data):
    analysed(areas=[areas["kallio"]])
    client = client_for("official")
    client.raise_request_exception = False
    response = client.get(url, data)
    assert response.status_code == 400
    assert ERROR in response.content.decode()


@pytest.mark.parametrize("data", BAD)
@pytest.mark.parametrize("url", ["/planning/topics/", "/planning/attach/"])
def test_posts_refuse_far_dates_and_change_nothing(client_for, areas, analysed, url, data):
    analysed(areas=[areas["kallio"]])
    client = client_for("official")
    client.raise_request_exception = False
    response = client.post(url, data)
    assert response.status_code == 400
    assert ERROR in response.content.decode()
    assert not TopicRun.objects.exists() and not AnalysisSnapshot.objects.exists()


def test_the_first_and_last_accepted_dates_work(client_for, areas, analysed):
    from portaat.listening.forms import latest_date

    analysed(areas=[areas["kallio"]])
    client = client_for("official")
    query = {"since": "2000-01-01", "until": latest_date().isoformat()}
    assert client.get("/planning/", query).status_code == 200
    assert client.get("/planning/export.geojson", query).status_code == 200
