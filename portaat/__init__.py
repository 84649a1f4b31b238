"""Portaat: hybrid governance and social-media governance for city administrations."""

__version__ = "0.1.0"
