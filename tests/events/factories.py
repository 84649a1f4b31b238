"""Factories of the events app (factory_boy, like tests/factories.py)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Event"
        skip_postgeneration_save = True

    source_id = factory.Sequence(lambda n: f"helsinki:test{n}")
    name_fi = factory.Sequence(lambda n: f"Asukasilta {n}")
    name_sv = factory.Sequence(lambda n: f"Invånarkväll {n}")
    start_time = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))
    end_time = factory.LazyAttribute(lambda o: o.start_time + dt.timedelta(hours=2))
    place_name = "Kallion kirjasto"
    fetched_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)
