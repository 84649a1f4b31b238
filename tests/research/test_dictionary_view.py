"""/research/<pk>/dictionary/: what each export holds, translated."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.research.conftest import in_english

pytestmark = pytest.mark.django_db


def test_the_dictionary_lists_every_field(client_for, granted):
    with translation.override("en"):
        text = in_english(client_for("researcher")).get(f"/research/{granted.pk}/dictionary/")
    body = text.content.decode()
    for field in ("activism", "current_level", "perspective", "author", "text", "tags"):
        assert f"<code>{field}</code>" in body
    assert "The author&#x27;s pseudonym in this project." in body


def test_the_dictionary_is_translated(client_for, granted):
    body = client_for("researcher").get(f"/research/{granted.pk}/dictionary/").content.decode()
    assert 'lang="fi"' in body


def test_the_dictionary_is_for_the_project_only(client_for, granted):
    assert client_for("activist").get(f"/research/{granted.pk}/dictionary/").status_code == 404
