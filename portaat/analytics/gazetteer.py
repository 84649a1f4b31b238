"""The Helsinki-region gazetteer shipped with Portaat (see data/SOURCES.md for provenance)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

PATH = Path(__file__).resolve().parent / "data" / "gazetteer.json"


@cache
def places(path: Path = PATH) -> tuple[dict[str, Any], ...]:
    """Every place: id, name, name_sv, aliases, kind, municipality, parent, lat, lon …"""
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(data["places"])
