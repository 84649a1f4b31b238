"""Storing posts: pseudonyms at capture, idempotency, upstream deletions, discovery counters."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from portaat.listening.ingest import Ingestor, stable_remote_id
from portaat.listening.models import Post, PublicAccount, Suggestion
from portaat.listening.privacy import pseudonymise
from tests.listening.conftest import remote_post

pytestmark = pytest.mark.django_db


def test_private_author_is_stored_only_as_a_keyed_pseudonym(source: Any) -> None:
    Ingestor(source, "mastodon").add([remote_post(1, author_handle="@Maija@mastodon.example")])
    post = Post.objects.get()
    assert post.author_handle == ""
    assert post.author_pseudonym == pseudonymise("mastodon", "maija@mastodon.example")
    assert len(post.author_pseudonym) == 32
    # nothing in the row holds the handle
    row = Post.objects.filter(pk=post.pk).values().get()
    assert not any("maija" in str(value).lower() for value in row.values())


def test_pseudonym_depends_on_the_key_not_only_on_the_handle() -> None:
    with override_settings(PORTAAT_PSEUDONYM_KEY="one"):
        first = pseudonymise("mastodon", "maija@mastodon.example")
    with override_settings(PORTAAT_PSEUDONYM_KEY="two"):
        second = pseudonymise("mastodon", "maija@mastodon.example")
    assert first != second
    assert pseudonymise("mastodon", "") == ""


def test_public_account_keeps_its_handle(source: Any) -> None:
    PublicAccount.objects.create(platform="mastodon", handle="kalliolaiset@mastodon.example")
    Ingestor(source, "mastodon").add(
        [remote_post(1, author_handle="Kalliolaiset@mastodon.example", mentions=["maija@x.fi"])]
    )
    post = Post.objects.get()
    assert post.author_handle == "Kalliolaiset@mastodon.example"
    assert post.mentions == [pseudonymise("mastodon", "maija@x.fi")]


def test_reingesting_adds_nothing_and_refreshes_counts(source: Any) -> None:
    ingestor = Ingestor(source, "mastodon")
    first = ingestor.add([remote_post(n) for n in range(5)])
    assert (first.added, first.updated) == (5, 0)
    again = ingestor.add([remote_post(n) for n in range(5)])
    assert (again.added, again.updated) == (0, 0)
    changed = ingestor.add([remote_post(2, counts={"likes": 7}), remote_post(5)])
    assert (changed.added, changed.updated) == (1, 1)
    assert Post.objects.count() == 6
    assert Post.objects.get(remote_id=remote_post(2).remote_id).counts == {"likes": 7}


def test_duplicates_inside_one_batch_are_one_post(source: Any) -> None:
    result = Ingestor(source, "mastodon").add([remote_post(1), remote_post(1)])
    assert result.added == 1
    assert Post.objects.count() == 1


def test_a_batch_takes_a_few_bulk_queries_not_one_per_post(source: Any) -> None:
    ingestor = Ingestor(source, "mastodon")
    with CaptureQueriesContext(connection) as small:
        ingestor.add([remote_post(n, tags=["kallio"]) for n in range(10)])
    with CaptureQueriesContext(connection) as large:
        ingestor.add([remote_post(n, tags=["kallio"]) for n in range(100, 400)])
    # bulk inserts are split by the database's parameter limit (SQLite: ~50 rows a statement)
    assert len(small) <= 5
    assert len(large) <= 15


@pytest.mark.parametrize("size", [10, 300], ids=["executemany", "bulk"])
def test_a_post_stored_by_a_concurrent_run_meanwhile_is_not_counted_twice(
    source: Any, size: int, monkeypatch: Any
) -> None:
    # Another run stores one of the posts between this batch's lookup and its insert: the
    # insert must not fail and must say it added one post fewer.
    batch = [remote_post(n) for n in range(size)]
    lookup = Ingestor._existing

    def stale_lookup(self: Ingestor, rows: Any) -> Any:
        found = lookup(self, rows)
        monkeypatch.setattr(Ingestor, "_existing", lookup)
        Ingestor(source, "mastodon").add([batch[size // 2]])
        return found

    monkeypatch.setattr(Ingestor, "_existing", stale_lookup)
    result = Ingestor(source, "mastodon").add(batch)
    assert result.added == size - 1
    assert Post.objects.count() == size


def test_language_tags_are_reduced_to_the_primary_language(source: Any) -> None:
    Ingestor(source, "bluesky").add(
        [remote_post(1, language="sv-FI"), remote_post(2, language="FI"), remote_post(3)]
    )
    assert sorted(Post.objects.values_list("language", flat=True)) == ["fi", "fi", "sv"]


def test_deleted_upstream_leaves_a_tombstone_that_is_not_revived(source: Any) -> None:
    ingestor = Ingestor(source, "mastodon")
    ingestor.add([remote_post(1, media_urls=["https://x/1.jpg"])])
    assert ingestor.delete([remote_post(1).remote_id]) == 1
    post = Post.objects.get()
    assert (post.text, post.url, post.media_urls) == ("", "", [])
    assert post.deleted_upstream_at is not None
    ingestor.add([remote_post(1)])  # an older page or file still has it
    post.refresh_from_db()
    assert post.text == ""


def test_very_long_remote_ids_stay_unique_and_stable(source: Any) -> None:
    long_id = "https://forum.example/t/" + "x" * 600
    assert stable_remote_id(long_id) == stable_remote_id(long_id)
    assert len(stable_remote_id(long_id)) <= 500
    Ingestor(source, "mastodon").add([remote_post(1, remote_id=long_id)])
    Ingestor(source, "mastodon").add([remote_post(1, remote_id=long_id)])
    assert Post.objects.count() == 1


@override_settings(PORTAAT_DISCOVERY_MIN_POSTS=3)
def test_discovery_counts_each_post_once_and_names_accounts_only_when_they_recur(
    source: Any,
) -> None:
    ingestor = Ingestor(source, "mastodon")
    ingestor.add(
        [remote_post(1, tags=["kallio", "kallio"], mentions=["kaupunkiviljely@mastodon.example"])]
    )
    account = Suggestion.objects.get(kind="account")
    assert account.label == ""  # mentioned once: maybe a private person, kept as a pseudonym
    assert account.key == pseudonymise("mastodon", "kaupunkiviljely@mastodon.example")
    ingestor.add(
        [
            remote_post(n, tags=["kallio"], mentions=["kaupunkiviljely@mastodon.example"])
            for n in (2, 3)
        ]
    )
    account.refresh_from_db()
    assert account.posts == 3
    assert account.label == "kaupunkiviljely@mastodon.example"
    assert Suggestion.objects.get(kind="hashtag", key="kallio").posts == 3
    ingestor.add([remote_post(n, tags=["kallio"]) for n in (1, 2, 3)])  # known posts
    assert Suggestion.objects.get(kind="hashtag", key="kallio").posts == 3
