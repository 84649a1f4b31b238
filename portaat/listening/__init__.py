"""Listening: collect the public posts of activist groups (social-media governance, level 2)."""
