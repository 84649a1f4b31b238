"""Discourse: a whole forum's latest posts (``forum``) or one category's topics (``category``).

``spec.base_url`` is the forum (a subfolder install keeps its path). The ``forum`` kind ignores
``spec.target``; the ``category`` kind's target is the category's slug, ``slug/id`` or
``parent/child/id`` as in the forum's ``/c/`` addresses. Credentials ``api_key`` and
``api_username`` are sent as Discourse's ``Api-Key``/``Api-Username`` headers for forums that
require a login. Paging, cursors and request bounds: ``latest`` and ``category``; mapping and
remote ids: ``posts``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from portaat.listening.connectors.base import Page, SourceSpec
from portaat.listening.connectors.discourse.category import category_pages
from portaat.listening.connectors.discourse.latest import latest_pages
from portaat.listening.connectors.discourse.settings import KINDS, Context, Settings
from portaat.listening.connectors.http import Http


class DiscourseConnector:
    platform: ClassVar[str] = "discourse"
    kinds: ClassVar[tuple[str, ...]] = KINDS

    def check(self, spec: SourceSpec) -> None:
        Settings.from_spec(spec)

    def pages(self, spec: SourceSpec, cursor: dict[str, Any], http: Http) -> Iterator[Page]:
        ctx = Context(Settings.from_spec(spec), http)
        if ctx.settings.kind == "forum":
            return latest_pages(ctx, cursor)
        return category_pages(ctx, cursor)
