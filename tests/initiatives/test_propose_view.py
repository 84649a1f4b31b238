"""/initiatives/<pk>/propose/: an official proposes an opportunity to an initiative."""

from __future__ import annotations

import pytest

from portaat.initiatives.models import Match
from portaat.models import Notification
from tests.initiatives.conftest import in_english

pytestmark = pytest.mark.django_db


def test_an_official_proposes_and_the_activist_is_notified(
    client_for, initiative, catalogue, activist
):
    grant = catalogue["reko_grant"]
    response = client_for("official").post(
        f"/initiatives/{initiative.pk}/propose/", {"opportunity": grant.pk, "note": "Hakekaa!"}
    )
    assert response.status_code == 302
    match = Match.objects.get()
    assert (match.opportunity, match.note) == (grant, "Hakekaa!")
    assert Notification.objects.filter(user=activist, kind="initiative_match").exists()
    page = client_for("activist").get(f"/initiatives/{initiative.pk}/").content.decode()
    assert "Lähiruoka-avustus" in page and "Hakekaa!" in page
    texts = in_english(client_for("activist")).get("/notifications/").content.decode()
    assert "The city proposed a way forward for your initiative" in texts


@pytest.mark.parametrize(
    ("opportunity", "message"),
    [
        ("999999999", "There is no such opportunity."),
        ("x", "Enter a whole number."),
        ("99999999999999999999999", "less than or equal to"),
    ],
)
def test_a_bad_opportunity_is_refused(client_for, initiative, opportunity, message):
    response = in_english(client_for("official")).post(
        f"/initiatives/{initiative.pk}/propose/", {"opportunity": opportunity}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Match.objects.exists()


def test_a_past_or_repeated_proposal_is_refused(client_for, initiative, catalogue):
    client = in_english(client_for("official"))
    url = f"/initiatives/{initiative.pk}/propose/"
    response = client.post(url, {"opportunity": catalogue["expired"].pk})
    assert response.status_code == 400
    assert "The deadline of this opportunity has passed." in response.content.decode()
    assert client.post(url, {"opportunity": catalogue["reko_grant"].pk}).status_code == 302
    again = client.post(url, {"opportunity": catalogue["reko_grant"].pk})
    assert again.status_code == 400
    assert "already been proposed" in again.content.decode()
    assert Match.objects.count() == 1


def test_activists_cannot_propose(client_for, initiative, catalogue):
    response = client_for("activist").post(
        f"/initiatives/{initiative.pk}/propose/", {"opportunity": catalogue["reko_grant"].pk}
    )
    assert response.status_code == 403
    assert not Match.objects.exists()
