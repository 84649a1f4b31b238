"""The repertoire page: who sees it, its filters and sorting, and its query count."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portaat.ladders.models import Ladder
from portaat.repertoire import services
from portaat.repertoire.models import Practice
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 10)


def own_practice(title="Tilalupien pikakaista", low=3, high=5, ladders=(), action="develop"):
    return services.save_practice(
        practice=None,
        texts={"title": {"fi": title, "sv": f"{title} (sv)"}},
        level_from=low,
        level_to=high,
        action_type=action,
        ladders=list(ladders),
    )


def tried(practice, case, outcome="worked", lessons="Opimme jotain."):
    experiment = services.create_experiment(
        title=f"Kokeilu {practice.pk} {outcome}",
        hypothesis="Jotain tapahtuu",
        practices=[practice],
        cases=[case],
        starts_on=START,
        ends_on=START + dt.timedelta(days=30),
    )
    services.close_experiment(experiment, outcome=outcome, lessons=lessons)
    return experiment


def plain(response) -> str:
    """The page's text without tags, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def shown(response) -> list[int]:
    """The practices on the page, in order."""
    return [int(pk) for pk in re.findall(r'data-practice="(\d+)"', response.content.decode())]


@pytest.mark.parametrize(
    "persona", ["anonymous", "activist", "researcher", "official", "coordinator", "admin"]
)
def test_everybody_reads_the_repertoire(builtin, client_for, persona):
    r = client_for(persona).get("/practices/")
    assert r.status_code == 200
    text = r.content.decode()
    assert "40" in text  # every ladder step is a built-in practice
    administration = persona in ("official", "coordinator", "admin")
    assert ('href="/practices/new/"' in text) == administration


def test_builtin_and_own_practices_are_told_apart(builtin, client_for):
    own = own_practice()
    r = client_for("anonymous").get("/practices/?origin=own")
    assert shown(r) == [own.pk]
    r = client_for("anonymous").get("/practices/?origin=builtin&level=1")
    assert len(shown(r)) == 5
    assert Practice.objects.get(pk=shown(r)[0]).is_builtin
    assert "practice-origin--builtin" in r.content.decode()


def test_the_level_filter_matches_the_practice_range(builtin, client_for):
    own = own_practice(low=3, high=5)
    for level, expected in ((2, False), (3, True), (4, True), (5, True), (6, False)):
        r = client_for("anonymous").get(f"/practices/?level={level}")
        assert r.status_code == 200
        assert (own.pk in shown(r)) is expected, level
        assert len(shown(r)) == 5 + expected  # one step of each of the five ladders


def test_the_ladder_and_action_type_filters(builtin, client_for):
    reko = Ladder.objects.get(slug="reko")
    own = own_practice(ladders=[reko], action="experiment")
    r = client_for("anonymous").get("/practices/?ladder=reko")
    assert len(shown(r)) == 9 and own.pk in shown(r)
    r = client_for("anonymous").get("/practices/?ladder=city-planning")
    assert own.pk not in shown(r)
    r = client_for("anonymous").get("/practices/?action=experiment")
    assert shown(r) == [own.pk]


def test_the_text_search_looks_in_every_language(builtin, client_for):
    own = own_practice(title="Pikakaista")
    assert shown(client_for("anonymous").get("/practices/?q=kakaista (sv)")) == [own.pk]


def test_evidence_filters_and_sorting(builtin, reko_case, client_for):
    one = own_practice(title="A yksi")
    two = own_practice(title="B kaksi")
    failed = own_practice(title="C kolme")
    tried(one, reko_case)
    tried(one, reko_case)
    for outcome in ("worked", "partly", "failed"):
        tried(two, reko_case, outcome=outcome)
    tried(failed, reko_case, outcome="failed")
    client = client_for("anonymous")
    assert set(shown(client.get("/practices/?evidence=tried"))) == {one.pk, two.pk, failed.pk}
    assert set(shown(client.get("/practices/?evidence=worked"))) == {one.pk, two.pk}
    assert shown(client.get("/practices/?evidence=tried&sort=tried")) == [two.pk, one.pk, failed.pk]
    assert shown(client.get("/practices/?evidence=tried&sort=worked")) == [
        one.pk,
        two.pk,
        failed.pk,
    ]
    # sorting by evidence puts the tried practices before the 40 untried built-ins
    assert shown(client.get("/practices/?sort=tried"))[:3] == [two.pk, one.pk, failed.pk]
    r = client.get("/practices/?origin=own", HTTP_ACCEPT_LANGUAGE="en")
    text = plain(r)
    assert "Tried in 3 experiments : Worked 1 · Partly worked 1 · Did not work 1" in text


@pytest.mark.parametrize(
    "query",
    [
        "level=9",
        "level=abc",
        "ladder=no-such-ladder",
        "action=everything",
        "evidence=maybe",
        "origin=elsewhere",
        "sort=random",
        "q=" + "x" * 300,
    ],
)
def test_bad_filters_are_reported_and_left_out(builtin, client_for, query):
    r = client_for("anonymous").get(f"/practices/?{query}")
    assert r.status_code == 400
    assert 'role="alert"' in r.content.decode()
    assert r.context["page"].paginator.count == 40  # the bad filter was ignored


def test_a_bad_page_number_shows_a_page(builtin, client_for):
    for page in ("abc", "999", "-1"):
        r = client_for("anonymous").get(f"/practices/?page={page}")
        assert r.status_code == 200


def test_the_list_is_paginated(builtin, client_for):
    r = client_for("anonymous").get("/practices/")
    assert len(shown(r)) == 25
    r = client_for("anonymous").get("/practices/?page=2")
    assert len(shown(r)) == 15


def test_swedish_texts(builtin, client_for):
    own_practice(title="Pikakaista")
    r = client_for("anonymous").get("/practices/?level=4", HTTP_ACCEPT_LANGUAGE="sv")
    text = r.content.decode()
    assert 'lang="sv"' in text
    assert "Tjänsteinnehavarna diskuterar inom aktivisternas socialmediagrupper" in text
    assert "Pikakaista (sv)" in text
    assert "Viranhaltijat keskustelevat" not in text


def _queries_for_list(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/practices/?sort=tried")
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_the_practices(db, reko_case, client_for):
    # reko_case loads the 40 built-ins; filter to own practices for a 5 vs 40 comparison
    reko = Ladder.objects.get(slug="reko")
    other = CaseFactory(activism=reko_case.activism, ladder=Ladder.objects.get(slug="generic"))

    def make(n):
        for i in range(n):
            practice = own_practice(title=f"Oma {i}", ladders=[reko])
            tried(practice, reko_case if i % 2 else other, outcome="worked" if i % 3 else "partly")

    client = client_for("official")
    make(5)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/practices/?origin=own").status_code == 200
    make(35)
    with CaptureQueriesContext(connection) as large:
        r = client.get("/practices/?origin=own")
    assert r.context["page"].paginator.count == 40
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(large.captured_queries) <= 12, [q["sql"][:120] for q in large.captured_queries]
