"""A case's plan through the API (POST /api/v1/plan-items/, PATCH /api/v1/plan-items/{id}/):
those who may change the case add practices and change items, with the case page's rules — a
practice once per case, an owner among those who may take it on; others are refused and
nothing changes."""

from __future__ import annotations

import pytest
from django.test import Client

from portaat.repertoire import services
from portaat.repertoire.models import PlanItem, Practice
from tests.factories import CaseFactory, UserFactory
from tests.helpers import api_key_for, translation_of

pytestmark = pytest.mark.django_db
URL = "/api/v1/plan-items/"


@pytest.fixture
def practice(builtin):
    services.sync_builtin_practices()
    return Practice.objects.order_by("pk").first()


def _post(client, body, **extra):
    return client.post(URL, body, content_type="application/json", **extra)


def _patch(client, pk, body, **extra):
    return client.patch(f"{URL}{pk}/", body, content_type="application/json", **extra)


def test_a_unit_member_plans_a_practice_and_changes_it(client_for, personas, reko_case, practice):
    official = client_for("official")
    made = _post(
        official,
        {
            "case": reko_case.pk,
            "practice": practice.pk,
            "owner": "coordinator@example.org",
            "due_on": "2026-12-31",
        },
    )
    assert made.status_code == 201, made.json()
    item = made.json()
    assert (item["case"], item["practice"], item["status"], item["owner"], item["due_on"]) == (
        reko_case.pk,
        practice.pk,
        "todo",
        "coordinator@example.org",
        "2026-12-31",
    )
    changed = _patch(official, item["id"], {"status": "doing"})
    assert changed.status_code == 200, changed.json()
    stored = PlanItem.objects.get()
    assert stored.status == "doing"
    assert stored.owner == personas["coordinator"]  # left out: kept
    assert str(stored.due_on) == "2026-12-31"
    cleared = _patch(official, item["id"], {"owner": None, "due_on": None})
    assert cleared.status_code == 200
    stored.refresh_from_db()
    assert (stored.owner, stored.due_on, stored.status) == (None, None, "doing")


def test_a_practice_is_planned_once_per_case(client_for, reko_case, practice):
    official = client_for("official")
    body = {"case": reko_case.pk, "practice": practice.pk}
    assert _post(official, body).status_code == 201
    again = _post(official, body, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["This practice is already in the case's plan."]}
    assert PlanItem.objects.count() == 1


def test_the_owner_must_be_one_who_may_take_it_on(client_for, reko_case, practice):
    UserFactory(username="outsider@example.org", email="outsider@example.org")
    response = _post(
        client_for("official"),
        {"case": reko_case.pk, "practice": practice.pk, "owner": "outsider@example.org"},
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert response.status_code == 400
    assert response.json() == {
        "owner": [translation_of("Nobody who may take on this case's plan has that address.", "sv")]
    }
    assert not PlanItem.objects.exists()


def test_those_who_only_see_the_case_or_not_even_that_are_refused(client_for, reko_case, practice):
    body = {"case": reko_case.pk, "practice": practice.pk}
    # the activism's maintainer sees the case but does not plan the unit's work
    assert _post(client_for("activist"), body).status_code == 403
    # a case the writer may not see is reported as an unknown id
    hidden = _post(client_for("researcher"), body, HTTP_ACCEPT_LANGUAGE="en")
    assert hidden.status_code == 400 and "case" in hidden.json()
    assert _post(Client(), body).status_code == 403
    assert not PlanItem.objects.exists()

    item = services.plan_practice(reko_case, practice)
    assert _patch(client_for("activist"), item.pk, {"status": "done"}).status_code == 403
    assert _patch(client_for("researcher"), item.pk, {"status": "done"}).status_code == 404
    item.refresh_from_db()
    assert item.status == "todo"


def test_another_units_official_may_not_plan_this_case(roles, reko_case, practice):
    other = UserFactory(username="other@example.org", role="official")
    elsewhere = CaseFactory()
    from tests.factories import MembershipFactory

    MembershipFactory(unit=elsewhere.unit, user=other)
    client = Client(HTTP_AUTHORIZATION=f"Token {api_key_for(other)}")
    response = _post(client, {"case": reko_case.pk, "practice": practice.pk})
    assert response.status_code == 403
    assert not PlanItem.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"practice": 999999}, "practice"),
        ({"due_on": "1999-12-31"}, "non_field_errors"),
        ({"due_on": "tomorrow"}, "due_on"),
        ({"case": "²"}, "case"),
    ],
)
def test_bad_input_is_a_400_that_saves_nothing(client_for, reko_case, practice, body, field):
    full = {"case": reko_case.pk, "practice": practice.pk, **body}
    response = _post(client_for("official"), full)
    assert response.status_code == 400
    assert field in response.json()
    assert not PlanItem.objects.exists()


def test_a_bad_status_changes_nothing(client_for, reko_case, practice):
    item = services.plan_practice(reko_case, practice)
    assert _patch(client_for("official"), item.pk, {"status": "finished"}).status_code == 400
    item.refresh_from_db()
    assert item.status == "todo"
