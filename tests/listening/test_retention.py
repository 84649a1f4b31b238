"""Retention: post texts go after PORTAAT_LISTENING_RETENTION_DAYS; counts and times stay."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test.utils import override_settings
from django.utils import timezone

from portaat.listening.ingest import Ingestor
from portaat.listening.models import Post
from portaat.listening.search import PostFilters, filtered_posts
from portaat.listening.services import remove_expired_texts
from portaat.listening.tasks import daily_post_retention
from tests.listening.conftest import remote_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_and_new(source: Any) -> tuple[Post, Post]:
    Ingestor(source, "mastodon").add(
        [
            remote_post(1, counts={"likes": 4}, media_urls=["https://x/a.jpg"], tags=["kallio"]),
            remote_post(2),
        ]
    )
    old = Post.objects.get(remote_id=remote_post(1).remote_id)
    Post.objects.filter(pk=old.pk).update(collected_at=timezone.now() - timedelta(days=31))
    return old, Post.objects.get(remote_id=remote_post(2).remote_id)


@override_settings(PORTAAT_LISTENING_RETENTION_DAYS=30)
def test_texts_past_retention_are_removed_and_statistics_stay(old_and_new: Any) -> None:
    old, new = old_and_new
    assert daily_post_retention.call_local() == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.text, old.title, old.url, old.media_urls, old.mentions) == ("", "", "", [], [])
    assert old.text_removed_at is not None
    assert old.counts == {"likes": 4}
    assert old.tags == ["kallio"]
    assert old.author_pseudonym and old.created_at
    assert new.text.startswith("Kalliossa")
    # the removed text is gone from the search index too
    assert [p.pk for p in filtered_posts(PostFilters(q="tapahtuu"))] == [new.pk]
    assert remove_expired_texts() == 0  # idempotent


@override_settings(PORTAAT_LISTENING_RETENTION_DAYS=30)
def test_a_removed_text_is_not_brought_back_by_a_new_collection(
    old_and_new: Any, source: Any
) -> None:
    remove_expired_texts()
    Ingestor(source, "mastodon").add([remote_post(1, counts={"likes": 9})])
    old = Post.objects.get(remote_id=remote_post(1).remote_id)
    assert old.text == ""


@override_settings(PORTAAT_LISTENING_RETENTION_DAYS=0)
def test_zero_keeps_texts(old_and_new: Any) -> None:
    assert remove_expired_texts() == 0
