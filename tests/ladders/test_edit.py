from __future__ import annotations

import pytest

from portaat.ladders.models import Ladder, Step
from portaat.ladders.services import texts_of
from tests.helpers import ladder_form_data, translation_of

pytestmark = pytest.mark.django_db


def _snapshot(ladder: Ladder) -> list[dict[str, str]]:
    ladder = Ladder.objects.get(pk=ladder.pk)
    return [texts_of(ladder, "name"), texts_of(ladder, "domain")] + [
        texts_of(step, "title") for step in ladder.steps.all()
    ]


def test_it_shows_the_custom_ladder_in_the_form(client_for, custom_ladder):
    r = client_for("coordinator").get("/ladders/urban-gardening/edit/")
    assert r.status_code == 200
    assert 'value="Kaupunkiviljelyn portaat"' in r.content.decode()
    assert 'value="Step 8"' in r.content.decode()


def test_it_saves_a_custom_ladder(client_for, custom_ladder):
    data = ladder_form_data(custom_ladder, step4_title_fi="Yhteinen kasvimaa", name_en="Gardens")
    r = client_for("coordinator").post("/ladders/urban-gardening/edit/", data)
    assert r.status_code == 302
    assert r["Location"] == "/ladders/urban-gardening/"
    custom_ladder.refresh_from_db()
    assert custom_ladder.name_en == "Gardens"
    assert custom_ladder.slug == "urban-gardening"  # the address stays stable
    assert Step.objects.get(ladder=custom_ladder, level=4).title_fi == "Yhteinen kasvimaa"
    assert custom_ladder.steps.count() == 8


def test_it_lets_another_coordinator_edit(client_for, custom_ladder, admin):
    data = ladder_form_data(custom_ladder, name_fi="Muutettu")
    assert client_for("admin").post("/ladders/urban-gardening/edit/", data).status_code == 302
    custom_ladder.refresh_from_db()
    assert custom_ladder.name_fi == "Muutettu"


@pytest.mark.parametrize("persona", ["coordinator", "admin", "official", "activist", "researcher"])
def test_it_forbids_editing_a_builtin_ladder(client_for, builtin, persona):
    ladder = Ladder.objects.get(slug="city-planning")
    before = _snapshot(ladder)
    client = client_for(persona)
    assert client.get("/ladders/city-planning/edit/").status_code == 403
    data = ladder_form_data(ladder, name_fi="Muutettu", step4_title_fi="Muutettu")
    assert client.post("/ladders/city-planning/edit/", data).status_code == 403
    assert _snapshot(ladder) == before


def test_it_explains_why_a_builtin_cannot_be_edited(client_for, builtin):
    r = client_for("coordinator").get("/ladders/generic/edit/")
    expected = translation_of("Built-in ladders cannot be changed. Make a copy instead.", "fi")
    assert expected in r.content.decode()


@pytest.mark.parametrize("persona", ["official", "activist", "researcher"])
def test_it_forbids_other_roles(client_for, custom_ladder, persona):
    before = _snapshot(custom_ladder)
    client = client_for(persona)
    assert client.get("/ladders/urban-gardening/edit/").status_code == 403
    data = ladder_form_data(custom_ladder, name_fi="Muutettu")
    assert client.post("/ladders/urban-gardening/edit/", data).status_code == 403
    assert _snapshot(custom_ladder) == before


def test_it_sends_anonymous_visitors_to_log_in(client, custom_ladder):
    before = _snapshot(custom_ladder)
    r = client.post("/ladders/urban-gardening/edit/", ladder_form_data(custom_ladder, name_fi="x"))
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/?next=")
    assert _snapshot(custom_ladder) == before


@pytest.mark.parametrize(
    "overrides",
    [
        {"name_fi": "", "name_sv": "", "name_en": ""},
        {"domain_fi": "", "domain_sv": "", "domain_en": ""},
        {"step8_title_fi": "", "step8_title_sv": "", "step8_title_en": "", "name_fi": "Uusi"},
        {"step1_title_fi": "x" * 201, "name_fi": "Uusi"},
        {"description_fi": "x" * 4001, "name_fi": "Uusi"},
    ],
)
def test_bad_input_changes_nothing(client_for, custom_ladder, overrides):
    before = _snapshot(custom_ladder)
    data = ladder_form_data(custom_ladder, **overrides)
    r = client_for("coordinator").post("/ladders/urban-gardening/edit/", data)
    assert r.status_code == 400
    assert _snapshot(custom_ladder) == before
    assert custom_ladder.steps.count() == 8


def test_it_explains_bad_input(client_for, custom_ladder):
    data = ladder_form_data(custom_ladder, step8_title_fi="", step8_title_sv="", step8_title_en="")
    r = client_for("coordinator").post(
        "/ladders/urban-gardening/edit/", data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "The title of step 8 needs a text in at least one language." in r.content.decode()
    assert 'role="alert"' in r.content.decode()
