"""/somehallinto/: an official's own level, target, learning path and progress."""

from __future__ import annotations

import pytest

from portaat.somehallinto.models import SelfAssessment
from tests.somehallinto.conftest import in_english

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"),
    [("activist", 403), ("researcher", 403), ("official", 200), ("coordinator", 200)],
)
def test_who_may_assess_themselves(client_for, guidance, persona, status):
    assert client_for(persona).get("/somehallinto/").status_code == status


def test_an_official_assesses_and_the_learning_path_points_to_the_next_level(
    client_for, guidance, official
):
    client = in_english(client_for("official"))
    response = client.post(
        "/somehallinto/", {"current_level": "3", "target_level": "5", "note": "Seuraan ryhmiä"}
    )
    assert response.status_code == 302
    saved = SelfAssessment.objects.get()
    assert (saved.official, saved.current_level, saved.target_level) == (official, 3, 5)
    page = client.get("/somehallinto/").content.decode()
    assert "Your latest self-assessment: level 3 now, level 5 as the target." in page
    # level 4 is the next one, with its guidance linked
    assert 'class="sh-path__item is-next"' in page
    next_item = page.split('class="sh-path__item is-next"')[1].split("</li>")[0]
    assert 'href="/somehallinto/levels/4/"' in next_item
    assert "Seuraan ryhmiä" in page  # the history


@pytest.mark.parametrize(
    "data",
    [
        {"current_level": "9", "target_level": "5"},
        {"current_level": "kolme", "target_level": "5"},
        {"current_level": "3"},
        {"current_level": "3", "target_level": "5", "note": "x" * 1001},
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(client_for, guidance, data):
    response = in_english(client_for("official")).post("/somehallinto/", data)
    assert response.status_code == 400
    assert "The self-assessment was not saved. Check the form." in response.content.decode()
    assert not SelfAssessment.objects.exists()
