"""Issue 4's journey over HTTP: an official opens a case at level 3 with target 5, gets
suggested practices for levels 4–5, plans two, runs an experiment with one, closes it with
outcome "worked" and a lesson, is prompted to reassess, and the practice's evidence shows it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from portaat.repertoire import services
from portaat.repertoire.models import Experiment, PlanItem, Practice

pytestmark = pytest.mark.django_db


def suggested_practices(body: str) -> list[int]:
    section = body.split('id="suggestions-title"', 1)[1].split('id="elsewhere-title"', 1)[0]
    return [int(pk) for pk in re.findall(r'data-kind="suggestion" data-practice="(\d+)"', section)]


def test_an_official_plans_experiments_and_learns(client_for, reko_case, official):
    client = client_for("official")
    case_url = f"/cases/{reko_case.pk}/"
    today = timezone.localdate()

    # the official places the case at level 3 with target 5
    r = client.post(
        f"/cases/{reko_case.pk}/assess/",
        {
            "perspective": "official",
            "current_level": "3",
            "target_level": "5",
            "rationale": "",
            "assessed_on": (today - dt.timedelta(days=30)).isoformat(),
        },
    )
    assert r.status_code == 302

    # the case page suggests practices for the next levels, 4 and 5 ("one step at a time")
    suggested = suggested_practices(client.get(case_url).content.decode())
    practices = Practice.objects.in_bulk(suggested)
    assert suggested and {practices[pk].level_from for pk in suggested} <= {4, 5}
    four = next(p for p in practices.values() if p.covers(4))
    five = next(p for p in practices.values() if p.covers(5))

    # two go into the plan
    for practice in (four, five):
        r = client.post(
            "/experiments/plan/new/",
            {
                "case": reko_case.pk,
                "practice": practice.pk,
                "owner": official.pk,
                "due_on": (today + dt.timedelta(days=60)).isoformat(),
            },
        )
        assert r.status_code == 302
    body = client.get(case_url).content.decode()
    assert PlanItem.objects.filter(case=reko_case).count() == 2
    assert {four.pk, five.pk}.isdisjoint(suggested_practices(body))
    start_link = f"/experiments/new/?case={reko_case.pk}&amp;practice={four.pk}"
    assert start_link in body

    # an experiment with one of them, started from the plan
    r = client.get(start_link.replace("&amp;", "&"))
    assert r.status_code == 200
    r = client.post(
        "/experiments/new/",
        {
            "title": "Tilalupien pikakaista",
            "hypothesis": "Yhteinen lupahaku tuo kaksi uutta jakopaikkaa",
            "success_criteria": "Kaksi jakopaikkaa kolmessa kuukaudessa",
            "practices": [four.pk],
            "cases": [reko_case.pk],
            "starts_on": (today - dt.timedelta(days=20)).isoformat(),
            "ends_on": (today - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert r.status_code == 302
    experiment = Experiment.objects.get()
    assert experiment.status == "running"
    assert "Tilalupien pikakaista" in client.get("/experiments/").content.decode()

    # closed with outcome "worked" and a lesson
    r = client.post(
        f"/experiments/{experiment.pk}/close/",
        {"outcome": "worked", "lessons": "Lupa kannattaa hakea yhdessä ringin kanssa"},
    )
    assert r.status_code == 302

    # the page prompts to reassess the case
    body = client.get(r["Location"]).content.decode()
    prompt = body.split('id="reassess"', 1)[1].split("</section>", 1)[0]
    assert f'href="/cases/{reko_case.pk}/assess/"' in prompt
    assert "Lupa kannattaa hakea yhdessä ringin kanssa" in body

    # the practice's evidence shows the experiment
    evidence = services.evidence_for([four.pk])[four.pk]
    assert (evidence.tried, evidence.worked) == (1, 1)
    assert evidence.experiments == [experiment]

    # reassessing answers the prompt
    r = client.post(
        f"/cases/{reko_case.pk}/assess/",
        {
            "perspective": "official",
            "current_level": "4",
            "target_level": "5",
            "rationale": "",
            "assessed_on": today.isoformat(),
        },
    )
    assert r.status_code == 302
    assert 'id="reassess"' not in client.get(f"/experiments/{experiment.pk}/").content.decode()
