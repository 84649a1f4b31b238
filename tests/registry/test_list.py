from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portaat.ladders.models import Ladder
from portaat.registry.models import Channel
from tests.factories import ActivismFactory, UserFactory
from tests.registry.helpers import shown

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [activism.name for activism in response.context["page"].object_list]


@pytest.fixture
def mixed(activist):
    """One activism in each state of visibility and review."""
    return {
        "public": ActivismFactory(name="Julkinen rengas"),
        "internal": ActivismFactory(name="Sisäinen ryhmä", visibility="internal"),
        "pending": ActivismFactory(
            name="Odottava ryhmä", review="pending", origin="self", maintainers=[activist]
        ),
        "others_pending": ActivismFactory(name="Toisen odottava", review="pending", origin="self"),
        "rejected": ActivismFactory(name="Hylätty ryhmä", review="rejected", origin="self"),
    }


def test_anonymous_sees_only_public_approved_activisms(client_for, mixed):
    r = client_for("anonymous").get("/activisms/")
    assert r.status_code == 200
    assert names(r) == ["Julkinen rengas"]
    text = r.content.decode()
    for hidden in ("Sisäinen ryhmä", "Odottava ryhmä", "Toisen odottava", "Hylätty ryhmä"):
        assert hidden not in text


def test_researcher_sees_only_public_approved_activisms(client_for, mixed):
    assert names(client_for("researcher").get("/activisms/")) == ["Julkinen rengas"]


def test_activist_also_sees_the_one_they_maintain(client_for, mixed):
    r = client_for("activist").get("/activisms/")
    assert names(r) == ["Julkinen rengas", "Odottava ryhmä"]
    assert shown("Awaiting review") in r.content.decode()


@pytest.mark.parametrize("persona", ["official", "coordinator"])
def test_the_administration_sees_all_with_badges(client_for, mixed, persona):
    r = client_for(persona).get("/activisms/")
    assert sorted(names(r)) == sorted(a.name for a in mixed.values())
    text = r.content.decode()
    assert shown("Administration only") in text
    assert shown("Awaiting review") in text
    assert shown("Rejected") in text


def test_no_badges_for_the_public(client_for, mixed):
    text = client_for("anonymous").get("/activisms/").content.decode()
    assert shown("Administration only") not in text
    assert shown("Awaiting review") not in text


def test_an_activism_with_several_maintainers_is_listed_once(client_for, activist):
    ActivismFactory(name="Yhteinen", maintainers=[activist, UserFactory(), UserFactory()])
    assert names(client_for("activist").get("/activisms/")) == ["Yhteinen"]
    assert names(client_for("anonymous").get("/activisms/")) == ["Yhteinen"]


def test_it_filters_by_kind(client_for, kinds):
    ActivismFactory(name="Rengas", kind=kinds["reko"])
    ActivismFactory(name="Kaavaryhmä", kind=kinds["planning"])
    r = client_for("anonymous").get("/activisms/?kind=planning-group")
    assert r.status_code == 200
    assert names(r) == ["Kaavaryhmä"]


def test_it_filters_by_domain(client_for, builtin):
    reko = Ladder.objects.get(slug="reko")
    planning = Ladder.objects.get(slug="city-planning")
    ActivismFactory(name="Rengas").domains.set([reko])
    ActivismFactory(name="Kaavaryhmä").domains.set([planning, reko])
    ActivismFactory(name="Ei alaa")
    assert names(client_for("anonymous").get("/activisms/?domain=city-planning")) == ["Kaavaryhmä"]
    # an activism in two domains appears once
    assert names(client_for("anonymous").get("/activisms/?domain=reko")) == [
        "Kaavaryhmä",
        "Rengas",
    ]


def test_it_filters_by_municipality(client_for, areas):
    ActivismFactory(name="Helsinkiläinen", areas=[areas["kallahti"], areas["vuosaari"]])
    ActivismFactory(name="Espoolainen", areas=[areas["tapiola"]])
    assert names(client_for("anonymous").get("/activisms/?municipality=Espoo")) == ["Espoolainen"]
    assert names(client_for("anonymous").get("/activisms/?municipality=Helsinki")) == [
        "Helsinkiläinen"
    ]


def test_an_area_includes_the_areas_inside_it(client_for, areas):
    ActivismFactory(name="Kallahden ryhmä", areas=[areas["kallahti"]])
    ActivismFactory(name="Vuosaaren ryhmä", areas=[areas["vuosaari"]])
    ActivismFactory(name="Tapiolan ryhmä", areas=[areas["tapiola"]])
    client = client_for("anonymous")
    assert names(client.get("/activisms/?area=helsinki-kallahti")) == ["Kallahden ryhmä"]
    assert names(client.get("/activisms/?area=helsinki-vuosaari")) == [
        "Kallahden ryhmä",
        "Vuosaaren ryhmä",
    ]
    assert names(client.get("/activisms/?area=helsinki")) == ["Kallahden ryhmä", "Vuosaaren ryhmä"]


def test_it_filters_by_status(client_for):
    ActivismFactory(name="Toimiva")
    ActivismFactory(name="Hiljainen", status="dormant")
    assert names(client_for("anonymous").get("/activisms/?status=dormant")) == ["Hiljainen"]


@pytest.mark.parametrize("query", ["tORI", "torstai"])
def test_it_searches_name_and_description(client_for, query):
    ActivismFactory(name="Kauppatori", description="")
    ActivismFactory(name="Ruokarengas", description="Jako torstaisin")
    ActivismFactory(name="Muu", description="")
    expected = {"tORI": ["Kauppatori"], "torstai": ["Ruokarengas"]}[query]
    assert names(client_for("anonymous").get("/activisms/", {"q": query})) == expected


def test_filters_combine(client_for, kinds, areas):
    ActivismFactory(name="A", kind=kinds["reko"], areas=[areas["tapiola"]])
    ActivismFactory(name="B", kind=kinds["planning"], areas=[areas["tapiola"]])
    ActivismFactory(name="C", kind=kinds["reko"], areas=[areas["kallahti"]])
    r = client_for("anonymous").get("/activisms/?kind=reko-ring&municipality=Espoo")
    assert names(r) == ["A"]


def test_a_filter_never_reveals_hidden_activisms(client_for, kinds):
    ActivismFactory(name="Sisäinen", kind=kinds["planning"], visibility="internal")
    assert names(client_for("anonymous").get("/activisms/?kind=planning-group&q=Sis")) == []


@pytest.mark.parametrize(
    "query",
    ["kind=no-such-kind", "domain=nope", "area=atlantis", "status=asleep", "municipality=X"],
)
def test_a_bad_filter_is_reported_and_left_out(client_for, kinds, query):
    ActivismFactory(name="Rengas")
    r = client_for("anonymous").get(f"/activisms/?{query}")
    assert r.status_code == 400
    assert shown("Some filters were not understood and were left out") in r.content.decode()
    assert names(r) == ["Rengas"]


def test_it_pages_by_25(client_for):
    for number in range(30):
        ActivismFactory(name=f"Ryhmä {number:02d}")
    client = client_for("anonymous")
    first = client.get("/activisms/")
    assert len(names(first)) == 25
    assert first.context["page"].paginator.count == 30
    assert 'href="?page=2"' in first.content.decode()
    second = client.get("/activisms/?page=2")
    assert names(second) == [f"Ryhmä {n}" for n in range(25, 30)]
    # nonsense page numbers fall back to a real page instead of failing
    assert client.get("/activisms/?page=abc").status_code == 200
    assert client.get("/activisms/?page=999").context["page"].number == 2


def test_paging_keeps_the_filters(client_for, kinds):
    for number in range(26):
        ActivismFactory(name=f"Ryhmä {number:02d}", kind=kinds["planning"])
    text = client_for("anonymous").get("/activisms/?kind=planning-group").content.decode()
    assert 'href="?kind=planning-group&amp;page=2"' in text


def _populate(count: int, areas, builtin_ladders) -> None:
    for number in range(count):
        activism = ActivismFactory(
            name=f"Aktivismi {number:03d}",
            areas=[areas["kallahti"], areas["tapiola"]],
            visibility="internal" if number % 3 == 0 else "public",
        )
        activism.domains.set(builtin_ladders)
        Channel.objects.create(
            activism=activism,
            url=f"https://www.facebook.com/groups/ryhma{number}",
            platform="facebook_group",
            handle=f"ryhma{number}",
        )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["anonymous", "activist", "official"])
def test_the_query_count_does_not_grow_with_the_activisms(client_for, builtin, areas, persona):
    ladders = list(Ladder.objects.filter(slug__in=["reko", "city-planning"]))
    client = client_for(persona)
    _populate(3, areas, ladders)
    few = _queries(client, "/activisms/")
    _populate(20, areas, ladders)
    many = _queries(client, "/activisms/")
    assert few == many
    filtered = "/activisms/?kind=reko-ring&area=helsinki&domain=reko&q=Akt"
    assert _queries(client, filtered) <= many + 2


def test_it_invites_visitors_to_log_in_and_members_to_register(client_for):
    anonymous = client_for("anonymous").get("/activisms/").content.decode()
    assert "/accounts/login/?next=/activisms/new/" in anonymous
    activist = client_for("activist").get("/activisms/").content.decode()
    assert 'href="/activisms/new/"' in activist
    assert shown("Register your activism") in activist
    official = client_for("official").get("/activisms/").content.decode()
    assert shown("Register an activism") in official
    assert 'href="/activisms/review/"' in official
    assert 'href="/activisms/review/"' not in activist
