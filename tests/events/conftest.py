from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.factories import AreaFactory

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def kallio(db: None) -> Any:
    return AreaFactory(
        key="helsinki-kallio", name="Kallio", name_sv="Berghäll", municipality="Helsinki"
    )


@pytest.fixture
def in_kallio(reko_case: Any, kallio: Any) -> Any:
    """The official's REKO case's activism works in Kallio: Kallio is one of their areas."""
    reko_case.activism.areas.add(kallio)
    return reko_case


@pytest.fixture
def client_for(client_for: Any) -> Any:
    """The shared clients, reading English pages (the assertions quote English texts)."""

    def make(persona: str) -> Any:
        client = client_for(persona)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make
