"""/initiatives/matches/<pk>/status/: how a proposed opportunity went."""

from __future__ import annotations

import pytest

from portaat.initiatives import services
from tests.initiatives.conftest import in_english

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(initiative, catalogue, official):
    return services.propose(initiative, catalogue["reko_grant"], by=official)


def test_the_activist_reports_applying(client_for, match):
    response = client_for("activist").post(
        f"/initiatives/matches/{match.pk}/status/",
        {f"m{match.pk}-status": "applying", f"m{match.pk}-note": "Haku jätetty 1.12."},
    )
    assert response.status_code == 302
    match.refresh_from_db()
    assert (match.status, match.note) == ("applying", "Haku jätetty 1.12.")
    match.initiative.refresh_from_db()
    assert match.initiative.status == "under_way"


def test_a_bad_status_is_refused(client_for, match):
    response = in_english(client_for("official")).post(
        f"/initiatives/matches/{match.pk}/status/", {f"m{match.pk}-status": "won"}
    )
    assert response.status_code == 400
    assert "Choose a status from the list." in response.content.decode()
    match.refresh_from_db()
    assert match.status == "proposed"


def test_outsiders_cannot_change_it(client_for, match, client):
    url = f"/initiatives/matches/{match.pk}/status/"
    assert (
        client_for("researcher").post(url, {f"m{match.pk}-status": "declined"}).status_code == 404
    )
    assert client.post(url, {f"m{match.pk}-status": "declined"}).status_code == 404
    assert client_for("official").get(url).status_code == 405
    match.refresh_from_db()
    assert match.status == "proposed"
