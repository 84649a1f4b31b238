"""Factories of research projects (factory_boy, like tests/factories.py)."""

from __future__ import annotations

from typing import Any

import factory

from tests.factories import UserFactory


class ResearchProjectFactory(factory.django.DjangoModelFactory):
    """A proposed project; ``ResearchProjectFactory(cases=[case], members=[user])``."""

    class Meta:
        model = "research.ResearchProject"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Tutkimus {n}")
    summary = "Miten REKO-renkaat ja kaupunki tekevät yhteistyötä."
    organisation = "Helsingin yliopisto"
    lead = factory.SubFactory(UserFactory)
    intended_level = 5

    @factory.post_generation
    def cases(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.cases.set(extracted)

    @factory.post_generation
    def members(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.members.set(extracted)


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registry.Channel"

    url = "https://mastodon.example/@kallioreko"
    platform = "mastodon_account"
    handle = "@kallioreko@mastodon.example"
