"""``portaat demo``: clearly labelled example data, so a newcomer sees a lived-in product."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from portaat.access import Role
from portaat.ladders.models import Ladder
from portaat.ladders.services import StepTexts, save_custom_ladder

DEMO_PASSWORD = "demo-portaat"  # noqa: S105 - printed to the user; demo data only

DEMO_USERS = [
    ("coordinator@demo.example", Role.COORDINATOR),
    ("official@demo.example", Role.OFFICIAL),
    ("researcher@demo.example", Role.RESEARCHER),
    ("activist@demo.example", Role.ACTIVIST),
]

GARDENING_STEPS = [
    (
        {
            "fi": "Viljelijät ja kaupunki toimivat erillään",
            "sv": "Odlarna och staden verkar åtskilda",
            "en": "Growers and the city act apart",
        }
    ),
    (
        {
            "fi": "Kaupunki tuntee alueen viljelyporukat",
            "sv": "Staden känner till områdets odlargrupper",
            "en": "The city knows the area's growing groups",
        }
    ),
    (
        {
            "fi": "Tiedottaminen vapaista viljelypaikoista",
            "sv": "Information om lediga odlingsplatser",
            "en": "Informing about free growing plots",
        }
    ),
    (
        {
            "fi": "Viranhaltijat mukana viljelijöiden someryhmässä",
            "sv": "Tjänsteinnehavare med i odlarnas grupp i sociala medier",
            "en": "Officials take part in the growers' social-media group",
        }
    ),
    (
        {
            "fi": "Kaupunki lainaa työkaluja ja vettä",
            "sv": "Staden lånar ut redskap och vatten",
            "en": "The city lends tools and water",
        }
    ),
    (
        {
            "fi": "Viljelypalstojen yhteissuunnittelu",
            "sv": "Gemensam planering av odlingslotterna",
            "en": "Co-planning the plots",
        }
    ),
    (
        {
            "fi": "Viljelyverkosto mukana viheralueohjelmassa",
            "sv": "Odlarnätverket med i grönområdesprogrammet",
            "en": "The growers' network in the green-area programme",
        }
    ),
    (
        {
            "fi": "Kaupunkiviljely osa puistojen ylläpitoa",
            "sv": "Stadsodling en del av parkskötseln",
            "en": "Urban growing is part of park maintenance",
        }
    ),
]


def load_demo() -> list[str]:
    """Create the demo accounts and an example custom ladder; idempotent, all or nothing."""
    # Collected inside the transaction: @atomic on a generator function would only wrap the
    # creation of the generator, and the rows would be written outside any transaction.
    with transaction.atomic():
        return list(_load_demo())


def _load_demo() -> Iterator[str]:
    user_model = get_user_model()
    for email, role in DEMO_USERS:
        user, created = user_model.objects.get_or_create(username=email, defaults={"email": email})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=role.value))
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
            yield f"demo account {email} ({role.value}), password {DEMO_PASSWORD}"
    if not Ladder.objects.filter(name_en__startswith="[Example]").exists():
        generic = Ladder.objects.get(slug="generic")
        save_custom_ladder(
            name={
                "fi": "[Esimerkki] Kaupunkiviljelyn portaat",
                "sv": "[Exempel] Stadsodlingens trappa",
                "en": "[Example] Urban gardening stairs",
            },
            domain={"fi": "Kaupunkiviljely", "sv": "Stadsodling", "en": "Urban gardening"},
            description={
                "fi": "Esimerkkiaineisto: kuvitteellinen portaikko kaupunkiviljelyn aktivismeille.",
                "sv": "Exempeldata: en påhittad trappa för stadsodlingsaktivism.",
                "en": "Example data: an invented ladder for urban-gardening activisms.",
            },
            steps=[StepTexts(title=title, description={}) for title in GARDENING_STEPS],
            based_on=generic,
        )
        yield "example ladder: [Example] Urban gardening stairs"
