"""Topic runs: requested from the page, computed in the background, cached, refreshed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from portaat.planning import queries, services
from portaat.planning.models import PostAnalysis, TopicRun
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

TEXTS = [
    "Raitiovaunu 9 on taas myöhässä Kalliossa.",
    "Spårvagnen i Berghäll är försenad igen.",
    "The tram through Kallio is late again.",
    "Ratikka jumissa Pasilassa, bussikin myöhässä.",
    "Puisto on täynnä roskia, puut kaadettu.",
    "Parken i Böle är full av skräp.",
]


@pytest.fixture
def corpus(areas, source, themes):
    posts = [PostFactory(source=source, text=text) for text in TEXTS]
    services.analyse_pending()
    return posts


def test_the_page_requests_a_run_and_shows_its_topics(
    client_for, corpus, source, django_capture_on_commit_callbacks
):
    client = client_for("official")
    body = client.get(f"/planning/?source={source.pk}").content.decode()
    assert "Aiheita ei ole vielä laskettu näillä suodattimilla." in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/planning/topics/", {"source": source.pk})
    assert response.status_code == 302
    assert response["Location"] == f"/planning/?source={source.pk}#topics"
    run = TopicRun.objects.get()
    assert run.status == "done" and run.post_count == 6
    assert run.filters["source"] == source.pk
    assert sum(topic["size"] for topic in run.topics) == 6
    traffic = max(run.topics, key=lambda t: t["size"])  # the trams, in three languages
    assert set(traffic["examples"]) <= {p.pk for p in corpus}
    assert (
        PostAnalysis.objects.filter(topic_run=run, topic=traffic["id"]).count() == traffic["size"]
    )
    body = client.get(f"/planning/?source={source.pk}").content.decode()
    assert f'href="/planning/runs/{run.pk}/topics/{traffic["id"]}/"' in body


def test_a_topic_page_shows_labels_and_example_posts(
    client_for, corpus, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_topic_run(queries.AnalysisFilters())
    run = TopicRun.objects.get()
    topic = run.topics[0]
    response = client_for("official").get(f"/planning/runs/{run.pk}/topics/{topic['id']}/")
    assert response.status_code == 200
    body = response.content.decode()
    for word in topic["labels"]["fi"][:3]:
        assert word in body
    example = PostFactory._meta.model.objects.get(pk=topic["examples"][0])
    assert example.text in body
    assert client_for("official").get(f"/planning/runs/{run.pk}/topics/99/").status_code == 404


def test_new_posts_make_a_run_stale_and_it_is_refreshed(
    corpus, source, django_capture_on_commit_callbacks
):
    filters = queries.AnalysisFilters(source=source.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_topic_run(filters)
    first = queries.latest_run(filters)
    assert services.refresh_topic_runs() == 0  # nothing new: the cached result stands
    PostFactory(source=source, text="Uusi ratikkalinja Kalliosta Pasilaan.")
    services.analyse_pending()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.refresh_topic_runs() == 1
    # the superseded result is gone: one run is kept per filters
    assert not TopicRun.objects.filter(pk=first.pk).exists()
    latest = queries.latest_run(filters)
    assert latest.pk != first.pk and latest.post_count == 7 and not latest.stale


def test_the_page_says_when_the_topics_are_out_of_date(
    client_for, corpus, source, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_topic_run(queries.AnalysisFilters())
    PostFactory(source=source, text="Uusi puisto Kallioon.")
    services.analyse_pending()
    body = client_for("official").get("/planning/").content.decode()
    assert "Uusia julkaisuja on tullut" in body


def test_a_run_is_computed_once(corpus):
    run = services.request_topic_run(queries.AnalysisFilters())  # not committed: not queued
    assert services.request_topic_run(queries.AnalysisFilters()).pk == run.pk
    assert services.compute_topic_run(run.pk) == "done"
    assert services.compute_topic_run(run.pk) == "not waiting"


def test_a_run_left_by_a_dead_worker_is_started_again(corpus, django_capture_on_commit_callbacks):
    run = services.request_topic_run(queries.AnalysisFilters())
    TopicRun.objects.filter(pk=run.pk).update(
        status="running", started_at=timezone.now() - timedelta(hours=1)
    )
    TopicRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert services.refresh_topic_runs() == 1
    run.refresh_from_db()
    assert run.status == "done"


def test_a_failing_run_is_recorded(corpus, monkeypatch):
    from portaat.analytics import pipeline

    def fail(*args, **kwargs):
        raise ValueError("boom")

    run = services.request_topic_run(queries.AnalysisFilters())
    monkeypatch.setattr(pipeline, "analyze", fail)
    assert services.compute_topic_run(run.pk) == "failed"
    run.refresh_from_db()
    assert run.status == "failed" and run.error == "boom"


def test_bad_filters_request_nothing(client_for, corpus):
    response = client_for("official").post("/planning/topics/", {"source": "nope"})
    assert response.status_code == 400
    assert not TopicRun.objects.exists()


def test_a_run_analyses_the_posts_still_waiting(areas, source, themes):
    for text in TEXTS:
        PostFactory(source=source, text=text)
    run = services.request_topic_run(queries.AnalysisFilters(source=source.pk))
    assert services.compute_topic_run(run.pk) == "done"
    run.refresh_from_db()
    assert run.post_count == 6
    assert PostAnalysis.objects.count() == 6


def test_results_nobody_looks_at_are_not_refreshed_forever(areas, source, themes):
    from unittest import mock

    PostFactory(source=source, text="Ratikka myöhässä Kalliossa")
    services.analyse_pending()
    real = timezone.now()
    filters = queries.AnalysisFilters(source=source.pk)
    services.compute_topic_run(services.request_topic_run(filters).pk)
    queued = []
    for day in range(3, 31, 3):
        fake = real + timedelta(days=day)
        with mock.patch("django.utils.timezone.now", return_value=fake):
            PostFactory(source=source, text=f"Ratikka taas myöhässä {day}", created_at=fake)
            services.analyse_pending()
            queued.append(services.refresh_topic_runs(now=fake))
            for run in TopicRun.objects.filter(status="pending"):
                services.compute_topic_run(run.pk)
        # superseded results are deleted: one per filters
        assert TopicRun.objects.count() == 1
    # refreshed while someone had looked within a week, then no more
    assert queued[:2] == [1, 1] and set(queued[3:]) == {0}


def test_a_page_view_keeps_the_result_fresh(areas, source, themes):
    filters = queries.AnalysisFilters(source=source.pk)
    PostFactory(source=source, text="Ratikka myöhässä Kalliossa")
    services.analyse_pending()
    run = services.request_topic_run(filters)
    services.compute_topic_run(run.pk)
    run.refresh_from_db()
    later = timezone.now() + timedelta(days=20)
    services.mark_viewed(run, later)
    PostFactory(source=source, text="Uusi ratikkalinja")
    services.analyse_pending()
    assert services.refresh_topic_runs(now=later + timedelta(days=1)) == 1
    assert queries.open_run(filters).viewed_at == later


def test_a_double_click_makes_one_run(corpus, monkeypatch):
    # both requests look for a waiting run before either has stored one
    monkeypatch.setattr(queries, "open_run", lambda filters: None)
    first = services.request_topic_run(queries.AnalysisFilters())
    second = services.request_topic_run(queries.AnalysisFilters())
    assert first.pk == second.pk
    assert TopicRun.objects.count() == 1
