"""/somehallinto/levels/<level>/edit/: coordinators edit the guidance in three languages."""

from __future__ import annotations

import pytest

from portaat.somehallinto.models import Guidance
from tests.somehallinto.conftest import in_english

pytestmark = pytest.mark.django_db

TEXTS = {
    "title_fi": "Osallistu",
    "title_sv": "Delta",
    "title_en": "Take part",
    "body_fi": "Esittäydy ensin.",
    "body_sv": "Presentera dig först.",
    "body_en": "Introduce yourself first.",
}


@pytest.mark.parametrize(("persona", "status"), [("official", 403), ("coordinator", 200)])
def test_only_coordinators_edit(client_for, guidance, persona, status):
    assert client_for(persona).get("/somehallinto/levels/4/edit/").status_code == status
    assert client_for(persona).post("/somehallinto/levels/4/edit/", TEXTS).status_code in (
        status,
        302,
    )


def test_a_coordinator_saves_new_guidance(client_for, guidance, coordinator):
    response = client_for("coordinator").post("/somehallinto/levels/4/edit/", TEXTS)
    assert response["Location"] == "/somehallinto/levels/4/"
    item = Guidance.objects.get(level=4)
    assert (item.title_fi, item.body_sv, item.body_en) == (
        "Osallistu",
        "Presentera dig först.",
        "Introduce yourself first.",
    )
    assert item.updated_by == coordinator


def test_swedish_is_required_and_nothing_changes_without_it(client_for, guidance):
    before = Guidance.objects.get(level=4).body_fi
    response = in_english(client_for("coordinator")).post(
        "/somehallinto/levels/4/edit/", {**TEXTS, "body_sv": ""}
    )
    assert response.status_code == 400
    assert "The guidance was not saved. Check the form." in response.content.decode()
    assert Guidance.objects.get(level=4).body_fi == before
