"""Bluesky: polling the AppView (``connector.py``) and streaming Jetstream (``jetstream.py``)."""

from portaat.listening.connectors.bluesky.connector import BlueskyConnector, resolve_did

__all__ = ["BlueskyConnector", "resolve_did"]
