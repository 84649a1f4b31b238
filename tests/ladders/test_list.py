from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import LadderFactory
from tests.helpers import html_lang

pytestmark = pytest.mark.django_db

BUILTIN_NAMES_FI = [
    "Yhdistelmähallinnon yleiset portaat",
    "Kaupunkisuunnittelun portaat",
    "Vertaislainauksen portaat",
    "REKO-renkaiden portaat",
    "Somehallinnon portaat",
]


def test_it_lists_the_builtin_ladders_in_finnish(client, builtin):
    r = client.get("/ladders/")
    assert r.status_code == 200
    assert html_lang(r.content) == "fi"
    text = r.content.decode()
    for name in BUILTIN_NAMES_FI:
        assert name in text
    # built-ins are listed with their eight steps
    assert "Vaihtoehtoisen kaupunkisuunnittelun tukipalvelu" in text


def test_it_keeps_the_builtin_order(client, builtin):
    text = client.get("/ladders/").content.decode()
    positions = [text.index(name) for name in BUILTIN_NAMES_FI]
    assert positions == sorted(positions)


def test_it_renders_in_swedish(client, builtin):
    r = client.get("/ladders/", HTTP_ACCEPT_LANGUAGE="sv")
    assert html_lang(r.content) == "sv"
    assert "Stadsplaneringens trappa" in r.content.decode()
    assert "Kaupunkisuunnittelun portaat" not in r.content.decode()


def test_it_renders_in_english(client, builtin):
    r = client.get("/ladders/", HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(r.content) == "en"
    assert "City planning stairs" in r.content.decode()


def test_it_lists_custom_ladders_apart(client, custom_ladder):
    text = client.get("/ladders/").content.decode()
    assert "Kaupunkiviljelyn portaat" in text
    # custom ladders come after every built-in one
    assert text.index("Kaupunkiviljelyn portaat") > text.index("Somehallinnon portaat")
    assert 'href="/ladders/urban-gardening/"' in text


def test_it_links_each_ladder(client, builtin):
    text = client.get("/ladders/").content.decode()
    for slug in ("generic", "city-planning", "peer-lending", "reko", "somehallinto"):
        assert f'href="/ladders/{slug}/"' in text


def test_it_only_answers_get(client, builtin):
    assert client.post("/ladders/").status_code == 405


def _queries_for_list(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/ladders/").status_code == 200
    return len(ctx.captured_queries)


def test_its_query_count_does_not_grow_with_the_ladders(client_for, builtin):
    client = client_for("coordinator")
    LadderFactory.create_batch(2)
    with_two = _queries_for_list(client)
    LadderFactory.create_batch(8)
    with_ten = _queries_for_list(client)
    assert with_ten == with_two
    assert with_two <= 6
