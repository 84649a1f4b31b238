"""Mastodon connector (any instance): an account's statuses or a hashtag timeline."""

from portaat.listening.connectors.mastodon.connector import MastodonConnector

__all__ = ["MastodonConnector"]
