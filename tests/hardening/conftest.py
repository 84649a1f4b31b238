"""Hostile and odd input for the registry, cases, units, import and API (issue 3).

Every probe asserts the project rule: bad input gets a clear error (4xx, never a 500) and
changes nothing. The Django test client re-raises a view's exception, so a would-be 500 fails
the probe loudly; run the folder on SQLite and on PostgreSQL (NUL bytes and over-long values
often fail only there).
"""

from __future__ import annotations

from typing import Any

import pytest

NUL = "a\x00b"
HUGE = "x" * 100_000
SCRIPT = '<script>alert("x")</script>'
ODD_TEXTS = [
    "REKO 🥕🍓 Kallio",
    "حلقة ريكو هلسنكي",  # RTL
    "Ka\u0308llio\u0301 Z\u0336a\u0336l\u0336g\u0336o\u0336",  # combining marks
    "\u202eoklaK\u202c",  # right-to-left override
]
BAD_PAGES = ["-1", "0", "999999", "abc", "1.5", "", "²", "9" * 40, NUL]


@pytest.fixture
def kinds(db: None) -> dict[str, Any]:
    from tests.factories import ActivismKindFactory

    return {"reko": ActivismKindFactory()}


def status_ok(response: Any, *allowed: int) -> None:
    assert response.status_code in allowed, (response.status_code, response.content[:500])
