from __future__ import annotations

import pytest
from django.test import RequestFactory

from portaat import views
from tests.helpers import html_lang, translation_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_404_page_is_translated(client, lang):
    r = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=lang)
    assert r.status_code == 404
    assert html_lang(r.content) == lang
    text = r.content.decode()
    assert f"<h1>{translation_of('Page not found', lang)}</h1>" in text
    assert translation_of("Go to the front page", lang) in text


def test_the_404_page_in_english(client):
    r = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 404
    assert "<h1>Page not found</h1>" in r.content.decode()


def test_the_404_page_is_finnish_by_default(client):
    r = client.get("/no-such-page/")
    assert html_lang(r.content) == "fi"


def test_the_403_page_explains(client_for, builtin):
    r = client_for("official").get("/ladders/generic/copy/", HTTP_ACCEPT_LANGUAGE="sv")
    assert r.status_code == 403
    assert html_lang(r.content) == "sv"
    assert translation_of("Not allowed", "sv") in r.content.decode()


def test_the_500_page_renders_without_a_database(rf: RequestFactory):
    request = rf.get("/")
    r = views.error_500(request)
    assert r.status_code == 500
    assert b"<html" in r.content


def test_the_400_page_renders(rf: RequestFactory):
    r = views.error_400(rf.get("/"))
    assert r.status_code == 400


@pytest.mark.django_db
def test_an_unknown_api_address_gets_a_json_404():
    from django.test import Client

    for path in ("/api/v1/no-such-thing/", "/api/v1/cases/null,null/recommendations/"):
        response = Client(HTTP_ACCEPT_LANGUAGE="en").get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Not found."}
    assert Client().get("/no-such-page/")["Content-Type"].startswith("text/html")
