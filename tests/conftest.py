"""Shared personas and data for the whole suite (the healthchecks ``hc/test.py`` of Portaat).

Personas: ``anonymous``, ``activist``, ``researcher``, ``official``, ``coordinator`` (the roles
are the groups ``portaat.access.ensure_role_groups()`` creates) and ``admin`` (a staff
superuser, as ``portaat init`` creates). ``client_for("official")`` gives a test client
signed in as that persona.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import translation

from portaat.access import Role, ensure_role_groups
from portaat.ladders.models import Ladder
from portaat.ladders.services import LoadReport, load_builtin
from tests.factories import LadderFactory, UserFactory


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # WhiteNoise warns about a missing STATIC_ROOT; the throw-away data dir has none yet.
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)


ROLES = ("activist", "researcher", "official", "coordinator")
PERSONAS = ("anonymous", *ROLES, "admin")


@pytest.fixture(autouse=True)
def _finnish_by_default() -> Iterator[None]:
    """Each test starts in the site's default language, whatever an earlier test activated."""
    with translation.override("fi"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Rate-limit counters do not carry over from one test to the next (all requests of the
    test client come from one address)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def roles(db: None) -> None:
    ensure_role_groups()


@pytest.fixture
def builtin(db: None) -> LoadReport:
    """The built-in ladders and the five stages, as ``portaat init`` loads them."""
    return load_builtin()


@pytest.fixture
def custom_ladder(builtin: LoadReport, coordinator: Any) -> Ladder:
    """A coordinator's custom ladder (eight steps) copied from the generic ladder."""
    return LadderFactory(
        slug="urban-gardening",
        name_fi="Kaupunkiviljelyn portaat",
        name_sv="Stadsodlingens trappa",
        name_en="Urban gardening stairs",
        based_on=Ladder.objects.get(slug="generic"),
        created_by=coordinator,
    )


@pytest.fixture
def anonymous() -> AnonymousUser:
    return AnonymousUser()


@pytest.fixture
def activist(roles: None) -> Any:
    return UserFactory(username="activist@example.org", role=Role.ACTIVIST)


@pytest.fixture
def researcher(roles: None) -> Any:
    return UserFactory(username="researcher@example.org", role=Role.RESEARCHER)


@pytest.fixture
def official(roles: None) -> Any:
    return UserFactory(username="official@example.org", role=Role.OFFICIAL)


@pytest.fixture
def coordinator(roles: None) -> Any:
    return UserFactory(username="coordinator@example.org", role=Role.COORDINATOR)


@pytest.fixture
def admin(roles: None) -> Any:
    return UserFactory(
        username="admin@example.org", is_staff=True, is_superuser=True, role=Role.COORDINATOR
    )


@pytest.fixture
def personas(
    anonymous: Any, activist: Any, researcher: Any, official: Any, coordinator: Any, admin: Any
) -> dict[str, Any]:
    return {
        "anonymous": anonymous,
        "activist": activist,
        "researcher": researcher,
        "official": official,
        "coordinator": coordinator,
        "admin": admin,
    }


@pytest.fixture
def client_for(personas: dict[str, Any]) -> Callable[[str], Client]:
    """``client_for("coordinator")``: a fresh test client signed in as that persona — with the
    authenticator app's code as well where the person must give it (those who run calls, staff:
    ``access.needs_second_step``)."""
    from portaat.access import needs_second_step
    from tests.helpers import sign_in_with_second_step

    def make(persona: str) -> Client:
        client = Client()
        user = personas[persona]
        if needs_second_step(user):
            sign_in_with_second_step(client, user)
        elif user.is_authenticated:
            client.force_login(user)
        return client

    return make


# --- registry and cases: one small city --------------------------------------------------------


@pytest.fixture
def city(db: None) -> Any:
    """Helsinki-like hierarchy: city → division → unit, and a sibling unit."""
    from tests.factories import UnitFactory

    city = UnitFactory(
        slug="city", name_fi="Kaupunki", name_sv="Staden", name_en="City", kind="city"
    )
    division = UnitFactory(
        slug="environment",
        name_fi="Kaupunkiympäristön toimiala",
        name_sv="Stadsmiljösektorn",
        name_en="Urban Environment Division",
        kind="division",
        parent=city,
    )
    unit = UnitFactory(
        slug="planning",
        name_fi="Asemakaavoitus",
        name_sv="Detaljplanering",
        name_en="Detailed planning",
        parent=division,
    )
    other = UnitFactory(
        slug="culture",
        name_fi="Kulttuuripalvelut",
        name_sv="Kulturtjänster",
        name_en="Cultural services",
        parent=city,
    )
    return {"city": city, "division": division, "unit": unit, "other": other}


@pytest.fixture
def unit(city: dict[str, Any], official: Any, coordinator: Any) -> Any:
    """The planning unit; the ``official`` persona is its official, ``coordinator`` its coordinator."""
    from tests.factories import MembershipFactory

    MembershipFactory(unit=city["unit"], user=official, role="official")
    MembershipFactory(unit=city["unit"], user=coordinator, role="coordinator")
    return city["unit"]


@pytest.fixture
def reko_case(builtin: LoadReport, unit: Any, activist: Any) -> Any:
    """A public REKO ring maintained by the ``activist`` persona, with a case on the REKO ladder."""
    from tests.factories import ActivismFactory, CaseFactory

    ring = ActivismFactory(name="Lauttasaaren REKO", maintainers=[activist])
    return CaseFactory(activism=ring, unit=unit, ladder=Ladder.objects.get(slug="reko"))
