"""Discourse connector: a forum's latest posts, or a category's topics and their posts."""

from portaat.listening.connectors.discourse.connector import DiscourseConnector

__all__ = ["DiscourseConnector"]
