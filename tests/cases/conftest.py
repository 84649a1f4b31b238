"""People around the REKO case: who maintains it, who works in another unit, who is above it.

``reko_case`` (tests/conftest.py) is a public REKO ring maintained by the ``activist``
persona, with a case in the planning unit, where ``official`` and ``coordinator`` are members.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from portaat.access import Role
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def other_activist(roles: None) -> Any:
    """An activist who does not maintain the REKO ring."""
    return UserFactory(username="other-activist@example.org", role=Role.ACTIVIST)


@pytest.fixture
def outsider(roles: None, city: dict[str, Any]) -> Any:
    """An official of another unit (cultural services): administration, not the case's unit."""
    user = UserFactory(username="culture-official@example.org", role=Role.OFFICIAL)
    MembershipFactory(unit=city["other"], user=user, role="official")
    return user


@pytest.fixture
def division_official(roles: None, city: dict[str, Any]) -> Any:
    """An official of the division above the planning unit: sees its services' cases."""
    user = UserFactory(username="division-official@example.org", role=Role.OFFICIAL)
    MembershipFactory(unit=city["division"], user=user, role="official")
    return user


@pytest.fixture
def login() -> Callable[[Any], Client]:
    """``login(user)``: a fresh test client signed in as ``user``."""

    def make(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def people(
    activist: Any,
    other_activist: Any,
    researcher: Any,
    official: Any,
    outsider: Any,
    coordinator: Any,
    division_official: Any,
) -> dict[str, Any]:
    """Everyone who may come to a case page, by the name the tests use."""
    return {
        "maintainer": activist,
        "other_activist": other_activist,
        "researcher": researcher,
        "member": official,
        "outsider": outsider,
        "coordinator": coordinator,
        "division_official": division_official,
    }
