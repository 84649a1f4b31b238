from __future__ import annotations

import pytest

from portaat.ladders.models import Ladder, Step
from tests.helpers import ladder_form_data

pytestmark = pytest.mark.django_db


def _copy_data(source: Ladder, **overrides: str) -> dict[str, str]:
    names = {
        "name_fi": "Kirjastoaktivismin portaat",
        "name_sv": "Biblioteksaktivismens trappa",
        "name_en": "Library activism stairs",
    }
    return ladder_form_data(source, **{**names, **overrides})


def test_it_shows_the_form_filled_from_the_source(client_for, builtin):
    r = client_for("coordinator").get("/ladders/city-planning/copy/")
    assert r.status_code == 200
    text = r.content.decode()
    assert 'name="step8_title_sv"' in text
    assert 'value="Stödservice för alternativ stadsplanering"' in text
    # the proposed name is not the source's own name
    assert 'value="Kaupunkisuunnittelun portaat"' not in text


def test_it_copies_a_builtin_ladder(client_for, builtin, coordinator):
    source = Ladder.objects.get(slug="city-planning")
    r = client_for("coordinator").post("/ladders/city-planning/copy/", _copy_data(source))
    ladder = Ladder.objects.get(name_fi="Kirjastoaktivismin portaat")
    assert r.status_code == 302
    assert r["Location"] == f"/ladders/{ladder.slug}/"
    assert ladder.slug == "kirjastoaktivismin-portaat"
    assert not ladder.is_builtin
    assert ladder.based_on == source
    assert ladder.created_by == coordinator
    assert ladder.kind == source.kind
    assert ladder.steps.count() == 8
    assert list(ladder.steps.values_list("title_sv", flat=True)) == list(
        source.steps.values_list("title_sv", flat=True)
    )
    # the source is untouched
    assert source.steps.count() == 8
    assert Step.objects.filter(ladder=source, level=5).get().title_fi == (
        "Vaihtoehtoisen kaupunkisuunnittelun tukipalvelu"
    )


def test_it_keeps_the_kind_of_the_source(client_for, builtin):
    source = Ladder.objects.get(slug="somehallinto")
    client_for("coordinator").post("/ladders/somehallinto/copy/", _copy_data(source))
    assert Ladder.objects.get(name_fi="Kirjastoaktivismin portaat").kind == "social_media"


def test_it_copies_a_custom_ladder(client_for, custom_ladder):
    r = client_for("coordinator").post("/ladders/urban-gardening/copy/", _copy_data(custom_ladder))
    assert r.status_code == 302
    assert Ladder.objects.get(name_fi="Kirjastoaktivismin portaat").based_on == custom_ladder


def test_it_picks_a_free_slug(client_for, builtin):
    source = Ladder.objects.get(slug="generic")
    client = client_for("coordinator")
    client.post("/ladders/generic/copy/", _copy_data(source))
    client.post("/ladders/generic/copy/", _copy_data(source))
    slugs = set(Ladder.objects.filter(is_builtin=False).values_list("slug", flat=True))
    assert slugs == {"kirjastoaktivismin-portaat", "kirjastoaktivismin-portaat-2"}


def test_it_accepts_a_ladder_in_finnish_only(client_for, builtin):
    source = Ladder.objects.get(slug="generic")
    data = _copy_data(source, name_sv="", name_en="", domain_sv="", domain_en="")
    for level in range(1, 9):
        data[f"step{level}_title_sv"] = data[f"step{level}_title_en"] = ""
    r = client_for("coordinator").post("/ladders/generic/copy/", data)
    assert r.status_code == 302
    ladder = Ladder.objects.get(name_fi="Kirjastoaktivismin portaat")
    assert ladder.name_sv == ""
    assert ladder.steps.count() == 8


@pytest.mark.parametrize("persona", ["activist", "researcher", "official"])
def test_it_forbids_other_roles(client_for, builtin, persona):
    client = client_for(persona)
    source = Ladder.objects.get(slug="generic")
    assert client.get("/ladders/generic/copy/").status_code == 403
    assert client.post("/ladders/generic/copy/", _copy_data(source)).status_code == 403
    assert not Ladder.objects.filter(is_builtin=False).exists()


def test_it_sends_anonymous_visitors_to_log_in(client, builtin):
    r = client.get("/ladders/generic/copy/")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/?next=/ladders/generic/copy/"
    source = Ladder.objects.get(slug="generic")
    r = client.post("/ladders/generic/copy/", _copy_data(source))
    assert r.status_code == 302
    assert not Ladder.objects.filter(is_builtin=False).exists()


def test_it_rejects_a_step_without_a_title(client_for, builtin):
    source = Ladder.objects.get(slug="generic")
    data = _copy_data(source, step3_title_fi="", step3_title_sv="", step3_title_en="")
    r = client_for("coordinator").post("/ladders/generic/copy/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert "The title of step 3 needs a text in at least one language." in r.content.decode()
    assert Ladder.objects.count() == 5
    assert Step.objects.count() == 40


def test_it_rejects_a_ladder_without_a_name(client_for, builtin):
    source = Ladder.objects.get(slug="generic")
    data = _copy_data(source, name_fi="", name_sv="  ", name_en="")
    r = client_for("coordinator").post("/ladders/generic/copy/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert "The name needs a text in at least one language." in r.content.decode()
    assert Ladder.objects.count() == 5


def test_it_rejects_too_long_a_title(client_for, builtin):
    source = Ladder.objects.get(slug="generic")
    data = _copy_data(source, step1_title_fi="x" * 201)
    r = client_for("coordinator").post("/ladders/generic/copy/", data)
    assert r.status_code == 400
    assert 'aria-invalid="true"' in r.content.decode()
    assert Ladder.objects.count() == 5


def test_it_keeps_what_was_typed_after_an_error(client_for, builtin):
    source = Ladder.objects.get(slug="generic")
    data = _copy_data(source, name_fi="", name_sv="", name_en="", domain_fi="Kirjastot")
    r = client_for("coordinator").post("/ladders/generic/copy/", data)
    assert 'value="Kirjastot"' in r.content.decode()


def test_it_returns_404_for_an_unknown_source(client_for, builtin):
    assert client_for("coordinator").get("/ladders/nope/copy/").status_code == 404
