"""Shared helpers of the listening tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from portaat.listening.connectors.base import RemotePost
from tests.factories import SourceFactory

BASE_TIME = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def remote_post(n: int, **fields: Any) -> RemotePost:
    """A post as a connector yields it; ``n`` makes the id and time distinct."""
    values: dict[str, Any] = {
        "remote_id": f"https://mastodon.example/users/kalliolaiset/statuses/{n}",
        "created_at": BASE_TIME + timedelta(minutes=n),
        "text": f"Kalliossa tapahtuu {n}",
        "url": f"https://mastodon.example/@kalliolaiset/{n}",
        "author_handle": "maija@mastodon.example",
        "language": "fi",
    }
    values.update(fields)
    return RemotePost(**values)


@pytest.fixture
def source(db: None) -> Any:
    return SourceFactory(name="#kallio Mastodonissa", target="kallio")
