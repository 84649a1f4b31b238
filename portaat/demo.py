"""``portaat demo``: clearly labelled example data, so a newcomer sees a lived-in product."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from portaat.access import Role
from portaat.ladders.models import Ladder
from portaat.ladders.services import StepTexts, save_custom_ladder

DEMO_PASSWORD = "demo-portaat"  # noqa: S105  # nosec B105  # printed to the user; demo data only

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
            if role == Role.OFFICIAL:
                # the demo official may run rapid-response calls (a coordinator grants this)
                from django.contrib.auth.models import Permission

                user.user_permissions.add(Permission.objects.get(codename="run_calls"))
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
    yield from _demo_city()
    yield from _demo_opportunities()


# title, kind, provider, domains (ladder slugs), area keys, (min €, max €), days to the deadline
DEMO_OPPORTUNITIES: list[tuple[str, str, str, list[str], list[str], tuple[Any, Any], Any]] = [
    (
        "[Esimerkki] Lähiruoka- ja kaupunkiviljelyavustus",
        "grant",
        "Esimerkkikaupunki",
        ["reko"],
        ["helsinki"],
        (500, 5000),
        60,
    ),
    (
        "[Esimerkki] Joukkorahoitusalusta",
        "crowdfunding",
        "Esimerkki ry",
        [],
        [],
        (None, None),
        None,
    ),
    (
        "[Esimerkki] Nuorisotalon tilat iltakäyttöön",
        "premises",
        "Nuorisopalvelut",
        [],
        ["helsinki-vuosaari"],
        (None, None),
        None,
    ),
    (
        "[Esimerkki] Asukasosallisuuden kaavoitusavustus",
        "grant",
        "Kaupunkiympäristön toimiala",
        ["city-planning"],
        ["helsinki"],
        (1000, 10000),
        30,
    ),
]


def _demo_opportunities() -> Iterator[str]:
    """Example entries of the catalogue of opportunities (issue 9: initiatives)."""
    import datetime as dt

    from django.utils import timezone

    from portaat.initiatives.models import Opportunity
    from portaat.initiatives.services import save_opportunity
    from portaat.registry.models import Area

    if Opportunity.objects.filter(title__startswith="[Esimerkki]").exists():
        return
    today = timezone.localdate()
    for title, kind, provider, domains, areas, (low, high), days in DEMO_OPPORTUNITIES:
        save_opportunity(
            Opportunity(
                title=title,
                kind=kind,
                provider=provider,
                description="Esimerkkiaineisto / Exempeldata / Example data.",
                amount_min=low,
                amount_max=high,
                deadline=today + dt.timedelta(days=days) if days is not None else None,
            ),
            domains=list(Ladder.objects.filter(slug__in=domains)),
            areas=list(Area.objects.filter(key__in=areas)),
        )
    yield f"example opportunities for initiatives: {len(DEMO_OPPORTUNITIES)}"


DEMO_UNITS = [
    # slug, parent, kind, names
    (
        "demo-city",
        None,
        "city",
        ("[Esimerkki] Esimerkkikaupunki", "[Exempel] Exempelstaden", "[Example] Example City"),
    ),
    (
        "demo-environment",
        "demo-city",
        "division",
        ("Kaupunkiympäristön toimiala", "Stadsmiljösektorn", "Urban Environment Division"),
    ),
    (
        "demo-planning",
        "demo-environment",
        "unit",
        ("Asemakaavoitus", "Detaljplanering", "Detailed planning"),
    ),
    (
        "demo-culture",
        "demo-city",
        "division",
        (
            "Kulttuurin ja vapaa-ajan toimiala",
            "Kultur- och fritidssektorn",
            "Culture and Leisure Division",
        ),
    ),
]

DEMO_ACTIVISMS = [
    # name, kind, area key, ladder, (current, target, rationale)
    (
        "[Esimerkki] Kallion kaupunkisuunnitteluryhmä",
        "planning-group",
        "helsinki-kallio",
        "city-planning",
        (2, 4, "Ryhmä haluaa keskustella kaavoittajien kanssa."),
    ),
    (
        "[Esimerkki] Vuosaaren REKO-rengas",
        "reko-ring",
        "helsinki-vuosaari",
        "reko",
        (1, 3, "Luvitus ja tiedotus ensin."),
    ),
]


def _demo_city() -> Iterator[str]:
    from portaat.cases.models import Case
    from portaat.cases.services import open_case, record_assessment
    from portaat.registry.models import ActivismKind, Area, Membership, Unit
    from portaat.registry.services import save_activism

    if Unit.objects.filter(slug="demo-city").exists():
        return
    units: dict[str, Unit] = {}
    for slug, parent, kind, (fi, sv, en) in DEMO_UNITS:
        units[slug] = Unit.objects.create(
            slug=slug, kind=kind, parent=units.get(parent or ""), name_fi=fi, name_sv=sv, name_en=en
        )
    user_model = get_user_model()
    official = user_model.objects.get(username="official@demo.example")
    coordinator = user_model.objects.get(username="coordinator@demo.example")
    Membership.objects.create(unit=units["demo-planning"], user=official, role="official")
    Membership.objects.create(unit=units["demo-city"], user=coordinator, role="coordinator")
    yield "example units: Example City → Urban Environment Division → Detailed planning"
    for name, kind, area_key, ladder_slug, (current, target, rationale) in DEMO_ACTIVISMS:
        activism = save_activism(
            activism=None,
            fields={
                "name": name,
                "description": "Esimerkkiaineisto / Exempeldata / Example data.",
                "kind": ActivismKind.objects.get(slug=kind),
                "visibility": "public",
            },
            domains=[Ladder.objects.get(slug=ladder_slug)],
            areas=list(Area.objects.filter(key=area_key)),
            by=official,
        )
        if kind == "reko-ring":
            # the demo activist keeps the ring's entry (and may post its initiatives)
            activism.maintainers.add(user_model.objects.get(username="activist@demo.example"))
        case: Case = open_case(
            activism=activism,
            unit=units["demo-planning"],
            ladder=Ladder.objects.get(slug=ladder_slug),
            by=official,
        )
        record_assessment(
            case,
            perspective="official",
            current_level=current,
            target_level=target,
            rationale=rationale,
            by=official,
        )
        yield f"example activism and case: {name}"
    yield from _demo_workshop(official)
    yield from _demo_listening(official)


# (language, hours ago, text, tags) of the example posts: an import, so no platform is contacted
DEMO_POSTS = (
    (
        "fi",
        3,
        "Kalliossa siivotaan Karhupuistoa lauantaina kello 10. Tervetuloa talkoisiin!",
        ["kallio", "puistotalkoot"],
    ),
    ("fi", 8, "REKO-jakelu siirtyy ensi viikolla torin laidalle. Muistakaa kassit!", ["reko"]),
    (
        "sv",
        20,
        "Vi städar Björnparken i Berghäll på lördag – alla är välkomna!",
        ["kallio", "puistotalkoot"],
    ),
    (
        "fi",
        30,
        "Yhteisöpuutarhan kastelu toimii taas: kiitos kaupungille vesipisteestä.",
        ["kaupunkiviljely"],
    ),
    (
        "en",
        44,
        "Volunteers from Kallio meet at the community garden on Sunday.",
        ["kallio", "puistotalkoot"],
    ),
    (
        "fi",
        60,
        "Raitiovaunu 9 ei kulje huomenna Pasilaan. Korvaava bussi pysäkiltä 2.",
        ["raitiovaunu"],
    ),
    ("sv", 75, "Lånecykeln i Vallgård behöver nya frivilliga för lördagar.", ["lånecykel"]),
    (
        "fi",
        90,
        "Puistotalkoot kokosi 40 naapuria. Ensi kerralla mukaan myös koululaiset!",
        ["puistotalkoot"],
    ),
)


def _demo_listening(official: Any) -> Iterator[str]:
    """A source of example posts (as if imported from a file) and the suggestions they make."""
    from datetime import timedelta

    from django.utils import timezone

    from portaat.listening.connectors.base import RemotePost
    from portaat.listening.ingest import Ingestor
    from portaat.listening.models import Source
    from portaat.registry.models import Activism

    source = Source.objects.create(
        name="[Esimerkki] Kallion ryhmän viestit / [Exempel] / [Example] posts",
        platform="import",
        kind="files",
        target="demo",
        schedule_minutes=0,
        legal_basis="Esimerkkiaineisto / Exempeldata / Example data.",
        created_by=official,
    )
    source.activisms.set(Activism.objects.filter(name__in=[n for n, *_ in DEMO_ACTIVISMS])[:1])
    now = timezone.now()
    Ingestor(source, "demo").add(
        [
            RemotePost(
                remote_id=f"demo-{number}",
                created_at=now - timedelta(hours=hours),
                text=text,
                language=language,
                author_handle=f"demo-author-{number % 3}",
                tags=tags,
                counts={"likes": number * 3},
            )
            for number, (language, hours, text, tags) in enumerate(DEMO_POSTS, start=1)
        ]
    )
    yield f"example listening source with {len(DEMO_POSTS)} posts"


# (role, language, name, current, target, comment) of the example workshop's participants
DEMO_PARTICIPANTS = (
    ("resident", "fi", "Aino", 3, 5, "Enemmän yhteisiä tapahtumia lähiöön."),
    ("activist", "fi", "", 3, 6, "Toivomme pysyvää tilaa jakelupäiville."),
    ("activist", "sv", "Björn", 2, 5, "Mer information på svenska, tack."),
    ("official", "fi", "", 3, 4, ""),
    ("researcher", "en", "", 3, 5, "Compare with the REKO rings in Tampere."),
    ("resident", "sv", "", 4, 5, ""),
)


def _demo_workshop(official: Any) -> Iterator[str]:
    """An example workshop on the demo cases, open three days, with a few answers."""
    from portaat.cases.models import Case
    from portaat.workshops import services as workshops

    cases = list(Case.objects.filter(unit__slug="demo-planning").order_by("pk"))
    if not cases:
        return
    workshop = workshops.create_workshop(
        title="[Esimerkki] Asukasilta / [Exempel] Invånarkväll / [Example] Residents' evening",
        cases=cases,
        facilitator=official,
        hours=72,
    )
    first = workshop.items.order_by("position").first()
    assert first is not None  # nosec B101  # type narrowing: the workshop has cases
    for role, language, name, current, target, comment in DEMO_PARTICIPANTS:
        participant = workshops.join(workshop, display_name=name, role=role, language=language)
        workshops.answer(
            participant, first, current_level=current, target_level=target, comment=comment
        )
    yield f"example workshop: join code {workshop.display_code} (open for three days)"
