"""factory-boy factories: users with a role, and custom ladders with their eight steps."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

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


# --- registry and cases ------------------------------------------------------------------------


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registry.Unit"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"unit-{n}")
    name_fi = factory.Sequence(lambda n: f"Yksikkö {n}")
    name_sv = factory.Sequence(lambda n: f"Enhet {n}")
    name_en = factory.Sequence(lambda n: f"Unit {n}")
    kind = "unit"
    parent = None


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registry.Membership"

    unit = factory.SubFactory(UnitFactory)
    user = factory.SubFactory(UserFactory)
    role = "official"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registry.Area"
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"Alue {n}")
    name_sv = factory.Sequence(lambda n: f"Område {n}")
    kind = "district"
    municipality = "Helsinki"
    lat = 60.17
    lon = 24.94


class ActivismKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registry.ActivismKind"
        django_get_or_create = ("slug",)

    slug = "reko-ring"
    name_fi = "REKO-rengas"
    name_sv = "REKO-ring"
    name_en = "REKO ring"


class ActivismFactory(factory.django.DjangoModelFactory):
    """A public, approved activism with no legal form (the fourth sector's default)."""

    class Meta:
        model = "registry.Activism"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Aktivismi {n}")
    description = "Kuvaus"
    kind = factory.SubFactory(ActivismKindFactory)
    visibility = "public"
    review = "approved"

    @factory.post_generation
    def areas(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def maintainers(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.maintainers.set(extracted)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Case"

    activism = factory.SubFactory(ActivismFactory)
    unit = factory.SubFactory(UnitFactory)
    ladder = factory.SubFactory(LadderFactory)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Assessment"

    case = factory.SubFactory(CaseFactory)
    perspective = "official"
    current_level = 2
    target_level = 5
    rationale = ""
    assessed_on = factory.LazyFunction(lambda: __import__("datetime").date(2026, 6, 1))


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "listening.Source"

    name = factory.Sequence(lambda n: f"Lähde {n}")
    platform = "mastodon"
    kind = "hashtag"
    target = "helsinki"
    base_url = "https://mastodon.example"
    legal_basis = "Yleisen edun mukainen tehtävä (GDPR 6(1)(e)); rekisteriseloste."
    schedule_minutes = 60


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "listening.Post"

    platform = "mastodon"
    remote_id = factory.Sequence(lambda n: f"https://mastodon.example/users/x/statuses/{n}")
    source = factory.SubFactory(SourceFactory)
    text = "Raitiovaunu 9 kulkee taas Pasilaan."
    language = "fi"
    created_at = factory.LazyFunction(timezone.now)
    author_pseudonym = "0" * 32


# --- rapid-response crowds --------------------------------------------------------------------


class VolunteerFactory(factory.django.DjangoModelFactory):
    """An active, confirmed volunteer on email; ``areas=[...]`` and ``skills=[...]`` set them."""

    class Meta:
        model = "crowds.Volunteer"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Vapaaehtoinen {n}")
    email = factory.Sequence(lambda n: f"volunteer{n}@example.org")
    phone = ""
    language = "fi"
    channels = factory.LazyFunction(lambda: ["email"])
    consent = factory.LazyFunction(lambda: _latest_consent())
    consented_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def areas(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def skills(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.skills.set(extracted)


class CallFactory(factory.django.DjangoModelFactory):
    """A draft call starting in half an hour; ``areas=[...]`` sets its areas."""

    class Meta:
        model = "crowds.Call"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Kaatuneet puut {n}")
    instructions_fi = "Tuo sahat ja hanskat. Kokoontuminen koulun pihalla."
    instructions_sv = "Ta med sågar och handskar. Samling på skolgården."
    instructions_en = "Bring saws and gloves. Meet in the school yard."
    address = "Koulun piha"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=30))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=4))
    respond_by = factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=20))
    needed = 5
    channels = factory.LazyFunction(list)

    @factory.post_generation
    def areas(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.areas.set(extracted)


def _latest_consent() -> Any:
    """The newest consent text; the shipped one again if a transactional test (which empties
    every table afterwards) removed what the migration seeded."""
    import importlib

    from portaat.crowds.models import ConsentText

    latest = ConsentText.objects.order_by("-version").first()
    if latest is None:
        seed = importlib.import_module("portaat.crowds.migrations.0002_seed")
        latest = ConsentText.objects.create(version=1, **seed.CONSENT)
    return latest


# --- thanks (kiitos) ---------------------------------------------------------------------------


class ThanksProfileFactory(factory.django.DjangoModelFactory):
    """An official who allows being thanked by name."""

    class Meta:
        model = "thanks.ThanksProfile"
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory, role=Role.OFFICIAL)
    accepts_thanks = True
    public_name = factory.Sequence(lambda n: f"Maija Virtanen {n}")


class ThanksFactory(factory.django.DjangoModelFactory):
    """A thanks to a whole unit, waiting for moderation (``status="approved"`` publishes it)."""

    class Meta:
        model = "thanks.Thanks"

    unit = factory.SubFactory(UnitFactory)
    official = None
    story = factory.Sequence(lambda n: f"Kiitos, että kuuntelitte meitä {n}.")
    language = "fi"
    thanker_name = "Liisa"
    status = "pending"
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == "approved" else None
    )
