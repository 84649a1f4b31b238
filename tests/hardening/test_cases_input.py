"""The case pages (open, assess, log an interaction, edit) with hostile and odd input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portaat.cases.models import Assessment, Case, Interaction
from portaat.ladders.models import Ladder
from tests.factories import ActivismFactory, AssessmentFactory
from tests.hardening.conftest import HUGE, NUL, SCRIPT, status_ok

pytestmark = pytest.mark.django_db


def assessment(**overrides):
    values = {
        "perspective": "official",
        "current_level": "2",
        "target_level": "5",
        "rationale": "Perustelu",
        "assessed_on": timezone.localdate().isoformat(),
    }
    values.update(overrides)
    return values


BAD_DATES = ["0000-00-00", "9999-12-31", "2026-02-30", "31.12.2025x", NUL, "1" * 400]


@pytest.mark.parametrize(
    "override",
    [
        {"rationale": NUL},
        {"rationale": HUGE},
        {"perspective": "god"},
        {"perspective": NUL},
        {"current_level": "9"},
        {"current_level": "0"},
        {"current_level": "-1"},
        {"current_level": "2.5"},
        {"current_level": "99999999999999999999999"},
        {"target_level": "²"},
        {"target_level": "1", "rationale": "  "},
        *({"assessed_on": day} for day in BAD_DATES),
    ],
)
def test_bad_assessments_are_errors_and_write_nothing(client_for, reko_case, override):
    response = client_for("official").post(f"/cases/{reko_case.pk}/assess/", assessment(**override))
    status_ok(response, 400)
    assert not Assessment.objects.exists()


def test_far_past_assessment_dates_do_not_break_the_pages(client_for, reko_case, unit):
    """Year 1 is a valid date for a form; the pages that compute with dates must survive it."""
    client = client_for("official")
    response = client.post(f"/cases/{reko_case.pk}/assess/", assessment(assessed_on="0001-01-01"))
    status_ok(response, 302, 400)
    AssessmentFactory(case=reko_case, assessed_on=dt.date(1, 1, 1))
    status_ok(client.get(f"/cases/{reko_case.pk}/"), 200)
    status_ok(client.get(f"/units/{unit.slug}/"), 200)
    status_ok(client.get(f"/units/{unit.slug}/maturity/"), 200)
    status_ok(client.get(f"/api/v1/units/{unit.slug}/maturity/"), 200)


@pytest.mark.parametrize(
    "override",
    [
        {"note": NUL},
        {"note": HUGE},
        {"kind": "party"},
        *({"happened_on": day} for day in BAD_DATES),
    ],
)
def test_bad_interactions_are_errors(client_for, reko_case, override):
    data = {"kind": "event", "happened_on": timezone.localdate().isoformat(), "note": "x"}
    data.update(override)
    response = client_for("official").post(f"/cases/{reko_case.pk}/interactions/new/", data)
    status_ok(response, 400)
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("notes", [NUL, HUGE])
def test_bad_internal_notes_are_errors(client_for, reko_case, notes):
    response = client_for("official").post(
        f"/cases/{reko_case.pk}/edit/", {"internal_notes": notes, "positions_public": "on"}
    )
    status_ok(response, 400)
    reko_case.refresh_from_db()
    assert reko_case.internal_notes == ""
    assert not reko_case.positions_public


@pytest.mark.parametrize(
    "query", ["abc", "-1", "1.0", "²", "١", "99999999999999999999999", NUL, " 1"]
)
def test_odd_activism_ids_when_opening_a_case(client_for, reko_case, query):
    response = client_for("official").get("/cases/new/", {"activism": query})
    status_ok(response, 200, 400, 404)


@pytest.mark.parametrize("query", [NUL, HUGE[:3000], "%", "_", "\\", SCRIPT])
def test_odd_searches_when_choosing_an_activism(client_for, reko_case, query):
    response = client_for("official").get("/cases/new/", {"q": query})
    status_ok(response, 200, 400)
    assert "<script>alert" not in response.content.decode()


@pytest.mark.parametrize("unit_value", ["abc", "99999999999999999999", NUL, ""])
def test_odd_units_when_opening_a_case(client_for, reko_case, unit_value):
    activism = ActivismFactory()
    response = client_for("official").post(
        f"/cases/new/?activism={activism.pk}",
        {"unit": unit_value, "ladder": str(reko_case.ladder_id)},
    )
    status_ok(response, 400)
    assert not Case.objects.filter(activism=activism).exists()


@pytest.mark.parametrize("ladder_value", ["abc", "99999999999999999999", NUL, "-1"])
def test_odd_ladders_when_opening_a_case(client_for, reko_case, unit, ladder_value):
    activism = ActivismFactory()
    response = client_for("official").post(
        f"/cases/new/?activism={activism.pk}", {"unit": str(unit.pk), "ladder": ladder_value}
    )
    status_ok(response, 400)
    assert not Case.objects.filter(activism=activism).exists()


def test_a_case_in_someone_elses_unit_cannot_be_opened(client_for, city, unit, builtin):
    activism = ActivismFactory()
    ladder = Ladder.objects.get(slug="reko")
    response = client_for("official").post(
        f"/cases/new/?activism={activism.pk}",
        {"unit": str(city["other"].pk), "ladder": str(ladder.pk)},
    )
    status_ok(response, 400, 403)
    assert not Case.objects.exists()


@pytest.mark.parametrize("pk", ["99999999999999999999", "0"])
def test_huge_case_ids_are_not_found(client_for, pk):
    client = client_for("official")
    for path in ("", "assess/", "interactions/new/", "edit/"):
        status_ok(client.get(f"/cases/{pk}/{path}"), 404)


def test_script_in_texts_is_escaped_on_the_case_page(client_for, reko_case):
    activism = reko_case.activism
    activism.name = SCRIPT
    activism.save()
    reko_case.internal_notes = SCRIPT
    reko_case.save()
    AssessmentFactory(case=reko_case, rationale=SCRIPT)
    Interaction.objects.create(
        case=reko_case, kind="event", happened_on=timezone.localdate(), note=SCRIPT
    )
    for persona in ("official", "activist"):
        page = client_for(persona).get(f"/cases/{reko_case.pk}/").content.decode()
        assert "<script>alert" not in page


def test_activists_never_see_internal_notes(client_for, reko_case):
    reko_case.internal_notes = "SALAINEN muistiinpano"
    reko_case.save()
    page = client_for("activist").get(f"/cases/{reko_case.pk}/").content.decode()
    assert "SALAINEN" not in page
    api = client_for("activist").get(f"/api/v1/cases/{reko_case.pk}/").json()
    assert api["internal_notes"] is None
