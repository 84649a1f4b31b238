"""A practice's page: its texts, levels and ladders, its evidence, and who sees which cases."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from portaat.cases.services import record_assessment
from portaat.ladders.models import Ladder, Step
from portaat.repertoire import services
from tests.factories import ActivismFactory, CaseFactory

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 10)
PERSONAS = ["anonymous", "activist", "researcher", "official", "coordinator", "admin"]


def plain(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def practice(builtin):
    return services.save_practice(
        practice=None,
        texts={
            "title": {"fi": "Tilalupien pikakaista", "sv": "Snabbfil för lokaltillstånd"},
            "description": {"fi": "Nopea lupa jakopaikalle.", "sv": "Snabbt tillstånd."},
            "resources": {"fi": "Yksi lupakäsittelijä"},
            "risks": {"fi": "Liikenne ruuhkautuu"},
            "legal_notes": {"fi": "Maankäyttö- ja rakennuslaki: tilapäinen lupa"},
            "examples": {"fi": "Lauttasaaren REKO 2025"},
        },
        level_from=3,
        level_to=5,
        action_type="develop",
        ladders=[Ladder.objects.get(slug="reko")],
        links=["https://example.org/lupa", "javascript:alert(1)"],
    )


def close(practice, cases, outcome="worked", lessons="Lupa kannattaa hakea ajoissa."):
    experiment = services.create_experiment(
        title="Pikalupa keväällä",
        hypothesis="Jakopaikka saadaan nopeammin",
        practices=[practice],
        cases=cases,
        starts_on=START,
        ends_on=START + dt.timedelta(days=30),
    )
    services.close_experiment(experiment, outcome=outcome, lessons=lessons)
    return experiment


@pytest.mark.parametrize("persona", PERSONAS)
def test_everybody_reads_a_practice(practice, client_for, persona):
    r = client_for(persona).get(f"/practices/{practice.pk}/")
    assert r.status_code == 200
    text = plain(r)
    assert "Tilalupien pikakaista" in text
    assert "Nopea lupa jakopaikalle." in text
    assert "Yksi lupakäsittelijä" in text
    assert "Liikenne ruuhkautuu" in text
    assert "Maankäyttö- ja rakennuslaki" in text
    assert "Lauttasaaren REKO 2025" in text
    assert "REKO-renkaiden portaat" in text
    html = r.content.decode()
    assert 'href="https://example.org/lupa"' in html
    assert "javascript:" not in html  # only web addresses become links
    administration = persona in ("official", "coordinator", "admin")
    assert (f'href="/practices/{practice.pk}/edit/"' in html) == administration
    assert ('id="apply-title"' in html) == administration


def test_an_unknown_practice_is_not_found(builtin, client_for):
    assert client_for("anonymous").get("/practices/999999/").status_code == 404


def test_a_builtin_practice_shows_its_step_and_no_edit_link(builtin, client_for):
    step = Step.objects.get(ladder__slug="city-planning", level=4)
    r = client_for("coordinator").get(f"/practices/{step.practice.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Viranhaltijat keskustelevat aktivistien someryhmissä" in html
    assert "/edit/" not in html.split("<main", 1)[-1].split("</main>")[0]


def test_the_page_in_swedish(practice, client_for):
    r = client_for("anonymous").get(f"/practices/{practice.pk}/", HTTP_ACCEPT_LANGUAGE="sv")
    text = plain(r)
    assert "Snabbfil för lokaltillstånd" in text
    assert "Snabbt tillstånd." in text
    assert "REKO-ringarnas trappa" in text
    # a text written in Finnish only falls back to Finnish
    assert "Yksi lupakäsittelijä" in text


def test_the_evidence_counts_outcomes_and_links_the_lessons(practice, reko_case, client_for):
    worked = close(practice, [reko_case])
    close(practice, [reko_case], outcome="partly", lessons="Sää haittasi.")
    running = services.create_experiment(
        title="Vielä käynnissä",
        hypothesis="h",
        practices=[practice],
        cases=[reko_case],
        starts_on=START,
        ends_on=START + dt.timedelta(days=30),
    )
    r = client_for("anonymous").get(f"/practices/{practice.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    text = plain(r)
    assert "Tried in 2 finished experiments." in text
    assert "Worked 1" in text and "Partly worked 1" in text and "Did not work 0" in text
    assert "Lupa kannattaa hakea ajoissa." in text and "Sää haittasi." in text
    html = r.content.decode()
    assert f'href="/experiments/{worked.pk}/"' in html
    assert running.title not in html  # only finished experiments are evidence


def test_case_links_in_the_evidence_follow_the_case_rules(practice, reko_case, client_for):
    internal = CaseFactory(
        activism=ActivismFactory(name="Sisäinen verkosto", visibility="internal"),
        unit=reko_case.unit,
        ladder=reko_case.ladder,
    )
    close(practice, [reko_case, internal])
    case_link = f'href="/cases/{reko_case.pk}/"'
    internal_link = f'href="/cases/{internal.pk}/"'
    for persona, sees_reko, sees_internal in [
        ("anonymous", False, False),
        ("researcher", False, False),
        ("activist", True, False),  # maintains the REKO ring
        ("official", True, True),
        ("coordinator", True, True),
    ]:
        r = client_for(persona).get(f"/practices/{practice.pk}/", HTTP_ACCEPT_LANGUAGE="en")
        html = r.content.decode()
        assert (case_link in html) is sees_reko, persona
        assert (internal_link in html) is sees_internal, persona
        assert ("Sisäinen verkosto" in html) is sees_internal, persona
        hidden = 2 - sees_reko - sees_internal
        if hidden:
            assert f"{hidden} case{'s' if hidden > 1 else ''} not shown to you" in plain(r)


def test_cases_where_it_could_apply_next_are_for_the_administration(
    practice, reko_case, client_for, official
):
    record_assessment(
        reko_case, perspective="official", current_level=2, target_level=5, by=official
    )
    html = client_for("official").get(f"/practices/{practice.pk}/").content.decode()
    assert f'data-case="{reko_case.pk}"' in html
    for persona in ("anonymous", "activist", "researcher"):
        html = client_for(persona).get(f"/practices/{practice.pk}/").content.decode()
        assert f'data-case="{reko_case.pk}"' not in html
