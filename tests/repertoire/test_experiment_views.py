"""Experiment pages: list, start, detail, close (with the prompt to reassess) and abandon."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portaat.access import Role
from portaat.ladders.models import Ladder
from portaat.repertoire import services
from portaat.repertoire.models import Experiment, Practice
from tests.factories import (
    ActivismFactory,
    AssessmentFactory,
    CaseFactory,
    MembershipFactory,
    UserFactory,
)
from tests.helpers import html_lang

pytestmark = pytest.mark.django_db


def reko_practice(level):
    return Practice.objects.get(step__ladder__slug="reko", step__level=level)


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def case(reko_case, official):
    AssessmentFactory(case=reko_case, current_level=3, target_level=5, author=official)
    return reko_case


@pytest.fixture
def outsider(roles, city):
    """An official of another unit: sees experiments, may not change the case."""
    user = UserFactory(username="culture-official@example.org", role=Role.OFFICIAL)
    MembershipFactory(unit=city["other"], user=user, role="official")
    return user


@pytest.fixture
def other_case(city, builtin):
    """A case of the other unit (cultural services)."""
    return CaseFactory(
        activism=ActivismFactory(name="Kallion REKO"),
        unit=city["other"],
        ladder=Ladder.objects.get(slug="reko"),
    )


def make(case, *, title="Tilaluvat", level=4, owner=None, starts=dt.date(2026, 1, 10)):
    return services.create_experiment(
        title=title,
        hypothesis="Nopea lupa lisää jakopaikkoja",
        success_criteria="Kaksi uutta jakopaikkaa",
        practices=[reko_practice(level)],
        cases=[case],
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=90),
        owner=owner,
    )


@pytest.fixture
def experiment(case):
    return make(case)


# --- who may open what ---------------------------------------------------------------------------

ADMINISTRATION = {
    "anonymous": 302,
    "activist": 403,
    "researcher": 403,
    "official": 200,
    "coordinator": 200,
    "admin": 200,
}


@pytest.mark.parametrize(("who", "status"), ADMINISTRATION.items())
@pytest.mark.parametrize("url", ["/experiments/", "/experiments/new/", "/experiments/{pk}/"])
def test_the_pages_are_for_the_administration(client_for, experiment, url, who, status):
    r = client_for(who).get(url.format(pk=experiment.pk))
    assert r.status_code == status
    if status == 302:
        assert r["Location"].startswith("/accounts/login/?next=")


def test_another_units_official_reads_but_may_not_close(experiment, outsider):
    client = login(outsider)
    body = client.get(f"/experiments/{experiment.pk}/").content.decode()
    assert "Nopea lupa lisää jakopaikkoja" in body
    assert f'action="/experiments/{experiment.pk}/close/"' not in body
    r = client.post(f"/experiments/{experiment.pk}/close/", {"outcome": "worked", "lessons": "x"})
    assert r.status_code == 403
    r = client.post(f"/experiments/{experiment.pk}/abandon/")
    assert r.status_code == 403
    experiment.refresh_from_db()
    assert experiment.status == "running"


def test_the_owner_may_close_it_from_another_unit(case, outsider):
    experiment = make(case, owner=outsider)
    r = login(outsider).post(
        f"/experiments/{experiment.pk}/close/", {"outcome": "partly", "lessons": "Opittiin"}
    )
    assert r.status_code == 302


def test_a_missing_experiment_is_not_found(client_for, case):
    assert client_for("official").get("/experiments/999999/").status_code == 404
    r = client_for("official").post("/experiments/999999/close/", {"outcome": "worked"})
    assert r.status_code == 404


@pytest.mark.parametrize("action", ["close", "abandon"])
def test_closing_only_answers_post(client_for, experiment, action):
    assert client_for("official").get(f"/experiments/{experiment.pk}/{action}/").status_code == 405


# --- list ----------------------------------------------------------------------------------------


def test_the_list_shows_my_units_experiments_unless_asked_for_all(
    client_for, experiment, other_case
):
    theirs = make(other_case, title="Kallion kokeilu")
    client = client_for("official")
    body = client.get("/experiments/").content.decode()
    assert f'data-experiment="{experiment.pk}"' in body
    assert f'data-experiment="{theirs.pk}"' not in body
    body = client.get("/experiments/?scope=all").content.decode()
    assert f'data-experiment="{theirs.pk}"' in body


def test_the_list_shows_my_own_experiments_in_other_units(other_case, official):
    mine = make(other_case, owner=official)
    body = login(official).get("/experiments/").content.decode()
    assert f'data-experiment="{mine.pk}"' in body


def test_the_list_filters_by_status(client_for, case, experiment):
    done = make(case, title="Valmis", level=5)
    services.close_experiment(done, outcome="worked", lessons="Hyvä")
    client = client_for("official")
    body = client.get("/experiments/?status=done").content.decode()
    assert f'data-experiment="{done.pk}"' in body
    assert f'data-experiment="{experiment.pk}"' not in body
    body = client.get("/experiments/?status=running").content.decode()
    assert f'data-experiment="{experiment.pk}"' in body
    assert f'data-experiment="{done.pk}"' not in body


@pytest.mark.parametrize("query", ["status=bogus", "scope=everything"])
def test_a_filter_it_does_not_understand_is_a_bad_request(client_for, experiment, query):
    r = client_for("official").get(f"/experiments/?{query}")
    assert r.status_code == 400
    assert 'role="alert"' in r.content.decode()


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_lists_query_count_does_not_grow_with_its_rows(client_for, case, other_case):
    client = client_for("coordinator")
    make(case)
    client.get("/experiments/?scope=all")
    few = _count(client, "/experiments/?scope=all")
    for i in range(6):
        e = make(case if i % 2 else other_case, title=f"K{i}", level=3 + i % 3, owner=UserFactory())
        e.cases.add(case)
    assert _count(client, "/experiments/?scope=all") == few


# --- start ---------------------------------------------------------------------------------------


def test_the_form_is_prefilled_from_a_case_and_practice(client_for, case, other_case):
    practice = reko_practice(4)
    r = client_for("official").get(f"/experiments/new/?case={case.pk}&practice={practice.pk}")
    body = r.content.decode()
    assert r.status_code == 200
    assert offered(body, "cases") == {case.pk: True}  # only the cases the user may change
    assert {pk for pk, checked in offered(body, "practices").items() if checked} == {practice.pk}
    assert other_case.activism.name not in body
    assert f'value="{practice.title_fi}"' in body  # the title starts as the practice's


def offered(body, name):
    """The values of the checkboxes called ``name``, and which of them are checked."""
    found = re.findall(rf'name="{name}" id="[^"]+" value="(\d+)"( checked)?', body)
    return {int(value): bool(checked) for value, checked in found}


def test_the_practices_can_be_searched(client_for, case):
    wanted = reko_practice(4)
    r = client_for("official").get(f"/experiments/new/?q={wanted.title_fi[:12]}")
    practices = offered(r.content.decode(), "practices")
    assert wanted.pk in practices
    assert reko_practice(1).pk not in practices
    assert len(practices) < Practice.objects.count()


def valid(case, **overrides):
    data = {
        "title": "Tilalupien pikakaista",
        "hypothesis": "Nopea lupa lisää jakopaikkoja",
        "success_criteria": "Kaksi uutta jakopaikkaa",
        "practices": [reko_practice(4).pk, reko_practice(5).pk],
        "cases": [case.pk],
        "starts_on": "2026-02-01",
        "ends_on": "2026-05-31",
    }
    data.update(overrides)
    return data


def test_it_creates_an_experiment(client_for, case, official):
    r = client_for("official").post("/experiments/new/", valid(case))
    experiment = Experiment.objects.get()
    assert r.status_code == 302
    assert r["Location"] == f"/experiments/{experiment.pk}/"
    assert experiment.owner == official
    assert set(experiment.practices.all()) == {reko_practice(4), reko_practice(5)}
    assert list(experiment.cases.all()) == [case]
    assert (experiment.starts_on, experiment.ends_on) == (dt.date(2026, 2, 1), dt.date(2026, 5, 31))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": "2026-01-31"}, "ends_on"),  # ends before it starts
        ({"practices": []}, "practices"),
        ({"practices": ["999999"]}, "practices"),
        ({"cases": []}, "cases"),
        ({"hypothesis": ""}, "hypothesis"),
        ({"title": ""}, "title"),
        ({"starts_on": "tomorrow"}, "starts_on"),
    ],
)
def test_bad_experiments_are_refused_and_nothing_is_written(client_for, case, overrides, field):
    r = client_for("official").post("/experiments/new/", valid(case, **overrides))
    assert r.status_code == 400
    body = r.content.decode()
    assert f'id="id_{field}_error"' in body
    assert not Experiment.objects.exists()


def test_the_end_before_the_start_is_explained(client_for, case):
    r = client_for("official").post(
        "/experiments/new/", valid(case, ends_on="2026-01-31"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "The experiment cannot end before it starts." in r.content.decode()


def test_a_case_the_user_may_not_change_is_refused(client_for, case, other_case):
    r = client_for("official").post(
        "/experiments/new/", valid(case, cases=[case.pk, other_case.pk])
    )
    assert r.status_code == 400
    assert 'id="id_cases_error"' in r.content.decode()
    assert not Experiment.objects.exists()


def test_an_official_without_cases_is_told_so(roles, builtin):
    lonely = UserFactory(role=Role.OFFICIAL)
    r = login(lonely).get("/experiments/new/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    assert "You have no cases to experiment in" in r.content.decode()


# --- detail, close and the prompt to reassess ----------------------------------------------------


def test_the_detail_shows_everything(client_for, experiment, case):
    body = client_for("official").get(f"/experiments/{experiment.pk}/").content.decode()
    for text in ("Tilaluvat", "Nopea lupa lisää jakopaikkoja", "Kaksi uutta jakopaikkaa"):
        assert text in body
    assert f'href="/practices/{reko_practice(4).pk}/"' in body
    assert f'href="/cases/{case.pk}/"' in body
    assert f'action="/experiments/{experiment.pk}/close/"' in body
    assert 'id="reassess"' not in body


def test_closing_records_the_outcome_and_prompts_to_reassess(client_for, experiment, case):
    client = client_for("official")
    r = client.post(
        f"/experiments/{experiment.pk}/close/",
        {
            "outcome": "worked",
            "lessons": "Lupa kannattaa hakea yhdessä",
            "evidence_links": "https://example.org/raportti\n\nhttps://example.org/kuvat ",
        },
    )
    assert r.status_code == 302
    assert r["Location"] == f"/experiments/{experiment.pk}/#reassess"
    experiment.refresh_from_db()
    assert (experiment.status, experiment.outcome) == ("done", "worked")
    assert experiment.evidence_links == [
        "https://example.org/raportti",
        "https://example.org/kuvat",
    ]
    body = client.get(r["Location"]).content.decode()
    prompt = body.split('id="reassess"', 1)[1].split("</section>", 1)[0]
    assert f'href="/cases/{case.pk}/assess/"' in prompt
    assert "Lupa kannattaa hakea yhdessä" in body
    assert 'href="https://example.org/kuvat"' in body
    assert f'action="/experiments/{experiment.pk}/close/"' not in body


def test_the_prompt_goes_away_once_the_case_is_reassessed(client_for, experiment, case, official):
    services.close_experiment(experiment, outcome="worked", lessons="l")
    client = client_for("official")
    assert 'id="reassess"' in client.get(f"/experiments/{experiment.pk}/").content.decode()
    AssessmentFactory(case=case, current_level=4, target_level=5, author=official)
    assert 'id="reassess"' not in client.get(f"/experiments/{experiment.pk}/").content.decode()


def test_those_who_may_not_change_the_case_get_no_prompt(experiment, outsider):
    services.close_experiment(experiment, outcome="worked", lessons="l")
    body = login(outsider).get(f"/experiments/{experiment.pk}/").content.decode()
    assert 'id="reassess"' not in body
    assert "l" in body


@pytest.mark.parametrize(
    "data",
    [
        {"outcome": "brilliant", "lessons": "x"},  # unknown outcome
        {"outcome": "", "lessons": "x"},
        {"outcome": "worked", "lessons": ""},
        {"outcome": "worked", "lessons": "   "},
        {"outcome": "worked", "lessons": "x", "evidence_links": "not a link"},
        {"outcome": "worked", "lessons": "x", "evidence_links": "javascript:alert(1)"},
    ],
)
def test_bad_closings_are_refused(client_for, experiment, data):
    r = client_for("official").post(f"/experiments/{experiment.pk}/close/", data)
    assert r.status_code == 400
    assert 'role="alert"' in r.content.decode()
    experiment.refresh_from_db()
    assert (experiment.status, experiment.outcome, experiment.lessons) == ("running", "", "")


def test_an_experiment_is_closed_once(client_for, experiment):
    services.close_experiment(experiment, outcome="partly", lessons="Ensin")
    r = client_for("official").post(
        f"/experiments/{experiment.pk}/close/",
        {"outcome": "worked", "lessons": "Toisen kerran"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 400
    assert "The experiment is already closed." in r.content.decode()
    experiment.refresh_from_db()
    assert (experiment.outcome, experiment.lessons) == ("partly", "Ensin")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("activist", 403),
        ("researcher", 403),
        ("official", 302),
        ("coordinator", 302),
        ("admin", 302),
    ],
)
def test_who_may_close(client_for, experiment, who, status):
    r = client_for(who).post(
        f"/experiments/{experiment.pk}/close/", {"outcome": "worked", "lessons": "Opittiin"}
    )
    assert r.status_code == status
    experiment.refresh_from_db()
    assert (experiment.status == "done") is (status == 302 and who != "anonymous")


# --- abandon -------------------------------------------------------------------------------------


def test_it_abandons_an_experiment(client_for, experiment):
    r = client_for("official").post(
        f"/experiments/{experiment.pk}/abandon/", {"abandon-lessons": "Ei resursseja"}
    )
    assert r.status_code == 302
    experiment.refresh_from_db()
    assert (experiment.status, experiment.lessons) == ("abandoned", "Ei resursseja")
    body = client_for("official").get(f"/experiments/{experiment.pk}/").content.decode()
    assert "Ei resursseja" in body
    assert 'id="reassess"' not in body


def test_an_abandoned_experiment_cannot_be_closed_or_abandoned_again(client_for, experiment):
    services.abandon_experiment(experiment)
    client = client_for("official")
    assert client.post(f"/experiments/{experiment.pk}/abandon/").status_code == 400
    r = client.post(f"/experiments/{experiment.pk}/close/", {"outcome": "worked", "lessons": "x"})
    assert r.status_code == 400
    experiment.refresh_from_db()
    assert (experiment.status, experiment.outcome) == ("abandoned", "")


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("activist", 403), ("researcher", 403), ("official", 302)],
)
def test_who_may_abandon(client_for, experiment, who, status):
    r = client_for(who).post(f"/experiments/{experiment.pk}/abandon/")
    assert r.status_code == status
    experiment.refresh_from_db()
    assert (experiment.status == "abandoned") is (who == "official")


# --- language and escaping -----------------------------------------------------------------------


def test_the_detail_renders_in_swedish(client_for, experiment):
    r = client_for("official").get(f"/experiments/{experiment.pk}/", HTTP_ACCEPT_LANGUAGE="sv")
    assert r.status_code == 200
    assert html_lang(r.content) == "sv"
    body = r.content.decode()
    practice = reko_practice(4)
    assert practice.title_sv in body  # the practice in Swedish, from the ladder's step
    assert practice.title_fi not in body


def test_it_escapes_what_people_wrote(client_for, case):
    experiment = services.create_experiment(
        title="<script>alert(1)</script>",
        hypothesis="<b>h</b>",
        practices=[reko_practice(4)],
        cases=[case],
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 2, 1),
    )
    body = client_for("official").get(f"/experiments/{experiment.pk}/").content.decode()
    assert "<script>alert(1)" not in body and "&lt;script&gt;" in body
    assert "<b>h</b>" not in body
