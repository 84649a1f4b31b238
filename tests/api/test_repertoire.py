"""The repertoire API: practices with evidence, plans, experiments, recommendations and the
reader's own notifications, each with the pages' permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portaat.ladders.models import Ladder
from portaat.models import Notification
from portaat.repertoire import services
from portaat.repertoire.models import ActionType, Practice
from tests.factories import ActivismFactory, CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def reko_practice(level: int) -> Practice:
    return Practice.objects.get(step__ladder__slug="reko", level_from=level)


def closed_experiment(practices, cases, *, outcome="worked", lessons="Toimi hyvin.", owner=None):
    experiment = services.create_experiment(
        title="Kokeilu Lauttasaaressa",
        hypothesis="Tori tuo uusia jäseniä.",
        practices=practices,
        cases=cases,
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 5, 31),
        owner=owner,
    )
    services.close_experiment(
        experiment, outcome=outcome, lessons=lessons, evidence_links=["https://example.org/x"]
    )
    return experiment


@pytest.fixture
def similar_case(reko_case, unit):
    """Another REKO ring (same ladder, same kind) in another unit's care."""
    return CaseFactory(
        activism=ActivismFactory(name="Kallion REKO"), unit=unit, ladder=reko_case.ladder
    )


# --- practices --------------------------------------------------------------------------------


def test_practices_are_public_with_evidence_counts(client, reko_case, similar_case, official):
    worked = reko_practice(4)
    closed_experiment([worked], [similar_case], owner=official)
    r = client.get("/api/v1/practices/?ladder=reko&limit=100")
    assert r.status_code == 200
    data = r.json()
    assert data["count"] == 8  # the ladder's own steps
    by_id = {p["id"]: p for p in data["results"]}
    assert by_id[worked.pk]["evidence"] == {"tried": 1, "worked": 1, "partly": 0, "failed": 0}
    assert by_id[reko_practice(3).pk]["evidence"]["tried"] == 0
    assert set(by_id[worked.pk]["title"]) == {"fi", "sv", "en"}
    assert by_id[worked.pk]["ladders"] == ["reko"]
    assert by_id[worked.pk]["is_builtin"] is True
    assert "created_by" not in by_id[worked.pk]


def test_practices_filter_by_level_and_action_type(client, builtin):
    at_three = client.get("/api/v1/practices/?level=3&limit=500").json()["results"]
    assert at_three and all(p["level_from"] <= 3 <= p["level_to"] for p in at_three)
    kind = ActionType.DEVELOP.value
    typed = client.get(f"/api/v1/practices/?action_type={kind}&limit=500").json()["results"]
    assert typed and all(p["action_type"] == kind for p in typed)


def test_a_ladder_filter_includes_practices_for_any_ladder(client, builtin, coordinator):
    general = services.save_practice(
        practice=None,
        texts={"title": {"fi": "Yleinen käytäntö"}},
        level_from=2,
        level_to=4,
        action_type=ActionType.COORDINATE,
        by=coordinator,
    )
    other = services.save_practice(
        practice=None,
        texts={"title": {"fi": "Vain kaavoitukseen"}},
        level_from=2,
        level_to=4,
        action_type=ActionType.COORDINATE,
        ladders=[Ladder.objects.get(slug="city-planning")],
        by=coordinator,
    )
    ids = {
        p["id"] for p in client.get("/api/v1/practices/?ladder=reko&limit=100").json()["results"]
    }
    assert general.pk in ids
    assert other.pk not in ids


@pytest.mark.parametrize(
    "query", ["level=9", "level=x", "ladder=no-such-ladder", "action_type=magic", "ordering=pk"]
)
def test_bad_practice_filters_are_400(client, builtin, query):
    r = client.get(f"/api/v1/practices/?{query}")
    assert r.status_code == 400
    assert r.json()


def test_practices_sort_by_evidence(client, reko_case, similar_case):
    best = reko_practice(6)
    closed_experiment([best], [similar_case])
    first = client.get("/api/v1/practices/?ordering=-worked").json()["results"][0]
    assert first["id"] == best.pk


def test_the_practice_list_does_not_grow_in_queries(client, reko_case, similar_case):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/practices/?limit=100").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for level in (3, 4, 5):
        closed_experiment([reko_practice(level)], [similar_case])
    assert count() == few


def test_writes_are_not_allowed(client_for, builtin):
    client = client_for("coordinator")
    assert client.post("/api/v1/practices/", {}).status_code in (403, 405)
    assert client.delete(f"/api/v1/practices/{Practice.objects.first().pk}/").status_code in (
        403,
        405,
    )


# --- evidence ---------------------------------------------------------------------------------


def test_evidence_lessons_are_public_but_cases_only_for_the_administration(
    client, client_for, reko_case, similar_case
):
    practice = reko_practice(4)
    experiment = closed_experiment([practice], [similar_case], lessons="Sovi tori ajoissa.")
    public = client.get(f"/api/v1/practices/{practice.pk}/evidence/")
    assert public.status_code == 200
    data = public.json()
    assert data["tried"] == 1
    assert data["outcomes"]["worked"] == 1
    [lesson] = data["experiments"]
    assert lesson["id"] == experiment.pk
    assert lesson["lessons"] == "Sovi tori ajoissa."
    assert lesson["outcome"] == "worked"
    assert lesson["title"] is None and lesson["cases"] is None
    assert lesson["evidence_links"] is None
    assert "Kallion REKO" not in public.content.decode()
    for persona in ("activist", "researcher"):
        assert (
            client_for(persona)
            .get(f"/api/v1/practices/{practice.pk}/evidence/")
            .json()["experiments"][0]["cases"]
            is None
        )

    internal = client_for("official").get(f"/api/v1/practices/{practice.pk}/evidence/").json()
    [lesson] = internal["experiments"]
    assert lesson["cases"] == [{"id": similar_case.pk, "activism": "Kallion REKO"}]
    assert lesson["title"] == "Kokeilu Lauttasaaressa"


def test_evidence_of_an_untried_practice_and_a_missing_one(client, builtin):
    practice = Practice.objects.first()
    data = client.get(f"/api/v1/practices/{practice.pk}/evidence/").json()
    assert data == {
        "practice": practice.pk,
        "tried": 0,
        "outcomes": {"tried": 0, "worked": 0, "partly": 0, "failed": 0},
        "experiments": [],
    }
    assert client.get("/api/v1/practices/999999/evidence/").status_code == 404


# --- plan items ---------------------------------------------------------------------------------


@pytest.fixture
def plans(reko_case, official, unit):
    elsewhere = CaseFactory(activism=ActivismFactory(name="Muu"), unit=unit)
    mine = services.plan_practice(
        reko_case, reko_practice(4), owner=official, due_on=dt.date(2026, 12, 1)
    )
    other = services.plan_practice(
        elsewhere,
        Practice.objects.get(step__ladder=elsewhere.ladder, level_from=2),
        owner=official,
    )
    return mine, other


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", None),
        ("researcher", set()),
        ("activist", {"mine"}),  # maintainer of the REKO ring: its case's plan
        ("official", {"mine", "other"}),
        ("coordinator", {"mine", "other"}),
        ("admin", {"mine", "other"}),
    ],
)
def test_plan_items_follow_case_visibility(client_for, plans, persona, expected):
    mine, other = plans
    r = client_for(persona).get("/api/v1/plan-items/")
    if expected is None:
        assert r.status_code == 403
        return
    assert r.status_code == 200
    names = {mine.pk: "mine", other.pk: "other"}
    assert {names[item["id"]] for item in r.json()["results"]} == expected


def test_plan_item_owners_only_for_the_administration(client_for, plans, official):
    mine, _other = plans
    internal = client_for("official").get(f"/api/v1/plan-items/{mine.pk}/").json()
    assert internal["owner"] == official.email
    assert internal["due_on"] == "2026-12-01"
    assert internal["status"] == "todo"
    outside = client_for("activist").get(f"/api/v1/plan-items/{mine.pk}/").json()
    assert outside["owner"] is None


def test_plan_items_filter_by_case(client_for, plans, reko_case):
    mine, _other = plans
    data = client_for("official").get(f"/api/v1/plan-items/?case={reko_case.pk}").json()
    assert [item["id"] for item in data["results"]] == [mine.pk]


# --- experiments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 403),
        ("activist", 403),
        ("researcher", 403),
        ("official", 200),
        ("coordinator", 200),
        ("admin", 200),
    ],
)
def test_experiments_are_for_the_administration(client_for, reko_case, persona, status):
    experiment = closed_experiment([reko_practice(4)], [reko_case])
    r = client_for(persona).get("/api/v1/experiments/")
    assert r.status_code == status
    if status == 200:
        [item] = r.json()["results"]
        assert item["id"] == experiment.pk
        assert item["practices"] == [reko_practice(4).pk]
        assert item["cases"] == [reko_case.pk]
        assert item["outcome"] == "worked"
        assert item["lessons"] == "Toimi hyvin."


def test_experiments_filter(client_for, reko_case, similar_case):
    a = closed_experiment([reko_practice(4)], [reko_case])
    b = closed_experiment([reko_practice(5)], [similar_case], outcome="failed")
    client = client_for("official")

    def ids(query: str) -> set[int]:
        return {e["id"] for e in client.get(f"/api/v1/experiments/?{query}").json()["results"]}

    assert ids(f"case={reko_case.pk}") == {a.pk}
    assert ids(f"practice={reko_practice(5).pk}") == {b.pk}
    assert ids("outcome=failed") == {b.pk}
    assert client.get("/api/v1/experiments/?status=sleeping").status_code == 400


# --- recommendations ---------------------------------------------------------------------------


def test_recommendations_say_why_and_leave_out_what_was_tried_here(
    client_for, reko_case, similar_case
):
    worked_elsewhere = reko_practice(4)
    tried_here = reko_practice(5)
    closed_experiment([worked_elsewhere, tried_here], [similar_case])
    services.plan_practice(reko_case, tried_here)
    client = client_for("official")
    r = client.get(f"/api/v1/cases/{reko_case.pk}/recommendations/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    data = r.json()
    assert [item["practice"] for item in data] == [worked_elsewhere.pk]
    [item] = data
    assert item["tried"] == 1
    assert item["worked"] == 1.0
    assert item["similar_cases"] == [similar_case.pk]
    assert item["reason"] == "worked in 1 of 1 similar case"
    assert set(item["title"]) == {"fi", "sv", "en"}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 403),
        ("activist", 403),
        ("researcher", 403),
        ("official", 200),
        ("coordinator", 200),
        ("admin", 200),
    ],
)
def test_recommendations_are_for_the_administration(client_for, reko_case, persona, status):
    r = client_for(persona).get(f"/api/v1/cases/{reko_case.pk}/recommendations/")
    assert r.status_code == status


def test_recommendations_for_a_missing_case_are_404(client_for, builtin):
    assert client_for("official").get("/api/v1/cases/999999/recommendations/").status_code == 404


# --- notifications ------------------------------------------------------------------------------


def test_notifications_are_the_readers_own(client, client_for, official, coordinator):
    mine = Notification.objects.create(
        user=official,
        key="a",
        kind="reassess",
        params={"activism": "REKO", "last": "2025-10-01"},
        url="/cases/1/",
    )
    theirs = Notification.objects.create(user=coordinator, key="a", kind="reassess", params={})
    assert client.get("/api/v1/notifications/").status_code == 403
    api = client_for("official")
    data = api.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()
    [item] = data["results"]
    assert item["id"] == mine.pk
    assert item["text"] == "REKO has not been assessed since Oct. 1, 2025."
    assert item["url"] == "/cases/1/"
    assert item["read_at"] is None
    assert api.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert api.get("/api/v1/notifications/?unread=false").json()["count"] == 0
    assert api.get("/api/v1/notifications/?unread=true").json()["count"] == 1


@pytest.mark.parametrize("persona", ["activist", "researcher", "official", "coordinator", "admin"])
def test_every_signed_in_persona_reads_their_notifications(client_for, personas, persona):
    Notification.objects.create(user=personas[persona], key="k", kind="x", params={})
    Notification.objects.create(user=UserFactory(), key="k", kind="x", params={})
    data = client_for(persona).get("/api/v1/notifications/").json()
    assert data["count"] == 1


# --- schema -------------------------------------------------------------------------------------


def test_the_schema_describes_the_repertoire(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    assert set(paths) >= {
        "/api/v1/practices/",
        "/api/v1/practices/{id}/",
        "/api/v1/practices/{id}/evidence/",
        "/api/v1/plan-items/",
        "/api/v1/experiments/",
        "/api/v1/cases/{id}/recommendations/",
        "/api/v1/notifications/",
    }
    params = {p["name"] for p in paths["/api/v1/practices/"]["get"]["parameters"]}
    assert {"ladder", "level", "action_type", "ordering"} <= params
