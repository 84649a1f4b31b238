"""Writing through the API: recording an assessment and logging an interaction, with the
pages' rights and rules; every refusal is a translated JSON error and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from portaat.cases.models import Assessment, Interaction
from tests.factories import ActivismFactory, CaseFactory
from tests.helpers import api_key_for, translation_of

pytestmark = pytest.mark.django_db

ASSESSMENTS = "/api/v1/assessments/"
INTERACTIONS = "/api/v1/interactions/"


def _token_client(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}", HTTP_ACCEPT_LANGUAGE="en")


def _assessment(case, **overrides):
    return {
        "case": case.pk,
        "perspective": "official",
        "current_level": 3,
        "target_level": 5,
        "rationale": "Yhteinen jakelupaikka.",
        **overrides,
    }


def test_an_official_of_the_unit_records_an_assessment_with_a_token(reko_case, official):
    response = _token_client(official).post(
        ASSESSMENTS, _assessment(reko_case), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assessment = Assessment.objects.get()
    assert body["id"] == assessment.pk and body["case"] == reko_case.pk
    assert (body["current_level"], body["target_level"]) == (3, 5)
    assert body["assessed_on"] == timezone.localdate().isoformat()
    assert assessment.author == official
    # and it is read back like any other
    listed = _token_client(official).get(f"{ASSESSMENTS}?case={reko_case.pk}").json()
    assert [a["id"] for a in listed["results"]] == [assessment.pk]


def test_a_maintainer_records_the_activists_view_only(reko_case, activist):
    client = _token_client(activist)
    refused = client.post(ASSESSMENTS, _assessment(reko_case), content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "You may not record an assessment from this perspective."
    ok = client.post(
        ASSESSMENTS, _assessment(reko_case, perspective="activist"), content_type="application/json"
    )
    assert ok.status_code == 201
    assert list(Assessment.objects.values_list("perspective", flat=True)) == ["activist"]


def test_a_case_the_writer_may_not_see_is_reported_as_unknown(reko_case, activist):
    hidden = CaseFactory(activism=ActivismFactory(name="Toinen"), unit=reko_case.unit)
    client = _token_client(activist)
    for case_id in (hidden.pk, 999_999):
        response = client.post(
            ASSESSMENTS,
            {**_assessment(reko_case, perspective="activist"), "case": case_id},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json() == {"case": [f'Invalid pk "{case_id}" - object does not exist.']}, (
            case_id
        )
    assert not Assessment.objects.exists()


def test_signed_out_writes_are_refused(reko_case):
    response = Client().post(ASSESSMENTS, _assessment(reko_case), content_type="application/json")
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_a_session_must_send_its_csrf_token(reko_case, official):
    client = Client(enforce_csrf_checks=True)
    client.force_login(official)
    response = client.post(ASSESSMENTS, _assessment(reko_case), content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"current_level": 9}, "current_level"),
        ({"target_level": "kolme"}, "target_level"),
        ({"perspective": "mayor"}, "perspective"),
        ({"assessed_on": "2026-13-01"}, "assessed_on"),
        ({"rationale": "x" * 10_001}, "rationale"),
        ({"rationale": "nul \x00"}, "rationale"),
        ({"case": None}, "case"),
    ],
)
def test_invalid_fields_are_refused(reko_case, official, change, field):
    response = _token_client(official).post(
        ASSESSMENTS, {**_assessment(reko_case), **change}, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Assessment.objects.exists()


def test_the_services_rules_are_translated_errors(reko_case, official):
    client = _token_client(official)
    lower = "The target is below the current level. Say why in the rationale."
    response = client.post(
        ASSESSMENTS,
        _assessment(reko_case, current_level=5, target_level=3, rationale=""),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [translation_of(lower, "sv")]}
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        ASSESSMENTS, _assessment(reko_case, assessed_on=tomorrow), content_type="application/json"
    )
    assert response.json() == {"non_field_errors": ["The date cannot be in the future."]}
    assert not Assessment.objects.exists()


def test_a_member_of_the_unit_logs_an_interaction(reko_case, official):
    day = timezone.localdate().isoformat()
    response = _token_client(official).post(
        INTERACTIONS,
        {"case": reko_case.pk, "kind": "meeting", "happened_on": day, "note": "Tapasimme."},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    interaction = Interaction.objects.get()
    assert (interaction.kind, interaction.note, interaction.author) == (
        "meeting",
        "Tapasimme.",
        official,
    )
    assert response.json()["id"] == interaction.pk


def test_a_maintainer_does_not_log_the_units_interactions(reko_case, activist):
    day = timezone.localdate().isoformat()
    response = _token_client(activist).post(
        INTERACTIONS,
        {"case": reko_case.pk, "kind": "meeting", "happened_on": day},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Interaction.objects.exists()


def test_an_interaction_in_the_future_or_of_an_unknown_kind_is_refused(reko_case, official):
    client = _token_client(official)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    for body in (
        {"case": reko_case.pk, "kind": "meeting", "happened_on": tomorrow},
        {"case": reko_case.pk, "kind": "party", "happened_on": "2026-01-01"},
        {"case": reko_case.pk, "kind": "meeting"},
    ):
        response = client.post(INTERACTIONS, body, content_type="application/json")
        assert response.status_code == 400, body
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_body_that_is_not_json_is_a_translated_error(reko_case, official, lang):
    response = _token_client(official).post(
        INTERACTIONS, "{not json", content_type="application/json", HTTP_ACCEPT_LANGUAGE=lang
    )
    assert response.status_code == 400
    message = "The body could not be read: it is not valid for its content type."
    expected = message if lang == "en" else translation_of(message, lang)
    assert response.json() == {"non_field_errors": [expected]}
    assert not Interaction.objects.exists()
