"""/figures/activisms/<pk>/: officials record and correct figures and manage links."""

from __future__ import annotations

import pytest

from portaat.figures.models import FigureLink, FigureReport
from tests.figures.conftest import in_english, last_month

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"), [("activist", 403), ("researcher", 403), ("official", 200)]
)
def test_who_may_open_the_figures_page(client_for, ring, persona, status):
    assert client_for(persona).get(f"/figures/activisms/{ring.pk}/").status_code == status


def test_an_official_records_and_corrects_a_month(client_for, ring, official):
    client = client_for("official")
    url = f"/figures/activisms/{ring.pk}/"
    assert (
        client.post(url, {"figures-period": last_month(), "figures-orders": "40"}).status_code
        == 302
    )
    refused = in_english(client).post(url, {"figures-period": last_month(), "figures-orders": "41"})
    assert refused.status_code == 400
    assert "have already been reported" in refused.content.decode()
    corrected = client.post(
        url, {"figures-period": last_month(), "figures-orders": "41", "figures-correct": "on"}
    )
    assert corrected.status_code == 302
    report = FigureReport.objects.get()
    assert (report.values, report.by) == ({"orders": 41}, official)


def test_a_link_is_shown_once_and_can_be_revoked(client_for, ring):
    client = client_for("official")
    client.post(f"/figures/activisms/{ring.pk}/links/", {"label": "REKO – koordinaattori"})
    link = FigureLink.objects.get()
    first = client.get(f"/figures/activisms/{ring.pk}/").content.decode()
    assert f"/figures/s/{link.secret}/" in first
    again = client.get(f"/figures/activisms/{ring.pk}/").content.decode()
    assert link.secret not in again
    client.post(f"/figures/links/{link.pk}/revoke/")
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_a_link_without_a_label_is_refused(client_for, ring):
    response = client_for("official").post(f"/figures/activisms/{ring.pk}/links/", {"label": ""})
    assert response.status_code == 400
    assert not FigureLink.objects.exists()
