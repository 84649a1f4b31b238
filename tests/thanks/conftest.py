"""Thanks fixtures: the ``official`` persona (of the planning unit, whose coordinator is the
``coordinator`` persona) allows being thanked by name; the ``sender`` address is fixed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import ThanksProfileFactory


@pytest.fixture
def thanked(unit: Any, official: Any) -> Any:
    """The official persona, thankable by name as "Olli Virkamies" in the planning unit."""
    ThanksProfileFactory(user=official, public_name="Olli Virkamies")
    return official


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "official": "",
        "unit": "",
        "story": "Olli tuli ryhmämme keskusteluun ja auttoi löytämään tilan kokeilulle.",
        "activism": "",
        "thanker_name": "Liisa",
        "contact_email": "liisa@example.org",
        "website": "",
    }
    data.update(overrides)
    return data
