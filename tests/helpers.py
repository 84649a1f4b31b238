"""Small helpers shared by several test modules."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from portaat.ladders.models import LEVELS, Ladder
from portaat.ladders.services import LANGS


def translation_of(msgid: str, lang: str) -> str:
    """The UI catalogue's translation of ``msgid``; fails if the catalogue lacks one.

    Pages are checked against the catalogue rather than a copy of its wording, so a
    translator may improve a text without breaking tests, but a missing translation fails.
    """
    with translation.override(lang):
        text = translation.gettext(msgid)
    assert text != msgid, f"no {lang} translation for {msgid!r} (run `make compilemessages`)"
    return text


def html_lang(content: bytes) -> str:
    """The ``lang`` attribute of a page's ``<html>`` element."""
    head = content.decode()[:300]
    marker = '<html lang="'
    assert marker in head, head
    return head.split(marker, 1)[1].split('"', 1)[0]


def ladder_form_data(ladder: Ladder, **overrides: str) -> dict[str, Any]:
    """POST data for the copy/edit form holding ``ladder``'s texts, with ``overrides``."""
    data: dict[str, Any] = {}
    for lang in LANGS:
        for name in ("name", "domain", "description"):
            data[f"{name}_{lang}"] = getattr(ladder, f"{name}_{lang}") or ""
    steps = {step.level: step for step in ladder.steps.all()}
    for level in range(1, LEVELS + 1):
        for lang in LANGS:
            for part in ("title", "description"):
                step = steps.get(level)
                data[f"step{level}_{part}_{lang}"] = (
                    getattr(step, f"{part}_{lang}") or "" if step else ""
                )
    data.update(overrides)
    return data
