"""Permission-matrix rows of somehallinto (see tests/permissions.py)."""

from __future__ import annotations

from tests.permissions import Expected

ROWS: dict[str, list[tuple[str, dict[str, Expected]]]] = {}

# placeholder → any value that resolves (for test_each_example_url_reaches_its_route)
DUMMY_VALUES: dict[str, str] = {}


def values(personas, case) -> dict[str, str]:
    """Placeholder → a real value, made in the test database."""
    return {}
