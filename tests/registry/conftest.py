"""Registry fixtures: a few real-looking areas and kinds of activism."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import ActivismKindFactory, AreaFactory


@pytest.fixture
def areas(db: None) -> dict[str, Any]:
    """Helsinki → Vuosaari → Kallahti, and Espoo → Tapiola."""
    helsinki = AreaFactory(
        key="helsinki",
        name="Helsinki",
        name_sv="Helsingfors",
        kind="municipality",
        municipality="Helsinki",
        lat=60.1699,
        lon=24.9384,
    )
    vuosaari = AreaFactory(
        key="helsinki-vuosaari",
        name="Vuosaari",
        name_sv="Nordsjö",
        kind="district",
        municipality="Helsinki",
        parent=helsinki,
        lat=60.2091,
        lon=25.1437,
    )
    kallahti = AreaFactory(
        key="helsinki-kallahti",
        name="Kallahti",
        name_sv="Kallvik",
        kind="sub_district",
        municipality="Helsinki",
        parent=vuosaari,
        lat=60.2000,
        lon=25.1500,
    )
    espoo = AreaFactory(
        key="espoo",
        name="Espoo",
        name_sv="Esbo",
        kind="municipality",
        municipality="Espoo",
        lat=60.2055,
        lon=24.6559,
    )
    tapiola = AreaFactory(
        key="espoo-tapiola",
        name="Tapiola",
        name_sv="Hagalund",
        kind="district",
        municipality="Espoo",
        parent=espoo,
        lat=60.1756,
        lon=24.8050,
    )
    return {
        "helsinki": helsinki,
        "vuosaari": vuosaari,
        "kallahti": kallahti,
        "espoo": espoo,
        "tapiola": tapiola,
    }


@pytest.fixture
def kinds(db: None) -> dict[str, Any]:
    return {
        "reko": ActivismKindFactory(),
        "planning": ActivismKindFactory(
            slug="planning-group",
            name_fi="Suunnitteluryhmä",
            name_sv="Planeringsgrupp",
            name_en="Planning group",
        ),
    }
