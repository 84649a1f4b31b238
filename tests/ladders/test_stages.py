from __future__ import annotations

import pytest

from portaat.ladders.models import Stage
from tests.helpers import html_lang

pytestmark = pytest.mark.django_db


def test_it_lists_the_five_stages_from_the_top(client, builtin):
    r = client.get("/stages/")
    assert r.status_code == 200
    text = r.content.decode()
    assert text.count('<li class="stage stage--') == 5
    titles = [Stage.objects.get(number=n).title_fi for n in (5, 4, 3, 2, 1)]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "Aktivismit huomiotta" in text


def test_it_renders_in_swedish(client, builtin):
    r = client.get("/stages/", HTTP_ACCEPT_LANGUAGE="sv")
    assert html_lang(r.content) == "sv"
    assert "Ingen uppmärksamhet åt aktivismen" in r.content.decode()
    assert "Aktivismit huomiotta" not in r.content.decode()


def test_it_renders_in_english(client, builtin):
    r = client.get("/stages/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Activisms ignored" in r.content.decode()


def test_it_says_when_nothing_is_loaded(client, db):
    r = client.get("/stages/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    assert '<li class="stage stage--' not in r.content.decode()
    assert "portaat init" in r.content.decode()


def test_it_marks_the_page_in_the_menu(client, builtin):
    assert 'href="/stages/" aria-current="page"' in client.get("/stages/").content.decode()
