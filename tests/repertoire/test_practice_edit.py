"""Adding and editing the administration's own practices; built-ins stay read-only."""

from __future__ import annotations

import pytest

from portaat.ladders.models import Ladder, Step
from portaat.repertoire import services
from portaat.repertoire.models import Practice

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "activist", "researcher", "official", "coordinator", "admin"]
ADMINISTRATION = ("official", "coordinator", "admin")


def form_data(**changes):
    reko = Ladder.objects.get(slug="reko")
    data = {
        "title_fi": "Jakopaikan pikalupa",
        "title_sv": "Snabbtillstånd för utdelningsplatsen",
        "title_en": "",
        "description_fi": "Lupa viikossa.",
        "resources_fi": "Lupakäsittelijä",
        "risks_fi": "Ruuhka",
        "legal_notes_fi": "Tilapäinen lupa",
        "examples_fi": "Lauttasaari",
        "level_from": "3",
        "level_to": "5",
        "ladders": [str(reko.pk)],
        "action_type": "develop",
        "links": "https://example.org/lupa\n\n http://example.org/toinen \n",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def own(builtin, official):
    return services.save_practice(
        practice=None,
        texts={"title": {"fi": "Vanha otsikko"}},
        level_from=2,
        level_to=2,
        action_type="recognise",
        by=official,
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_the_new_form(builtin, client_for, persona):
    r = client_for(persona).get("/practices/new/")
    if persona == "anonymous":
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/?next=")
    else:
        assert r.status_code == (200 if persona in ADMINISTRATION else 403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_add_a_practice(builtin, client_for, persona):
    r = client_for(persona).post("/practices/new/", form_data())
    created = Practice.objects.filter(step__isnull=True).first()
    if persona in ADMINISTRATION:
        assert r.status_code == 302
        assert created is not None and r["Location"] == f"/practices/{created.pk}/"
    else:
        assert r.status_code in (302, 403)
        assert created is None


def test_a_new_practice_is_saved_with_all_its_parts(builtin, client_for, official):
    r = client_for("official").post("/practices/new/", form_data(), follow=True)
    assert r.status_code == 200
    practice = Practice.objects.get(step__isnull=True)
    assert practice.title_fi == "Jakopaikan pikalupa"
    assert practice.title_sv == "Snabbtillstånd för utdelningsplatsen"
    assert practice.legal_notes_fi == "Tilapäinen lupa"
    assert (practice.level_from, practice.level_to, practice.action_type) == (3, 5, "develop")
    assert [ladder.slug for ladder in practice.ladders.all()] == ["reko"]
    assert practice.links == ["https://example.org/lupa", "http://example.org/toinen"]
    assert practice.created_by == official


@pytest.mark.parametrize(
    "changes",
    [
        {"title_fi": "", "title_sv": "", "title_en": "  "},
        {"level_from": "0"},
        {"level_to": "9"},
        {"level_from": "abc"},
        {"level_from": "6", "level_to": "4"},
        {"level_from": None},
        {"action_type": "everything"},
        {"action_type": None},
        {"ladders": ["999999"]},
        {"ladders": ["x"]},
        {"links": "javascript:alert(1)"},
        {"links": "ftp://example.org/file"},
        {"links": "not a link"},
        {"links": "https://example.org/" + "a" * 600},
        {"links": "\n".join(f"https://example.org/{n}" for n in range(21))},
        {"title_fi": "x" * 201},
        {"description_fi": "x" * 5001},
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(builtin, client_for, changes):
    before = Practice.objects.count()
    r = client_for("official").post("/practices/new/", form_data(**changes))
    assert r.status_code == 400
    assert 'role="alert"' in r.content.decode()
    assert Practice.objects.count() == before


def test_the_social_media_ladder_is_not_a_domain_for_practices(builtin, client_for):
    some = Ladder.objects.get(slug="somehallinto")
    r = client_for("official").post("/practices/new/", form_data(ladders=[str(some.pk)]))
    assert r.status_code == 400


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_edit_an_own_practice(own, client_for, persona):
    r = client_for(persona).get(f"/practices/{own.pk}/edit/")
    if persona == "anonymous":
        assert r.status_code == 302
    else:
        assert r.status_code == (200 if persona in ADMINISTRATION else 403)


def test_the_edit_form_starts_from_the_practice(own, client_for):
    html = client_for("coordinator").get(f"/practices/{own.pk}/edit/").content.decode()
    assert 'value="Vanha otsikko"' in html


def test_editing_saves_through_the_service(own, client_for):
    r = client_for("coordinator").post(
        f"/practices/{own.pk}/edit/", form_data(title_fi="Uusi otsikko", ladders=None)
    )
    assert r.status_code == 302 and r["Location"] == f"/practices/{own.pk}/"
    own.refresh_from_db()
    assert own.title_fi == "Uusi otsikko"
    assert (own.level_from, own.level_to) == (3, 5)
    assert list(own.ladders.all()) == []


def test_a_bad_edit_changes_nothing(own, client_for):
    r = client_for("official").post(
        f"/practices/{own.pk}/edit/", form_data(title_fi="Uusi", links="javascript:x")
    )
    assert r.status_code == 400
    own.refresh_from_db()
    assert own.title_fi == "Vanha otsikko"


@pytest.mark.parametrize("method", ["get", "post"])
def test_builtin_practices_cannot_be_edited(builtin, client_for, method):
    practice = Step.objects.get(ladder__slug="reko", level=3).practice
    title = practice.title_fi
    client = client_for("admin")
    url = f"/practices/{practice.pk}/edit/"
    if method == "post":
        r = client.post(url, form_data(), HTTP_ACCEPT_LANGUAGE="en")
    else:
        r = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 403
    assert "Built-in practices are the ladder's own steps and cannot be changed." in (
        r.content.decode().replace("&#x27;", "'")
    )
    practice.refresh_from_db()
    assert practice.title_fi == title


def test_an_unknown_practice_cannot_be_edited(builtin, client_for):
    assert client_for("official").get("/practices/999999/edit/").status_code == 404
    assert client_for("activist").get("/practices/999999/edit/").status_code == 403


def test_the_form_in_swedish(builtin, client_for):
    r = client_for("official").get("/practices/new/", HTTP_ACCEPT_LANGUAGE="sv")
    html = r.content.decode()
    assert r.status_code == 200 and 'lang="sv"' in html
    assert "REKO-ringarnas trappa" in html  # the ladders in the reader's language
    assert 'lang="fi"' in html and 'name="title_sv"' in html
