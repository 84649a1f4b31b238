"""Recording an assessment: perspectives per person, levels on the eight steps, bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from portaat.cases.models import Assessment
from portaat.ladders.models import Ladder
from tests.factories import ActivismFactory, CaseFactory
from tests.helpers import html_lang

pytestmark = pytest.mark.django_db


def translated(msgid: str, lang: str) -> str:
    """``msgid`` in ``lang`` as the page would say it (the catalogue is filled in later)."""
    with translation.override(lang):
        return translation.gettext(msgid)


def url(case):
    return f"/cases/{case.pk}/assess/"


def data(**overrides):
    values = {
        "perspective": "official",
        "current_level": "2",
        "target_level": "5",
        "rationale": "Torikauppa tukee lähiruokastrategiaa",
        "assessed_on": "2026-01-15",
    }
    values.update(overrides)
    return values


def perspective_options(body: str) -> list[str]:
    select = body.split('name="perspective"', 1)[1].split("</select>", 1)[0]
    return [part.split('"', 1)[0] for part in select.split('<option value="')[1:]]


# --- who may record which perspective ---------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "perspectives"),
    [
        ("member", ["official", "workshop"]),
        ("coordinator", ["official", "workshop"]),
        ("division_official", ["official", "workshop"]),
        ("maintainer", ["activist"]),
        ("researcher", ["researcher"]),
    ],
)
def test_it_offers_the_perspectives_the_person_may_record(
    login, people, reko_case, who, perspectives
):
    r = login(people[who]).get(url(reko_case))
    assert r.status_code == 200
    assert perspective_options(r.content.decode()) == perspectives


@pytest.mark.parametrize(("who", "status"), [("outsider", 403), ("other_activist", 404)])
def test_it_turns_away_people_without_a_perspective(login, people, reko_case, who, status):
    client = login(people[who])
    assert client.get(url(reko_case)).status_code == status
    assert client.post(url(reko_case), data()).status_code == status
    assert client.post(url(reko_case), data(perspective="activist")).status_code == status
    assert not Assessment.objects.exists()


def test_it_sends_anonymous_visitors_to_log_in(client, reko_case):
    r = client.post(url(reko_case), data())
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/?next=")
    assert not Assessment.objects.exists()


def test_a_researcher_cannot_reach_an_internal_activisms_case(login, people, unit, builtin):
    case = CaseFactory(
        activism=ActivismFactory(visibility="internal"),
        unit=unit,
        ladder=Ladder.objects.get(slug="reko"),
    )
    client = login(people["researcher"])
    assert client.get(url(case)).status_code == 404
    assert client.post(url(case), data(perspective="researcher")).status_code == 404
    assert not Assessment.objects.exists()


# --- recording ---------------------------------------------------------------------------------


def test_it_records_the_officials_view(login, people, reko_case):
    r = login(people["member"]).post(url(reko_case), data(), follow=True)
    assert r.redirect_chain == [(f"/cases/{reko_case.pk}/", 302)]
    assessment = Assessment.objects.get()
    assert assessment.case == reko_case
    assert (assessment.perspective, assessment.current_level, assessment.target_level) == (
        "official",
        2,
        5,
    )
    assert assessment.rationale == "Torikauppa tukee lähiruokastrategiaa"
    assert assessment.assessed_on == dt.date(2026, 1, 15)
    assert assessment.author == people["member"]
    assert "case-disagreement" not in r.content.decode()
    assert 'role="status"' in r.content.decode()  # the success message


def test_it_records_the_activists_view(login, people, reko_case):
    r = login(people["maintainer"]).post(
        url(reko_case), data(perspective="activist", target_level="7")
    )
    assert r.status_code == 302
    assert r["Location"] == f"/cases/{reko_case.pk}/"
    assert Assessment.objects.get().perspective == "activist"


def test_a_researcher_records_and_comes_back_to_the_form(login, people, reko_case):
    r = login(people["researcher"]).post(url(reko_case), data(perspective="researcher"))
    assert r.status_code == 302
    assert r["Location"] == url(reko_case)  # the case page itself is not theirs to see
    assert Assessment.objects.get().perspective == "researcher"


def test_it_records_a_workshops_view(login, people, reko_case):
    assert (
        login(people["coordinator"]).post(url(reko_case), data(perspective="workshop")).status_code
        == 302
    )
    assert Assessment.objects.get().perspective == "workshop"


def test_it_allows_a_lower_target_with_a_rationale(login, people, reko_case):
    r = login(people["member"]).post(
        url(reko_case), data(current_level="6", target_level="4", rationale="Riittää meille")
    )
    assert r.status_code == 302
    assert Assessment.objects.get().target_level == 4


def test_it_dates_the_assessment_today_by_default(login, people, reko_case):
    body = login(people["member"]).get(url(reko_case)).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in body


def test_it_shows_the_steps_of_the_cases_ladder_as_choices(login, people, reko_case):
    body = login(people["member"]).get(url(reko_case)).content.decode()
    for name in ("current_level", "target_level"):
        values = [
            part.split('"', 1)[0]
            for part in body.split(f'name="{name}" id="id_{name}_')[1:]
            for part in [part.split('value="', 1)[1]]
        ]
        assert values == [str(level) for level in range(1, 9)]
    assert "2. REKot uuden ajan torikaupakonseptina" in body


def test_it_keeps_the_choices_after_an_error(login, people, reko_case):
    r = login(people["member"]).post(
        url(reko_case), data(current_level="6", target_level="4", rationale="")
    )
    body = r.content.decode()
    assert 'value="6" checked' in body
    assert 'value="4" checked' in body


# --- bad input changes nothing ------------------------------------------------------------------


@pytest.mark.parametrize("field", ["current_level", "target_level"])
@pytest.mark.parametrize("value", ["0", "9", "abc", "", "2.5", "-1"])
def test_it_rejects_a_level_off_the_stairs(login, people, reko_case, field, value):
    r = login(people["member"]).post(url(reko_case), data(**{field: value}))
    assert r.status_code == 400
    assert 'role="alert"' in r.content.decode()
    assert f"{field}_error" in r.content.decode()
    assert not Assessment.objects.exists()


def test_it_asks_why_a_target_is_lower(login, people, reko_case):
    r = login(people["member"]).post(
        url(reko_case), data(current_level="6", target_level="4", rationale="   ")
    )
    assert r.status_code == 400
    expected = translated("The target is below the current level. Say why in the rationale.", "fi")
    assert expected in r.content.decode()
    assert not Assessment.objects.exists()


def test_it_refuses_a_future_date(login, people, reko_case):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    r = login(people["member"]).post(url(reko_case), data(assessed_on=tomorrow.isoformat()))
    assert r.status_code == 400
    assert translated("The date cannot be in the future.", "fi") in r.content.decode()
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("value", ["", "31.2.2026", "huomenna"])
def test_it_refuses_a_bad_date(login, people, reko_case, value):
    r = login(people["member"]).post(url(reko_case), data(assessed_on=value))
    assert r.status_code == 400
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("who", "perspective"),
    [
        ("maintainer", "official"),  # an activist cannot speak for the officials
        ("maintainer", "researcher"),
        ("member", "activist"),  # nor an official for the activists
        ("researcher", "official"),
        ("coordinator", "activist"),
        ("member", "nobody"),
    ],
)
def test_it_refuses_a_perspective_the_person_may_not_record(
    login, people, reko_case, who, perspective
):
    r = login(people[who]).post(url(reko_case), data(perspective=perspective))
    assert r.status_code == 400
    assert "perspective_error" in r.content.decode()
    assert not Assessment.objects.exists()


def test_it_refuses_an_overlong_rationale(login, people, reko_case):
    r = login(people["member"]).post(url(reko_case), data(rationale="x" * 10_001))
    assert r.status_code == 400
    assert not Assessment.objects.exists()


def test_it_answers_404_for_a_missing_case(login, people, reko_case):
    assert login(people["member"]).get("/cases/999999/assess/").status_code == 404


# --- language ----------------------------------------------------------------------------------


def test_it_shows_the_steps_in_swedish(login, people, reko_case):
    r = login(people["maintainer"]).get(url(reko_case), HTTP_ACCEPT_LANGUAGE="sv")
    assert r.status_code == 200
    assert html_lang(r.content) == "sv"
    body = r.content.decode()
    assert "2. Ringarna som ett nytt torgkoncept" in body
    assert "REKot uuden ajan" not in body


def test_it_explains_a_lower_target_in_swedish(login, people, reko_case):
    r = login(people["member"]).post(
        url(reko_case),
        data(current_level="6", target_level="4", rationale=""),
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert r.status_code == 400
    expected = translated("The target is below the current level. Say why in the rationale.", "sv")
    assert expected in r.content.decode()


def test_it_puts_the_complaint_beside_the_field(login, people, reko_case):
    client = login(people["member"])
    body = client.post(
        url(reko_case), data(current_level="6", target_level="4", rationale="")
    ).content.decode()
    assert 'id="id_rationale_error"' in body
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    body = client.post(url(reko_case), data(assessed_on=tomorrow.isoformat())).content.decode()
    assert 'id="id_assessed_on_error"' in body
