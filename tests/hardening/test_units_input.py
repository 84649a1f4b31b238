"""The unit pages (hierarchy, dashboard, maturity, goals, judgements) with odd input."""

from __future__ import annotations

import json
import re

import pytest
from django.utils import timezone

from portaat.cases.models import MaturityJudgement, UnitGoal
from tests.factories import ActivismFactory, AreaFactory, CaseFactory, UnitFactory
from tests.hardening.conftest import BAD_PAGES, HUGE, NUL, SCRIPT, status_ok

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", BAD_PAGES)
def test_odd_page_numbers_on_the_dashboard(client_for, reko_case, unit, page):
    response = client_for("official").get(f"/units/{unit.slug}/", {"page": page})
    status_ok(response, 200, 400)


@pytest.mark.parametrize(
    "params",
    [
        {"ladder": NUL},
        {"ladder": SCRIPT},
        {"area": "x" * 5000},
        {"kind": NUL},
        {"status": "zombie"},
        {"ladder": "reko", "page": "2"},
    ],
)
def test_odd_filters_on_the_dashboard_are_reported(client_for, reko_case, unit, params):
    response = client_for("official").get(f"/units/{unit.slug}/", params)
    status_ok(response, 200, 400)
    assert "<script>alert" not in response.content.decode()


@pytest.mark.parametrize("slug", ["nope", "a" * 3000, "%C3%A4", "-"])
def test_unknown_units_are_not_found(client_for, unit, slug):
    for path in ("", "maturity/", "goals/new/"):
        status_ok(client_for("coordinator").get(f"/units/{slug}/{path}"), 404)


def test_script_in_unit_activism_and_area_names_is_escaped(client_for, reko_case, unit):
    area = AreaFactory(key="x-area", name=SCRIPT, name_sv=SCRIPT, lat=60.2, lon=24.9)
    activism = reko_case.activism
    activism.name = SCRIPT
    activism.save()
    activism.areas.set([area])
    unit.name = SCRIPT
    unit.save()
    client = client_for("coordinator")
    for path in ("/units/", f"/units/{unit.slug}/", f"/units/{unit.slug}/maturity/"):
        page = client.get(path).content.decode()
        assert "<script>alert" not in page, path
        for blob in re.findall(r'<script id="[^"]+" type="application/json">(.*?)</script>', page):
            assert SCRIPT not in blob
            json.loads(blob)


@pytest.mark.parametrize(
    "override",
    [
        {"text": NUL},
        {"text": HUGE},
        {"text": "   "},
        {"set_on": "0000-00-00"},
        {"set_on": "9999-12-31"},
        {"set_on": NUL},
        {"activisms": ["99999999999999999999"]},
        {"activisms": ["abc"]},
    ],
)
def test_bad_goals_are_errors_and_write_nothing(client_for, reko_case, unit, override):
    data = {"text": "Tavoite", "set_on": timezone.localdate().isoformat()}
    data.update(override)
    response = client_for("coordinator").post(f"/units/{unit.slug}/goals/new/", data)
    status_ok(response, 400)
    assert not UnitGoal.objects.exists()


def test_a_goal_cannot_name_an_activism_outside_the_unit(client_for, reko_case, unit):
    stranger = ActivismFactory(visibility="internal")
    response = client_for("coordinator").post(
        f"/units/{unit.slug}/goals/new/",
        {"text": "T", "set_on": timezone.localdate().isoformat(), "activisms": [stranger.pk]},
    )
    status_ok(response, 400)
    assert not UnitGoal.objects.exists()


@pytest.mark.parametrize(
    "override",
    [
        {"stage": "6"},
        {"stage": "0"},
        {"stage": "abc"},
        {"stage": "99999999999999999999"},
        {"rationale": NUL},
        {"rationale": HUGE},
        {"rationale": ""},
    ],
)
def test_bad_judgements_are_errors_and_write_nothing(client_for, builtin, unit, override):
    data = {"stage": "2", "rationale": "Näin on"}
    data.update(override)
    response = client_for("coordinator").post(f"/units/{unit.slug}/maturity/judgement/", data)
    status_ok(response, 400)
    assert not MaturityJudgement.objects.exists()


def test_officials_of_other_units_cannot_record_for_this_unit(client_for, builtin, unit, city):
    other = UnitFactory(slug="sport", parent=city["city"])
    response = client_for("official").post(
        f"/units/{other.slug}/maturity/judgement/", {"stage": "2", "rationale": "x"}
    )
    status_ok(response, 403)
    assert not MaturityJudgement.objects.exists()


def test_activists_cannot_see_unit_pages(client_for, reko_case, unit):
    for path in ("/units/", f"/units/{unit.slug}/", f"/units/{unit.slug}/maturity/"):
        status_ok(client_for("activist").get(path), 403)


def test_the_dashboard_with_many_areas_and_odd_coordinates(client_for, unit, builtin):
    far = AreaFactory(key="far", name="Kaukana", lat=-89.9, lon=179.9)
    CaseFactory(unit=unit, activism=ActivismFactory(areas=[far]))
    status_ok(client_for("official").get(f"/units/{unit.slug}/"), 200)
