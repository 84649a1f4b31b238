"""Research fixtures: a REKO ring with a contact person, a channel and collected posts, in a
case of the planning unit; a project led by the ``researcher`` persona on that case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from portaat.research import services
from tests.factories import (
    ActivismFactory,
    AreaFactory,
    AssessmentFactory,
    CaseFactory,
    PostFactory,
    SourceFactory,
)
from tests.research.factories import ChannelFactory, ResearchProjectFactory

# what must never appear in an export
SECRETS = (
    "Kallion REKO-rengas",
    "Maija Meikäläinen",
    "Meikäläinen",
    "maija.meikalainen@example.org",
    "040 123 4567",
    "kallioreko",
    "mastodon.example/@kallioreko",
    "teppo_testaaja",
    "https://mastodon.example/users/teppo/statuses/1",
    "Sisäinen muistiinpano",
    "Kuvaus, jota ei viedä",
    "Vain yksikön arvio",
)


@pytest.fixture
def ring_case(builtin: Any, unit: Any) -> Any:
    from portaat.ladders.models import Ladder

    ring = ActivismFactory(
        name="Kallion REKO-rengas",
        description="Kuvaus, jota ei viedä",
        contact_name="Maija Meikäläinen",
        contact_email="maija.meikalainen@example.org",
        contact_phone="040 123 4567",
        areas=[AreaFactory(key="kallio")],
    )
    ring.domains.set([Ladder.objects.get(slug="reko")])
    ChannelFactory(activism=ring)
    case = CaseFactory(
        activism=ring,
        unit=unit,
        ladder=Ladder.objects.get(slug="reko"),
        internal_notes="Sisäinen muistiinpano",
    )
    AssessmentFactory(case=case, current_level=2, target_level=5, rationale="")
    AssessmentFactory(
        case=case,
        perspective="activist",
        current_level=4,
        target_level=3,
        rationale="Vain yksikön arvio",
        assessed_on=dt.date(2026, 7, 1),
    )
    source = SourceFactory(name="Kallion REKO Mastodon")
    source.activisms.set([ring])
    PostFactory(
        source=source,
        remote_id="https://mastodon.example/users/teppo/statuses/1",
        url="https://mastodon.example/users/teppo/statuses/1",
        author_handle="teppo_testaaja",
        author_pseudonym="a" * 32,
        title="",
        text=(
            "Kallion REKO-rengas jakaa torstaina! Kysy Maija Meikäläinen, "
            "maija.meikalainen@example.org tai 040 123 4567, @kallioreko@mastodon.example "
            "ja @teppo_testaaja sekä @joku_muu. Lisää: https://kallioreko.example/jako – terveisin teppo_testaaja"
        ),
        tags=["kallioreko", "reko"],
        counts={"replies": 2},
    )
    return case


@pytest.fixture
def other_case(builtin: Any, unit: Any) -> Any:
    """A case outside the project."""
    from portaat.ladders.models import Ladder

    other = ActivismFactory(name="Vallilan ruokapiiri", contact_name="Olli Ulkopuolinen")
    case = CaseFactory(activism=other, unit=unit, ladder=Ladder.objects.get(slug="reko"))
    AssessmentFactory(case=case)
    source = SourceFactory(name="Vallila")
    source.activisms.set([other])
    PostFactory(source=source, text="Vallilan ruokapiiri kokoontuu.")
    return case


@pytest.fixture
def project(ring_case: Any, researcher: Any) -> Any:
    """Proposed by the ``researcher`` persona on the ring's case; nothing granted yet."""
    return ResearchProjectFactory(lead=researcher, cases=[ring_case], title="REKO-tutkimus")


@pytest.fixture
def granted(project: Any, coordinator: Any) -> Any:
    """The project, active, with every dataset granted and no end date."""
    return services.grant(
        project,
        by=coordinator,
        datasets=["activisms", "cases", "assessments", "posts"],
        status="active",
        access_until=None,
    )


def in_english(client: Any) -> Any:
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
