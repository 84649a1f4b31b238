"""The workshops API: what facilitators see on their pages, read only, with the same rights —
the reader's own workshops (every one for site coordinators), the room's answers counted, and
never a participant's name, comment or the join code of a workshop that no longer takes part."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portaat.access import Role
from portaat.api import keys
from portaat.api.workshops import WorkshopRoleCountsSerializer, WorkshopSerializer
from portaat.ladders.models import Ladder
from portaat.registry.models import Membership
from portaat.workshops import services
from portaat.workshops.models import ParticipantRole, Workshop
from tests.factories import ActivismFactory, CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/workshops/"
NAMES = ("Maija Meikäläinen", "Olli Osallistuja")
COMMENTS = ("Jakelupaikka puuttuu torilta.", "Tämä kommentti on piilotettu.")


def detail(workshop: Workshop) -> str:
    return f"{LIST}{workshop.pk}/"


@pytest.fixture
def second_case(reko_case, unit):
    garden = ActivismFactory(name="Kumpulan kyläpuutarha")
    return CaseFactory(activism=garden, unit=unit, ladder=Ladder.objects.get(slug="city-planning"))


@pytest.fixture
def workshop(reko_case, second_case, official):
    """The official's open workshop on two cases: three participants answered on the first,
    one comment hidden by the facilitator, and the outcome recorded."""
    made = services.create_workshop(
        title="Asukasilta Lauttasaaressa",
        cases=[reko_case, second_case],
        facilitator=official,
        hours=3,
    )
    first = made.items.get(case=reko_case)
    answers = [
        ("resident", NAMES[0], 3, 5, COMMENTS[0]),
        ("activist", NAMES[1], 3, 6, COMMENTS[1]),
        ("official", "", 4, 5, ""),
    ]
    for role, name, current, target, comment in answers:
        participant = services.join(made, display_name=name, role=role, language="fi")
        saved = services.answer(
            participant, first, current_level=current, target_level=target, comment=comment
        )
        if comment == COMMENTS[1]:
            services.set_comment_hidden(saved, True)
    services.record_outcome(
        first, current_level=3, target_level=5, rationale="Sovittiin illassa.", by=official
    )
    return made


@pytest.fixture
def other_official(unit):
    person = UserFactory(username="other-official@example.org", role=Role.OFFICIAL)
    Membership.objects.create(unit=unit, user=person, role="official")
    return person


@pytest.fixture
def others_workshop(reko_case, other_official):
    return services.create_workshop(
        title="Toisen paja", cases=[reko_case], facilitator=other_official
    )


# --- who sees what -----------------------------------------------------------------------------


def test_a_facilitator_sees_their_workshop_and_its_results(client_for, workshop, reko_case):
    r = client_for("official").get(LIST)
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["count"] == 1
    found = data["results"][0]
    assert found == client_for("official").get(detail(workshop)).json()
    assert found["id"] == workshop.pk
    assert found["title"] == "Asukasilta Lauttasaaressa"
    assert found["state"] == "open"
    assert found["join_code"] == workshop.display_code  # while open, as on the page
    assert found["participants"] == 3
    assert found["closed_at"] is None
    first, second = found["cases"]
    assert first["case"] == reko_case.pk
    assert first["activism"] == {"id": reko_case.activism_id, "name": "Lauttasaaren REKO"}
    assert first["unit"]["slug"] == "planning"
    assert first["unit"]["name"]["sv"] == "Detaljplanering"
    assert first["ladder"]["slug"] == "reko"
    assert set(first["ladder"]["name"]) == {"fi", "sv", "en"}
    # recording the outcome locks the case, as on the page
    assert first["locked"] is True
    assert first["outcome"]["current_level"] == 3
    assert first["outcome"]["target_level"] == 5
    assert first["outcome"]["rationale"] == "Sovittiin illassa."
    results = first["results"]
    assert results["answered"] == 3
    assert results["comments"] == 1  # the hidden one is not counted
    assert (results["median_current"], results["median_target"]) == (3, 5)
    levels = {row["level"]: row for row in results["levels"]}
    assert sorted(levels) == list(range(1, 9))
    assert levels[3]["title"]["fi"]
    assert levels[3]["current"] == {
        "total": 2,
        "by_role": {"official": 0, "activist": 1, "resident": 1, "researcher": 0, "other": 0},
    }
    assert levels[4]["current"]["by_role"]["official"] == 1
    assert levels[5]["target"]["total"] == 2
    assert levels[6]["target"]["by_role"]["activist"] == 1
    assert levels[1]["current"]["total"] == 0
    # the second case: nobody answered yet
    assert second["locked"] is False
    assert second["outcome"] is None
    assert second["results"]["answered"] == 0
    assert second["results"]["median_current"] is None
    assert second["ladder"]["slug"] == "city-planning"


def test_an_integration_reads_them_with_the_facilitators_api_key(client, workshop, official):
    _row, key = keys.create(official, "raportti")
    r = client.get(LIST, HTTP_AUTHORIZATION=f"Token {key}")
    assert r.status_code == 200
    assert [w["id"] for w in r.json()["results"]] == [workshop.pk]


def test_a_coordinator_sees_every_workshop(client_for, workshop, others_workshop, coordinator):
    own = services.create_workshop(
        title="Koordinaattorin paja", cases=[workshop.items.first().case], facilitator=coordinator
    )
    r = client_for("coordinator").get(LIST)
    assert r.status_code == 200
    assert [w["id"] for w in r.json()["results"]] == [own.pk, others_workshop.pk, workshop.pk]
    for made in (workshop, others_workshop):
        r = client_for("coordinator").get(detail(made))
        assert r.status_code == 200
        assert r.json()["join_code"] == made.display_code  # they may facilitate it


def test_another_official_sees_none_of_them(client_for, workshop, others_workshop):
    r = client_for("official").get(LIST)
    assert [w["id"] for w in r.json()["results"]] == [workshop.pk]
    assert client_for("official").get(detail(others_workshop)).status_code == 404
    assert client_for("official").get(f"{LIST}?case={others_workshop.items.get().case_id}").json()[
        "results"
    ] == [client_for("official").get(detail(workshop)).json()]


def test_an_official_without_workshops_gets_an_empty_list(client, other_official, workshop):
    client.force_login(other_official)
    r = client.get(LIST)
    assert r.status_code == 200
    assert r.json()["count"] == 0
    assert client.get(detail(workshop)).status_code == 404


@pytest.mark.parametrize("persona", ["anonymous", "activist", "researcher"])
def test_others_are_refused(client_for, workshop, persona):
    for url in (LIST, detail(workshop), f"{LIST}?state=open"):
        r = client_for(persona).get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert r.status_code == 403, url
        assert set(r.json()) == {"detail"}
        assert workshop.title not in r.content.decode()


def test_it_is_read_only(client_for, workshop):
    for persona in ("anonymous", "official", "coordinator"):
        client = client_for(persona)
        assert client.post(LIST, {"title": "Uusi"}).status_code in (403, 405)
        assert client.put(detail(workshop), {"title": "Uusi"}).status_code in (403, 405)
        assert client.delete(detail(workshop)).status_code in (403, 405)
    assert Workshop.objects.count() == 1


@pytest.mark.parametrize("pk", ["999999", "0", "abc", "9" * 30])
def test_an_unknown_workshop_is_not_found(client_for, workshop, pk):
    r = client_for("coordinator").get(f"{LIST}{pk}/")
    assert r.status_code == 404


# --- what never leaks --------------------------------------------------------------------------


def test_no_participant_is_named_and_no_comment_is_quoted(client_for, workshop):
    for url in (LIST, detail(workshop)):
        body = client_for("official").get(url).content.decode()
        for secret in (*NAMES, *COMMENTS, "Maija", "display_name", "number", "cookie", "language"):
            assert secret not in body, (url, secret)
    case = client_for("official").get(detail(workshop)).json()["cases"][0]
    assert set(case) == {
        "id",
        "position",
        "case",
        "activism",
        "unit",
        "ladder",
        "locked",
        "locked_at",
        "outcome",
        "results",
    }
    # the outcome is the agreed levels, not the assessment's details (the distribution is in /api/v1/assessments/)
    assert set(case["outcome"]) == {
        "id",
        "current_level",
        "target_level",
        "rationale",
        "assessed_on",
    }


def test_the_join_code_is_gone_once_the_workshop_no_longer_takes_part(client_for, workshop):
    services.close_workshop(workshop)
    for url in (LIST, detail(workshop)):
        r = client_for("official").get(url)
        assert workshop.code not in r.content.decode()
        assert workshop.display_code not in r.content.decode()
    assert client_for("official").get(detail(workshop)).json()["join_code"] is None
    assert client_for("official").get(detail(workshop)).json()["state"] == "closed"


def test_the_join_code_is_never_shown_to_those_who_may_not_facilitate(
    client_for, workshop, others_workshop
):
    for persona in ("anonymous", "activist", "researcher", "official"):
        for url in (LIST, detail(others_workshop)):
            body = client_for(persona).get(url).content.decode()
            assert others_workshop.code not in body, (persona, url)
            assert others_workshop.display_code not in body, (persona, url)


def test_anonymised_workshops_keep_their_counts(client_for, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=400)
    )
    assert services.anonymise_ended_workshops() == 1
    data = client_for("official").get(detail(workshop)).json()
    assert data["anonymised_at"] is not None
    assert data["cases"][0]["results"]["answered"] == 3
    assert data["cases"][0]["results"]["comments"] == 0


# --- filters -----------------------------------------------------------------------------------


def test_filter_by_state(client_for, workshop, reko_case, official):
    closed = services.create_workshop(title="Suljettu", cases=[reko_case], facilitator=official)
    services.close_workshop(closed)
    expired = services.create_workshop(title="Päättynyt", cases=[reko_case], facilitator=official)
    Workshop.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(hours=1))
    client = client_for("official")

    def ids(query: str) -> list[int]:
        r = client.get(f"{LIST}?{query}")
        assert r.status_code == 200, r.content
        return [w["id"] for w in r.json()["results"]]

    assert ids("state=open") == [workshop.pk]
    assert ids("state=closed") == [closed.pk]
    assert ids("state=expired") == [expired.pk]
    assert ids("state=") == [expired.pk, closed.pk, workshop.pk]  # empty: no filter
    assert client.get(detail(expired)).json()["state"] == "expired"
    assert client.get(detail(expired)).json()["join_code"] is None


def test_filter_by_case(client_for, workshop, second_case, reko_case, official):
    only_first = services.create_workshop(title="Yksi", cases=[reko_case], facilitator=official)
    client = client_for("official")
    by_case = {
        case.pk: [w["id"] for w in client.get(f"{LIST}?case={case.pk}").json()["results"]]
        for case in (reko_case, second_case)
    }
    assert by_case == {reko_case.pk: [only_first.pk, workshop.pk], second_case.pk: [workshop.pk]}
    assert client.get(f"{LIST}?case={2**63 - 1}").json()["count"] == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("state=ajar", "state"),
        ("state=OPEN", "state"),
        ("case=abc", "case"),
        ("case=0", "case"),
        ("case=2.5", "case"),
        ("case=" + "9" * 30, "case"),
        ("limit=0", "limit"),
        ("offset=-1", "offset"),
    ],
)
def test_a_bad_query_parameter_is_a_translated_400(client_for, workshop, query, field):
    client = client_for("official")
    english = client.get(f"{LIST}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400, english.content
    assert list(english.json()) == [field]
    finnish = client.get(f"{LIST}?{query}")
    assert finnish.status_code == 400
    assert finnish.json()[field] != english.json()[field]  # translated


def test_an_unknown_state_is_named_in_the_message(client_for, workshop):
    r = client_for("official").get(f"{LIST}?state=ajar", HTTP_ACCEPT_LANGUAGE="en")
    assert r.json() == {
        "state": ["Select a valid choice. ajar is not one of the available choices."]
    }


def test_pages_as_the_rest_of_the_api(client_for, workshop, reko_case, official):
    for n in range(3):
        services.create_workshop(title=f"Paja {n}", cases=[reko_case], facilitator=official)
    r = client_for("official").get(f"{LIST}?limit=2")
    data = r.json()
    assert data["count"] == 4
    assert len(data["results"]) == 2
    assert "offset=2" in data["next"]


# --- queries -----------------------------------------------------------------------------------


def test_the_list_takes_the_same_queries_for_any_number_of_workshops(
    client_for, workshop, reko_case, second_case, official
):
    client = client_for("official")
    client.get(LIST)  # warm up the session and the caches

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    before = queries()
    for n in range(4):
        more = services.create_workshop(
            title=f"Paja {n}", cases=[second_case, reko_case], facilitator=official
        )
        participant = services.join(more, display_name="", role="other", language="sv")
        services.answer(participant, more.items.first(), current_level=2, target_level=3)
    assert queries() == before


def test_the_serializer_reads_a_workshop_from_anywhere(client_for, workshop, rf, official):
    """Outside the viewset's queryset (no annotations, nothing prefetched) it says the same."""
    request = rf.get(LIST)
    request.user = official
    plain = WorkshopSerializer(Workshop.objects.get(pk=workshop.pk), context={"request": request})
    assert plain.data == client_for("official").get(detail(workshop)).json()


# --- the schema --------------------------------------------------------------------------------


def test_role_counts_name_every_participant_role():
    assert list(WorkshopRoleCountsSerializer().fields) == list(ParticipantRole.values)


def test_the_schema_documents_the_endpoints(client):
    schema = client.get("/api/schema/?format=json").json()
    listing = schema["paths"]["/api/v1/workshops/"]["get"]
    params = {p["name"]: p for p in listing["parameters"]}
    assert set(params) == {"state", "case", "limit", "offset"}
    assert params["state"]["schema"]["enum"] == ["closed", "expired", "open"]
    assert params["state"]["description"]
    assert set(listing["responses"]) == {"200", "400", "403"}
    one = schema["paths"]["/api/v1/workshops/{id}/"]["get"]
    assert set(one["responses"]) == {"200", "403", "404"}
    workshop = schema["components"]["schemas"]["Workshop"]["properties"]
    assert workshop["join_code"]["nullable"] is True
    assert "code" not in workshop
