"""Platform connectors, one folder each; adding a platform touches its folder and one line here.

``CONNECTORS`` maps a platform key to ``module:Class``; classes are loaded on first use so a
platform's dependencies are imported only when it is used.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

CONNECTORS: dict[str, str] = {
    "mastodon": "portaat.listening.connectors.mastodon:MastodonConnector",
    "bluesky": "portaat.listening.connectors.bluesky:BlueskyConnector",
    "rss": "portaat.listening.connectors.rss:FeedConnector",
    "discourse": "portaat.listening.connectors.discourse:DiscourseConnector",
    "reddit": "portaat.listening.connectors.reddit:RedditConnector",
}


def connector_for(platform: str) -> Any:
    """An instance of the connector for ``platform``; ``KeyError`` for an unknown platform."""
    module_name, class_name = CONNECTORS[platform].split(":")
    return getattr(import_module(module_name), class_name)()
