"""An account that stops being public — its entry deleted in the admin, or its handle changed —
no longer shows its handle on the posts collected while it was public: they show the pseudonym,
as every other author's posts do (pages and API). Other accounts' posts are untouched."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from portaat.listening.ingest import Ingestor
from portaat.listening.models import Post, PublicAccount
from tests.listening.conftest import remote_post

pytestmark = pytest.mark.django_db
URL = reverse("listening:posts")
SEURA = "kallioseura@mastodon.example"
KIRJASTO = "kirjasto@mastodon.example"


@pytest.fixture
def accounts(source: Any) -> dict[str, PublicAccount]:
    found = {
        handle: PublicAccount.objects.create(platform="mastodon", handle=handle)
        for handle in (SEURA, KIRJASTO)
    }
    Ingestor(source, "mastodon").add(
        [
            remote_post(1, text="Seuran tiedote.", author_handle=SEURA),
            remote_post(2, text="Kirjaston tiedote.", author_handle=KIRJASTO),
            remote_post(3, text="Asukkaan viesti."),
        ]
    )
    return found


def test_deleting_the_entry_in_the_admin_hides_the_handle(client_for: Any, accounts: Any) -> None:
    official, admin = client_for("official"), client_for("admin")
    assert SEURA in official.get(URL).content.decode()
    entry = accounts[SEURA]
    response = admin.post(
        reverse("admin:listening_publicaccount_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    body = official.get(URL).content.decode()
    assert SEURA not in body and "kallioseura" not in body
    assert KIRJASTO in body  # still public
    post = Post.objects.get(text="Seuran tiedote.")
    assert post.author_handle == "" and post.author_pseudonym
    api = official.get(f"/api/v1/posts/{post.pk}/").json()
    assert api["author"] is None and api["author_pseudonym"] == post.author_pseudonym[:8]


def test_a_bulk_delete_and_a_changed_handle_hide_it_too(accounts: Any) -> None:
    PublicAccount.objects.filter(pk=accounts[KIRJASTO].pk).delete()
    assert Post.objects.get(text="Kirjaston tiedote.").author_handle == ""
    entry = accounts[SEURA]
    entry.note = "Kallio-Seura ry"
    entry.save()  # the same account: kept
    assert Post.objects.get(text="Seuran tiedote.").author_handle == SEURA
    entry.handle = "uusiseura@mastodon.example"
    entry.save()
    assert Post.objects.get(text="Seuran tiedote.").author_handle == ""
