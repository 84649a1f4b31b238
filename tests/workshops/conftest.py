"""Shared fixtures of the workshop tests: a workshop on two cases and joined participants."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from portaat.ladders.models import Ladder
from portaat.workshops import services
from portaat.workshops.models import Participant, Workshop
from tests.factories import ActivismFactory, CaseFactory


@pytest.fixture
def second_case(reko_case: Any, unit: Any) -> Any:
    garden = ActivismFactory(name="Kumpulan kyläpuutarha")
    return CaseFactory(activism=garden, unit=unit, ladder=Ladder.objects.get(slug="city-planning"))


@pytest.fixture
def workshop(reko_case: Any, second_case: Any, official: Any) -> Workshop:
    return services.create_workshop(
        title="Asukasilta Lauttasaaressa",
        cases=[reko_case, second_case],
        facilitator=official,
        hours=3,
        max_participants=50,
    )


@pytest.fixture
def join_client(workshop: Workshop) -> Callable[..., tuple[Client, Participant]]:
    """``join_client(role="resident", language="sv")``: a phone that has joined ``workshop``."""

    def make(
        role: str = "resident", language: str = "fi", name: str = "", target: Workshop | None = None
    ) -> tuple[Client, Participant]:
        chosen = target or workshop
        client = Client()
        response = client.post(
            reverse("join:workshop", args=[chosen.code]),
            {"display_name": name, "role": role, "language": language},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        participant = chosen.participants.order_by("-number").first()
        assert participant is not None
        return client, participant

    return make


def answer_url(workshop: Workshop, item: Any) -> str:
    return reverse("join:answer", args=[workshop.code, item.pk])
