"""A checked Discourse source spec, and what one run shares (client, headers, category names)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from portaat.listening.connectors.base import ConnectorError, SourceSpec
from portaat.listening.connectors.discourse.posts import Forum, category_slugs
from portaat.listening.connectors.http import Http

KINDS = ("forum", "category")
_SEGMENT = re.compile(r"[\w%.\-]+")
# per kind: option -> (default, lowest, highest)
LIMITS: dict[str, dict[str, tuple[int, int, int]]] = {
    "forum": {"backfill_pages": (2, 1, 50), "max_pages": (10, 1, 100)},
    "category": {
        "backfill_pages": (1, 1, 20),
        "max_pages": (5, 1, 50),
        "max_topics": (20, 1, 200),
        "topic_posts": (60, 1, 1000),
    },
}


def _invalid(detail: str) -> ConnectorError:
    return ConnectorError("invalid_source", detail)


def _category_path(target: str) -> str:
    """``slug``, ``slug/id`` or ``parent/child/id`` as in the forum's /c/… addresses."""
    path = target.strip().strip("/")
    if path.startswith("c/"):
        path = path[2:]
    segments = path.split("/")
    valid = all(_SEGMENT.fullmatch(s) and s not in (".", "..") for s in segments)
    if not path or not valid or segments[0].isdigit():
        raise _invalid("a category is its slug or slug/id, as in the forum's /c/ address")
    return path


@dataclass(frozen=True)
class Settings:
    forum: Forum
    kind: str
    category: str  # "" for the forum kind
    options: dict[str, int]
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_spec(cls, spec: SourceSpec) -> Settings:
        if spec.kind not in KINDS:
            raise _invalid(f"unknown kind {spec.kind!r}")
        parts = urlsplit(spec.base_url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise _invalid("base_url must be the forum's http(s) address")
        if parts.query or parts.fragment:
            raise _invalid("base_url must not have a query or fragment")
        path = parts.path.rstrip("/")
        host = parts.hostname.lower() + (f":{parts.port}" if parts.port else "")
        options = {}
        for name, (default, low, high) in LIMITS[spec.kind].items():
            value = spec.options.get(name, default)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise _invalid(f"option {name} must be a whole number from {low} to {high}")
            options[name] = value
        key, user = spec.credentials.get("api_key", ""), spec.credentials.get("api_username", "")
        if bool(key) != bool(user):
            raise _invalid("an API key needs its api_username, and the other way round")
        return cls(
            forum=Forum(base=f"{parts.scheme}://{parts.netloc}{path}", prefix=f"{host}{path}"),
            kind=spec.kind,
            category=_category_path(spec.target) if spec.kind == "category" else "",
            options=options,
            headers={"Api-Key": key, "Api-Username": user} if key else {},
        )


class Context:
    """One run: the client, the forum, and category slugs fetched at most once."""

    def __init__(self, settings: Settings, http: Http) -> None:
        self.settings = settings
        self.forum = settings.forum
        self.http = http
        self._slugs: dict[int, str] | None = None

    def option(self, name: str) -> int:
        return self.settings.options[name]

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.http.get_json(self.forum.base + path, params, self.settings.headers)

    def groups(self, category_id: Any) -> list[str]:
        """The post's category slug, for discovery; the map costs one request per run."""
        if not isinstance(category_id, int):
            return []
        if self._slugs is None:
            self._slugs = category_slugs(
                self.get("/categories.json", {"include_subcategories": "true"})
            )
        slug = self._slugs.get(category_id)
        return [slug] if slug else []
