"""factory-boy factories: users with a role, and custom ladders with their eight steps."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from portaat.access import Role
from portaat.ladders.models import LEVELS, Ladder, Step

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A user; ``UserFactory(role=Role.OFFICIAL)`` puts them in that role's group."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.org")
    email = factory.SelfAttribute("username")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create: bool, extracted: Role | None, **kwargs: Any) -> None:
        if create and extracted is not None:
            group, _created = Group.objects.get_or_create(name=Role(extracted).value)
            self.groups.add(group)


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    ladder = factory.SubFactory("tests.factories.LadderFactory", steps=False)
    level = factory.Sequence(lambda n: n % LEVELS + 1)
    title_fi = factory.LazyAttribute(lambda o: f"Porras {o.level}")
    title_sv = factory.LazyAttribute(lambda o: f"Steg {o.level}")
    title_en = factory.LazyAttribute(lambda o: f"Step {o.level}")
    description_fi = ""
    description_sv = ""
    description_en = ""


class LadderFactory(factory.django.DjangoModelFactory):
    """A custom (not built-in) ladder with exactly eight steps, texts in fi, sv and en."""

    class Meta:
        model = Ladder
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"custom-{n}")
    name_fi = factory.Sequence(lambda n: f"Omat portaat {n}")
    name_sv = factory.Sequence(lambda n: f"Egen trappa {n}")
    name_en = factory.Sequence(lambda n: f"Own stairs {n}")
    domain_fi = "Kokeilu"
    domain_sv = "Försök"
    domain_en = "Trial"
    description_fi = ""
    description_sv = ""
    description_en = ""
    is_builtin = False

    @factory.post_generation
    def steps(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or extracted is False:
            return
        for level in range(1, LEVELS + 1):
            StepFactory(ladder=self, level=level)
