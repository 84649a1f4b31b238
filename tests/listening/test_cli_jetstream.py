"""``portaat jetstream``: live Bluesky accounts followed through a real local WebSocket server
replaying a recorded Jetstream capture; posts land on their sources, the cursor is committed,
and a restart resumes from it."""

from __future__ import annotations

import asyncio
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from portaat.listening.models import Post, Source
from tests.factories import SourceFactory
from tests.helpers import translation_of
from tests.listening.connectors.test_jetstream import (
    DELETED,
    EVENTS,
    HAGNAS,
    KALLIO,
    KEPT,
    Jetstream,
    _serve,
)

pytestmark = pytest.mark.django_db(transaction=True)


def live(did: str, name: str) -> Source:
    return SourceFactory(
        name=name, platform="bluesky", kind="account", target=name, base_url="", live=True, did=did
    )


def follow(server: Jetstream, seconds: float = 1.5) -> str:
    out = StringIO()

    async def body(url: str) -> None:
        await asyncio.to_thread(
            call_command, "jetstream", "--url", url, "--seconds", str(seconds), stdout=out
        )

    asyncio.run(_serve(server, body))
    return out.getvalue()


def test_live_accounts_posts_reach_their_sources_and_the_cursor_is_kept() -> None:
    kallio, hagnas = live(KALLIO, "kallio.bsky.social"), live(HAGNAS, "hagnas.bsky.social")
    server = Jetstream()
    output = follow(server)
    # the command runs in a thread of its own, in the site's default language (Finnish)
    assert translation_of("Stopped after %(batches)d batches.", "fi").split("%")[0] in output
    assert server.queries[0]["wantedDids"] == sorted([KALLIO, HAGNAS])
    stored = {p.remote_id: p for p in Post.objects.all()}
    wanted = {uri for uri in KEPT if KALLIO in uri or HAGNAS in uri}
    assert set(stored) == wanted
    assert all(p.source_id == kallio.pk for uri, p in stored.items() if KALLIO in uri)
    assert all(p.source_id == hagnas.pk for uri, p in stored.items() if HAGNAS in uri)
    assert not any(p.author_handle for p in stored.values())  # DIDs pseudonymised
    kallio.refresh_from_db()
    assert kallio.stream_cursor == server.done_at
    # the deletion in the capture was of a post never collected: nothing to empty
    assert not Post.objects.filter(remote_id__in=DELETED).exists()

    # a restart resumes from the committed cursor (minus Jetstream's rewind) and adds nothing
    again = Jetstream()
    follow(again)
    assert again.queries[0]["cursor"] == [str(server.done_at - 3_000_000)]
    assert Post.objects.count() == len(wanted)
    assert EVENTS  # the capture was read


def test_nothing_live_is_a_clear_error() -> None:
    translation.activate("en")
    with pytest.raises(CommandError, match="follow live"):
        call_command("jetstream", "--url", "ws://127.0.0.1:9", "--seconds", "0.1")
    with pytest.raises(CommandError, match="wss://"):
        call_command("jetstream", "--url", "https://example.org")
