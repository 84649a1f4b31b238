"""Factories of activity figures (factory_boy, like tests/factories.py)."""

from __future__ import annotations

import datetime as dt

import factory

from tests.factories import ActivismFactory


class FigureReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "figures.FigureReport"

    activism = factory.SubFactory(ActivismFactory)
    period = dt.date(2026, 1, 1)
    values = factory.LazyFunction(lambda: {"members": 10})


class FigureLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "figures.FigureLink"

    activism = factory.SubFactory(ActivismFactory)
    label = "Jäsenet"
