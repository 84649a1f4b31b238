"""/units/<slug>/maturity/judgement/: the unit's own stage beside the estimate, kept as history."""

from __future__ import annotations

import pytest

from portaat.cases.models import MaturityJudgement
from tests.factories import MembershipFactory, UserFactory
from tests.units.conftest import ago, in_english, page_text

pytestmark = pytest.mark.django_db

URL = "/units/planning/maturity/judgement/"
GOOD = {"stage": "3", "rationale": "Teemme työtä aktivismien kanssa joka viikko."}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("activist", 403),
        ("researcher", 403),
        ("official", 403),
        ("coordinator", 302),
        ("admin", 302),
    ],
)
def test_who_may_record_for_a_unit_they_do_not_belong_to(
    client_for, builtin, city, persona, status
):
    assert client_for(persona).post(URL, GOOD).status_code == status
    assert MaturityJudgement.objects.exists() == (status == 302)


def test_anonymous_visitors_are_sent_to_log_in(client_for, city):
    r = client_for("anonymous").post(URL, GOOD)
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")
    assert not MaturityJudgement.objects.exists()


@pytest.mark.parametrize("persona", ["anonymous", "official", "coordinator"])
def test_get_is_not_allowed(client_for, city, persona):
    assert client_for(persona).get(URL).status_code == 405


def test_a_member_coordinator_records_but_a_member_official_may_not(client, builtin, city):
    official, lead = UserFactory(), UserFactory()
    MembershipFactory(unit=city["unit"], user=official, role="official")
    MembershipFactory(unit=city["unit"], user=lead, role="coordinator")
    client.force_login(official)
    assert client.post(URL, GOOD).status_code == 403
    client.force_login(lead)
    assert client.post(URL, GOOD).status_code == 302
    assert client.post("/units/culture/maturity/judgement/", GOOD).status_code == 403
    assert MaturityJudgement.objects.count() == 1


def test_the_judgement_keeps_the_estimate_of_its_moment(client_for, unit, make_case, coordinator):
    make_case(unit, "reko", [(ago(1), 2, 5)])  # stage 2
    client = in_english(client_for("coordinator"))
    r = client.post(URL, GOOD)
    assert r.status_code == 302
    assert r["Location"] == "/units/planning/maturity/"
    judgement = MaturityJudgement.objects.get()
    assert (judgement.stage, judgement.estimated_stage) == (3, 2)
    assert judgement.rationale == GOOD["rationale"]
    assert judgement.author == coordinator
    client.post(URL, {"stage": "2", "rationale": "Tarkemmin katsottuna"})
    page = client.get("/units/planning/maturity/")
    text = page_text(page)
    assert "The unit's own judgement was recorded." in text
    assert [j.stage for j in page.context["judgements"]] == [2, 3]  # newest first, history kept
    assert "Tarkemmin katsottuna" in text
    assert GOOD["rationale"] in text


@pytest.mark.parametrize(
    "data",
    [
        {"stage": "6", "rationale": "x"},
        {"stage": "0", "rationale": "x"},
        {"stage": "three", "rationale": "x"},
        {"stage": "", "rationale": "x"},
        {"stage": "3", "rationale": "   "},
        {},
    ],
)
def test_bad_input_is_400_with_a_message_and_writes_nothing(client_for, unit, builtin, data):
    r = in_english(client_for("coordinator")).post(URL, data)
    assert r.status_code == 400
    text = page_text(r)
    assert "The judgement was not recorded" in text
    assert "Estimated stage" in text  # the maturity page again, with the form's errors
    assert not MaturityJudgement.objects.exists()
