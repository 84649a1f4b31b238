"""The plan on the case page: the plan, suggested practices, what worked elsewhere, and the
POST endpoints that add practices to the plan and change its items."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portaat.access import Role
from portaat.ladders.models import Ladder
from portaat.repertoire import services
from portaat.repertoire.models import PlanItem, Practice
from tests.factories import (
    ActivismFactory,
    AssessmentFactory,
    CaseFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NEW = "/experiments/plan/new/"


def item_url(item):
    return f"/experiments/plan/{item.pk}/"


def page(case):
    return f"/cases/{case.pk}/"


def reko_practice(level):
    return Practice.objects.get(step__ladder__slug="reko", step__level=level)


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def case(reko_case, official):
    """The REKO case at level 3 with target 5 (the officials' view)."""
    AssessmentFactory(case=reko_case, current_level=3, target_level=5, author=official)
    return reko_case


@pytest.fixture
def outsider(roles, city):
    user = UserFactory(username="culture-official@example.org", role=Role.OFFICIAL)
    MembershipFactory(unit=city["other"], user=user, role="official")
    return user


# --- the plan section ----------------------------------------------------------------------------


def test_it_suggests_practices_for_the_next_two_levels(client_for, case):
    body = client_for("official").get(page(case)).content.decode()
    section = body.split('id="plan"', 1)[1].split("</section>", 1)[0]
    suggested = section.split('id="suggestions-title"', 1)[1].split('id="elsewhere-title"', 1)[0]
    for level in (4, 5):
        assert f'data-practice="{reko_practice(level).pk}"' in suggested
    for level in (3, 6):
        assert f'data-practice="{reko_practice(level).pk}"' not in suggested
    assert 'action="/experiments/plan/new/"' in suggested


@pytest.mark.parametrize(
    ("who", "sees"),
    [("official", True), ("coordinator", True), ("admin", True), ("activist", False)],
)
def test_only_those_who_may_change_the_case_see_the_plan(client_for, case, who, sees):
    body = client_for(who).get(page(case)).content.decode()
    assert ('id="plan"' in body) is sees


def test_another_units_official_does_not_see_the_plan(case, outsider):
    body = login(outsider).get(page(case)).content.decode()
    assert 'id="plan"' not in body


def test_it_lists_the_plan_with_a_form_per_item(client_for, case, official):
    item = services.plan_practice(
        case, reko_practice(4), owner=official, due_on=dt.date(2026, 9, 1)
    )
    body = client_for("official").get(page(case)).content.decode()
    row = body.split(f'id="plan-item-{item.pk}"', 1)[1].split("</li>", 1)[0]
    assert reko_practice(4).title_fi in row
    assert 'datetime="2026-09-01"' in row
    assert f'action="/experiments/plan/{item.pk}/"' in row
    assert f'<option value="{official.pk}" selected>' in row
    assert f"/experiments/new/?case={case.pk}&amp;practice={reko_practice(4).pk}" in row
    # a planned practice is no longer suggested
    suggested = body.split('id="suggestions-title"', 1)[1].split('id="elsewhere-title"', 1)[0]
    assert f'data-practice="{reko_practice(4).pk}"' not in suggested


def test_it_shows_what_worked_in_similar_cases_with_the_reason(client_for, case, builtin):
    similar = CaseFactory(
        activism=ActivismFactory(name="Vallilan REKO"),
        unit=case.unit,
        ladder=Ladder.objects.get(slug="reko"),
    )
    AssessmentFactory(
        case=similar, current_level=3, target_level=5, assessed_on=dt.date(2025, 1, 1)
    )
    practice = reko_practice(4)
    experiment = services.create_experiment(
        title="Tilalupa",
        hypothesis="h",
        practices=[practice],
        cases=[similar],
        starts_on=dt.date(2025, 2, 1),
        ends_on=dt.date(2025, 6, 1),
    )
    services.close_experiment(experiment, outcome="worked", lessons="Toimi")
    AssessmentFactory(
        case=similar, current_level=5, target_level=6, assessed_on=dt.date(2025, 7, 1)
    )
    [(_practice, rec)] = services.recommendations_for_case(case)
    body = client_for("official").get(page(case)).content.decode()
    elsewhere = body.split('id="elsewhere-title"', 1)[1].split("</ul>", 1)[0]
    assert f'data-kind="elsewhere" data-practice="{practice.pk}"' in elsewhere
    assert services.reason(rec) in elsewhere
    assert "3" in services.reason(rec) and "5" in services.reason(rec)


# --- adding to the plan --------------------------------------------------------------------------


def test_it_adds_a_practice_to_the_plan(client_for, case, official):
    practice = reko_practice(4)
    r = client_for("official").post(
        NEW,
        {"case": case.pk, "practice": practice.pk, "owner": official.pk, "due_on": "2026-10-01"},
    )
    assert r.status_code == 302
    assert r["Location"] == f"/cases/{case.pk}/#plan"
    item = PlanItem.objects.get(case=case)
    assert (item.practice, item.owner, item.due_on) == (practice, official, dt.date(2026, 10, 1))
    assert item.status == "todo"


def test_owner_and_due_date_are_optional(client_for, case):
    r = client_for("official").post(NEW, {"case": case.pk, "practice": reko_practice(5).pk})
    assert r.status_code == 302
    item = PlanItem.objects.get(case=case)
    assert item.owner is None and item.due_on is None


@pytest.mark.parametrize(
    "data",
    [
        {"practice": "999999"},  # no such practice
        {"practice": ""},  # none chosen
        {"due_on": "not a date"},
        {"due_on": "1999-12-31"},  # the service's sanity check
        {"owner": "999999"},  # not one of those who may own it
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(client_for, case, data):
    post = {"case": case.pk, "practice": reko_practice(4).pk, **data}
    r = client_for("official").post(NEW, post)
    assert r.status_code == 400
    assert 'role="alert"' in r.content.decode()
    assert not PlanItem.objects.exists()


def test_a_practice_is_planned_once(client_for, case):
    services.plan_practice(case, reko_practice(4))
    r = client_for("official").post(NEW, {"case": case.pk, "practice": reko_practice(4).pk})
    assert r.status_code == 400
    assert PlanItem.objects.count() == 1


def test_an_unknown_case_is_not_found(client_for, case):
    client = client_for("official")
    assert client.post(NEW, {"case": "999999", "practice": reko_practice(4).pk}).status_code == 404
    assert client.post(NEW, {"case": "x", "practice": reko_practice(4).pk}).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),  # to log in
        ("activist", 403),  # maintains the activism: sees the case, does not plan it
        ("researcher", 404),  # may not even learn that the case exists
        ("official", 302),
        ("coordinator", 302),
        ("admin", 302),
    ],
)
def test_who_may_add_to_the_plan(client_for, case, who, status):
    r = client_for(who).post(NEW, {"case": case.pk, "practice": reko_practice(4).pk})
    assert r.status_code == status
    assert PlanItem.objects.exists() is (status == 302 and who != "anonymous")
    if who == "anonymous":
        assert r["Location"].startswith("/accounts/login/")


def test_another_units_official_may_not_add_to_the_plan(case, outsider):
    r = login(outsider).post(NEW, {"case": case.pk, "practice": reko_practice(4).pk})
    assert r.status_code == 403
    assert not PlanItem.objects.exists()


@pytest.mark.parametrize("url", [NEW, "/experiments/plan/1/"])
def test_the_plan_endpoints_only_answer_post(client_for, case, url):
    assert client_for("official").get(url).status_code == 405


# --- changing an item ----------------------------------------------------------------------------


@pytest.fixture
def item(case):
    return services.plan_practice(case, reko_practice(4))


def test_it_changes_status_owner_and_due_date(client_for, item, coordinator):
    r = client_for("official").post(
        item_url(item), {"status": "doing", "owner": coordinator.pk, "due_on": "2026-11-30"}
    )
    assert r.status_code == 302
    assert r["Location"] == f"/cases/{item.case_id}/#plan-item-{item.pk}"
    item.refresh_from_db()
    assert (item.status, item.owner, item.due_on) == ("doing", coordinator, dt.date(2026, 11, 30))


def test_it_clears_owner_and_due_date(client_for, item, official):
    services.update_plan_item(item, status="doing", owner=official, due_on=dt.date(2026, 1, 1))
    r = client_for("official").post(item_url(item), {"status": "done", "owner": "", "due_on": ""})
    assert r.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.owner, item.due_on) == ("done", None, None)


@pytest.mark.parametrize(
    "data",
    [
        {"status": "bogus"},
        {"status": ""},
        {"status": "done", "owner": "999999"},
        {"status": "done", "due_on": "31.13.2026"},
    ],
)
def test_bad_changes_are_refused(client_for, item, data):
    r = client_for("official").post(item_url(item), data)
    assert r.status_code == 400
    item.refresh_from_db()
    assert (item.status, item.owner, item.due_on) == ("todo", None, None)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("activist", 403),
        ("researcher", 404),
        ("official", 302),
        ("coordinator", 302),
        ("admin", 302),
    ],
)
def test_who_may_change_an_item(client_for, item, who, status):
    r = client_for(who).post(item_url(item), {"status": "done"})
    assert r.status_code == status
    item.refresh_from_db()
    assert (item.status == "done") is (status == 302 and who != "anonymous")


def test_a_missing_item_is_not_found(client_for, case):
    assert (
        client_for("official").post("/experiments/plan/999999/", {"status": "done"}).status_code
        == 404
    )


# --- the case page stays cheap -------------------------------------------------------------------


def _queries(client, case):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(page(case)).status_code == 200
    return len(ctx.captured_queries)


def _closed_experiment(case, level, outcome="worked"):
    experiment = services.create_experiment(
        title=f"Kokeilu {level}",
        hypothesis="h",
        practices=[reko_practice(level)],
        cases=[case],
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 3, 1),
    )
    services.close_experiment(experiment, outcome=outcome, lessons="l")


def test_the_case_pages_query_count_does_not_grow_with_the_plan(unit, builtin, official, roles):
    reko = Ladder.objects.get(slug="reko")
    small, large, elsewhere = (
        CaseFactory(activism=ActivismFactory(), unit=unit, ladder=reko) for _ in range(3)
    )
    for case in (small, large, elsewhere):
        AssessmentFactory(case=case, current_level=2, target_level=6)
    _closed_experiment(elsewhere, 4)  # recommended to both: something in each section
    services.plan_practice(small, reko_practice(7), owner=official)
    for level in (3, 6, 7, 8):
        owner = UserFactory()
        MembershipFactory(unit=unit, user=owner)
        services.plan_practice(large, reko_practice(level), owner=owner, due_on=dt.date(2026, 1, 1))
    for level in (6, 8):
        _closed_experiment(large, level)
    client = login(official)
    client.get(page(small))  # warm up the session
    for case in (small, large):
        body = client.get(page(case)).content.decode()
        assert 'data-kind="suggestion"' in body and 'data-kind="elsewhere"' in body
    assert _queries(client, small) == _queries(client, large)
