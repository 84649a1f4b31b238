"""/somehallinto/levels/<level>/: the guidance of one level, public."""

from __future__ import annotations

import pytest

from tests.somehallinto.conftest import in_english

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["anonymous", "activist", "official"])
def test_the_guidance_is_public(client_for, guidance, persona):
    response = in_english(client_for(persona)).get("/somehallinto/levels/4/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Level 4: Take part in the groups&#x27; discussion" in page or "Level 4" in page
    assert "Archives Act" in page
    assert 'href="/somehallinto/levels/5/"' in page and 'href="/somehallinto/levels/3/"' in page


@pytest.mark.parametrize(("language", "text"), [("fi", "arkistolain"), ("sv", "arkivlagen")])
def test_the_guidance_is_in_finnish_and_swedish(client_for, guidance, language, text):
    from django.conf import settings

    client = client_for("anonymous")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert text in client.get("/somehallinto/levels/4/").content.decode()


@pytest.mark.parametrize("level", [0, 9, 123])
def test_a_level_outside_the_stairs_is_not_found(client_for, guidance, level):
    assert client_for("official").get(f"/somehallinto/levels/{level}/").status_code == 404


def test_only_coordinators_see_the_edit_link(client_for, guidance):
    assert (
        "/levels/4/edit/"
        not in client_for("official").get("/somehallinto/levels/4/").content.decode()
    )
    assert (
        "/levels/4/edit/"
        in client_for("coordinator").get("/somehallinto/levels/4/").content.decode()
    )
