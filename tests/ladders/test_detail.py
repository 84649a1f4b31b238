from __future__ import annotations

import pytest

from tests.helpers import html_lang

pytestmark = pytest.mark.django_db


def test_it_shows_the_stairs_and_a_table_of_the_levels(client, builtin):
    r = client.get("/ladders/city-planning/")
    assert r.status_code == 200
    text = r.content.decode()
    assert "<h1>Kaupunkisuunnittelun portaat</h1>" in text
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in text
    assert text.count('<th scope="row">') == 8
    assert "Viranhaltijat keskustelevat aktivistien someryhmissä" in text
    assert 'href="/ladders/city-planning/stairs.svg"' in text


def test_it_renders_in_swedish(client, builtin):
    r = client.get("/ladders/city-planning/", HTTP_ACCEPT_LANGUAGE="sv")
    assert html_lang(r.content) == "sv"
    text = r.content.decode()
    assert "<h1>Stadsplaneringens trappa</h1>" in text
    assert "Stödservice för alternativ stadsplanering" in text


def test_it_draws_markers_from_the_query(client, builtin):
    r = client.get("/ladders/generic/?current=3&target=6&p=Aktivistit:5")
    text = r.content.decode()
    assert text.count('class="marker marker-') == 3
    assert "Aktivistit" in text
    # the download link keeps the markers
    assert "stairs.svg?current=3&amp;target=6&amp;p=Aktivistit%3A5" in text


def test_it_ignores_bad_markers_with_a_message(client, builtin):
    r = client.get("/ladders/generic/?current=12")
    assert r.status_code == 200
    text = r.content.decode()
    assert "hds-notification--error" in text
    assert 'class="marker' not in text


def test_it_escapes_a_perspective_label(client, builtin):
    r = client.get("/ladders/generic/", {"p": "<script>alert(1)</script>:2"})
    text = r.content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_it_shows_a_custom_ladder_with_its_origin(client, custom_ladder):
    r = client.get("/ladders/urban-gardening/")
    assert r.status_code == 200
    text = r.content.decode()
    assert "Kaupunkiviljelyn portaat" in text
    assert "Yhdistelmähallinnon yleiset portaat" in text  # copied from


def test_it_offers_edit_and_copy_to_a_coordinator(client_for, custom_ladder):
    text = client_for("coordinator").get("/ladders/urban-gardening/").content.decode()
    assert 'href="/ladders/urban-gardening/edit/"' in text
    assert 'href="/ladders/urban-gardening/copy/"' in text


def test_it_offers_only_copy_of_a_builtin_to_a_coordinator(client_for, builtin):
    text = client_for("coordinator").get("/ladders/generic/").content.decode()
    assert 'href="/ladders/generic/edit/"' not in text
    assert 'href="/ladders/generic/copy/"' in text


@pytest.mark.parametrize("persona", ["anonymous", "activist", "researcher", "official"])
def test_it_offers_no_changes_to_others(client_for, custom_ladder, persona):
    text = client_for(persona).get("/ladders/urban-gardening/").content.decode()
    assert "/edit/" not in text
    assert "/copy/" not in text


def test_it_returns_404_for_an_unknown_ladder(client, builtin):
    assert client.get("/ladders/no-such-ladder/").status_code == 404
