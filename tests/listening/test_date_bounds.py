"""The posts list refuses dates out of range with a translated error, not a 500."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["until=9999-12-31", "since=0001-01-01", "since=1999-12-31"])
def test_far_dates_get_a_clear_error(client_for: Any, query: str) -> None:
    client = client_for("official")
    client.raise_request_exception = False
    response = client.get("/listening/?" + query)
    assert response.status_code == 200  # the list's convention: the form shows the error
    assert "Valitse päivämäärä väliltä 2000-01-01" in response.content.decode()
