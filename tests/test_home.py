from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import LadderFactory
from tests.helpers import html_lang, translation_of

pytestmark = pytest.mark.django_db

HOW_TO_START = [
    "How to start",
    "For civic actors",
    "For officials and elected members",
    "For researchers",
    "Use the stairs to decide what you want from the administration.",
    "Build citizen science that rewards the people taking part.",
]


def test_it_is_finnish_by_default(client, builtin):
    r = client.get("/")
    assert r.status_code == 200
    assert html_lang(r.content) == "fi"
    text = r.content.decode()
    assert "Yhdistelmähallinnon yleiset portaat" in text
    assert translation_of("The administration and civic action, working together", "fi") in text


@pytest.mark.parametrize(
    ("accept", "lang", "ladder"),
    [
        ("sv", "sv", "Hybridförvaltningens allmänna trappa"),
        ("sv-FI,sv;q=0.9,fi;q=0.8", "sv", "Hybridförvaltningens allmänna trappa"),
        ("en-GB,en;q=0.9", "en", "Generic stairs of hybrid governance"),
        ("de", "fi", "Yhdistelmähallinnon yleiset portaat"),
    ],
)
def test_it_honours_accept_language(client, builtin, accept, lang, ladder):
    r = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert html_lang(r.content) == lang
    assert ladder in r.content.decode()


def test_it_renders_in_english(client, builtin):
    text = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The administration and civic action, working together" in text
    assert "Hybrid governance" in text


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_it_explains_how_to_start_for_each_audience(client, builtin, lang):
    text = client.get("/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    for msgid in HOW_TO_START:
        assert translation_of(msgid, lang) in text, msgid


def test_it_explains_how_to_start_in_english(client, builtin):
    text = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for msgid in HOW_TO_START:
        assert msgid in text
    assert 'id="start-civic"' in text
    assert 'id="start-official"' in text
    assert 'id="start-research"' in text


def test_the_language_switcher_sets_the_language(client, builtin):
    r = client.post("/i18n/setlang/", {"language": "sv", "next": "/ladders/"})
    assert r.status_code == 302
    assert r["Location"] == "/ladders/"
    assert r.cookies["django_language"].value == "sv"
    r = client.get("/")
    assert html_lang(r.content) == "sv"
    assert "Hybridförvaltningens allmänna trappa" in r.content.decode()


def test_the_language_cookie_wins_over_accept_language(client, builtin):
    client.cookies["django_language"] = "en"
    r = client.get("/", HTTP_ACCEPT_LANGUAGE="sv")
    assert html_lang(r.content) == "en"


def test_the_language_switcher_ignores_an_unknown_language(client, builtin):
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert html_lang(client.get("/").content) == "fi"


def test_the_language_switcher_refuses_a_foreign_next(client, builtin):
    r = client.post("/i18n/setlang/", {"language": "sv", "next": "https://evil.example/"})
    assert r.status_code == 302
    assert "evil.example" not in r["Location"]


def test_it_offers_the_three_languages(client, builtin):
    text = client.get("/").content.decode()
    for code in ("fi", "sv", "en"):
        assert f'name="language" value="{code}" lang="{code}"' in text
    current = [tag for tag in re.findall(r"<button[^>]*>", text) if "aria-current" in tag]
    assert len(current) == 1
    assert 'value="fi"' in current[0]


def test_it_draws_the_generic_stairs(client, builtin):
    text = client.get("/").content.decode()
    assert 'aria-labelledby="home-stairs-title home-stairs-desc"' in text


def test_it_works_before_the_data_is_loaded(client, db):
    r = client.get("/")
    assert r.status_code == 200
    assert "<svg" not in r.content.decode().split('<main id="main"', 1)[1]


def test_it_shows_the_admin_link_to_staff_only(client_for, builtin):
    assert 'href="/admin/"' in client_for("admin").get("/").content.decode()
    assert 'href="/admin/"' not in client_for("coordinator").get("/").content.decode()
    assert 'href="/admin/"' not in client_for("anonymous").get("/").content.decode()


def _queries_for_home(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


def test_its_query_count_does_not_grow_with_the_ladders(client_for, builtin):
    client = client_for("official")
    # the home page lists built-in ladders, so some of the extra ones are flagged built-in
    LadderFactory.create_batch(1)
    LadderFactory.create_batch(1, is_builtin=True)
    with_two = _queries_for_home(client)
    LadderFactory.create_batch(4)
    LadderFactory.create_batch(4, is_builtin=True)
    assert _queries_for_home(client) == with_two
    # session, user, roles, unit memberships, ladders, steps, and the crowds permission (menu)
    assert with_two <= 7
