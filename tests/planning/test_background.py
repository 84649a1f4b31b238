"""Background analysis of posts: new, edited and removed posts, batches, dead workers.

These run the real ``portaat.analytics`` pipeline on a few posts.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from portaat.listening.ingest import Ingestor
from portaat.listening.models import Post
from portaat.planning import services, tasks
from portaat.planning.models import PlaceMention, PostAnalysis
from tests.factories import PostFactory
from tests.listening.conftest import remote_post

pytestmark = pytest.mark.django_db

TEXTS = [
    "Kalliossa on taas ruuhkaa, raitiovaunu ei kulje.",
    "Spårvagnen till Berghäll är försenad igen.",
    "The tram to Pasila is late again.",
    "Pasilan uusi puisto on upea!",
]


def _places(post: Post) -> set[str]:
    return set(PlaceMention.objects.filter(post=post).values_list("area__name", flat=True))


def test_new_posts_are_analysed(areas, source):
    posts = [PostFactory(source=source, text=text) for text in TEXTS]
    assert tasks.analyse_new_posts.call_local() == 4
    found = {a.post_id: a for a in PostAnalysis.objects.all()}
    assert [found[p.pk].lang for p in posts] == ["fi", "sv", "en", "fi"]
    assert _places(posts[0]) == {"Kallio"}
    assert _places(posts[1]) == {"Kallio"}  # Berghäll is Kallio's Swedish name
    assert _places(posts[2]) == {"Pasila"}
    assert found[posts[0].pk].posted_at == posts[0].created_at
    assert tasks.analyse_new_posts.call_local() == 0  # nothing left: a second run does nothing


def test_posts_are_analysed_in_batches(areas, source):
    for i in range(7):
        PostFactory(source=source, text=f"{TEXTS[i % 4]} {i}")
    assert services.analyse_pending(batch=3, max_batches=2) == 6
    assert services.analyse_pending(batch=3) == 1
    assert PostAnalysis.objects.count() == 7


def test_an_edited_post_is_analysed_again(areas, source):
    ingest = Ingestor(source, "mastodon")
    ingest.add([remote_post(1, text="Kalliossa tapahtuu")])
    services.analyse_pending()
    post = Post.objects.get()
    assert _places(post) == {"Kallio"}
    Ingestor(source, "mastodon").add([remote_post(1, text="Pasilassa tapahtuu")])
    assert PostAnalysis.objects.get(post=post).stale
    assert services.analyse_pending() == 1
    assert _places(post) == {"Pasila"}
    assert not PostAnalysis.objects.get(post=post).stale


def test_a_removed_text_leaves_no_keywords(areas, source):
    post = PostFactory(source=source, text=TEXTS[0])
    services.analyse_pending()
    assert PostAnalysis.objects.get(post=post).keywords
    PostAnalysis.objects.filter(post=post).update(analysed_at=timezone.now() - timedelta(minutes=1))
    Post.objects.filter(pk=post.pk).update(text="", text_removed_at=timezone.now())
    assert services.analyse_pending() == 1
    analysis = PostAnalysis.objects.get(post=post)
    assert analysis.keywords == [] and analysis.places == []
    assert _places(post) == set()


def test_a_post_edited_while_it_is_analysed_stays_waiting(areas, source, monkeypatch):
    from portaat.analytics import pipeline

    post = PostFactory(source=source, text=TEXTS[0])
    real = pipeline.analyze

    def edit_meanwhile(records, *args, **kwargs):
        records = list(records)
        Post.objects.filter(pk=post.pk).update(text="Pasilassa tapahtuu")
        return real(records, *args, **kwargs)

    monkeypatch.setattr(pipeline, "analyze", edit_meanwhile)
    assert services.analyse_posts([post.pk]) == 0
    assert not PostAnalysis.objects.exists()
    monkeypatch.setattr(pipeline, "analyze", real)
    assert services.analyse_pending() == 1
    assert _places(post) == {"Pasila"}


def test_a_worker_that_dies_loses_nothing(areas, source, monkeypatch):
    from portaat.analytics import pipeline

    PostFactory(source=source, text=TEXTS[0])

    def die(*args, **kwargs):
        raise KeyboardInterrupt  # the worker is killed mid-batch

    monkeypatch.setattr(pipeline, "analyze", die)
    with pytest.raises(KeyboardInterrupt):
        services.analyse_pending()
    assert not PostAnalysis.objects.exists()
    monkeypatch.undo()
    assert services.analyse_pending() == 1
