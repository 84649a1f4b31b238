"""Permission-matrix rows of the listening API (see tests/permissions.py).

Listening is the administration's (``access.can_listen``), in the API as on the pages: sources,
their collections, posts and suggested activisms. Researchers download the pseudonymised export
on the posts page (the matrix's page rows), not through the API. Signed out, without the role, or
with a method other than GET, the answer is 403 (the API never redirects to the login page); an
object that does not exist is a 404 to those who may read the others, and so is a suggested
account that is not yet evidently public (``hidden_listening_suggestion_pk``).
"""

from __future__ import annotations

from tests.permissions import FORBIDDEN, NOT_FOUND, OK, Expected, api_rows, row

READERS = row(FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, OK)
NOT_THERE = row(FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND)
BAD_FILTER = row(FORBIDDEN, FORBIDDEN, FORBIDDEN, (400, None), (400, None), (400, None))

ROWS: dict[str, list[tuple[str, dict[str, Expected]]]] = {}
api_rows(ROWS, "listening-sources", "{listening_source_pk}", READERS)
ROWS["api/v1/listening-sources/(?P<pk>[^/.]+)/$"].append(
    ("/api/v1/listening-sources/999999/", NOT_THERE)
)
ROWS["api/v1/listening-sources/(?P<pk>[^/.]+)/runs/$"] = [
    ("/api/v1/listening-sources/{listening_source_pk}/runs/", READERS),
    ("/api/v1/listening-sources/999999/runs/", NOT_THERE),
]
ROWS[r"api/v1/listening-sources/(?P<pk>[^/.]+)/runs\.(?P<format>[a-z0-9]+)/?$"] = [
    ("/api/v1/listening-sources/{listening_source_pk}/runs.json", READERS)
]
api_rows(ROWS, "posts", "{listening_post_pk}", READERS)
ROWS["api/v1/posts/$"] += [
    ("/api/v1/posts/?q=kallio&source={listening_source_pk}&since=2026-01-01", READERS),
    ("/api/v1/posts/?since=2026-13-45", BAD_FILTER),
]
ROWS["api/v1/posts/(?P<pk>[^/.]+)/$"].append(("/api/v1/posts/999999/", NOT_THERE))
api_rows(ROWS, "listening-suggestions", "{listening_suggestion_pk}", READERS)
ROWS["api/v1/listening-suggestions/(?P<pk>[^/.]+)/$"].append(
    ("/api/v1/listening-suggestions/{hidden_listening_suggestion_pk}/", NOT_THERE)
)

# placeholder → any value that resolves (for test_each_example_url_reaches_its_route)
DUMMY_VALUES: dict[str, str] = {
    "listening_source_pk": "1",
    "listening_post_pk": "1",
    "listening_suggestion_pk": "1",
    "hidden_listening_suggestion_pk": "2",
}


def values(personas, case) -> dict[str, str]:
    """Placeholder → a real value, made in the test database: a source with credentials and a
    collection, a post, a suggested group and a suggested account known only by pseudonym."""
    import datetime as dt

    from portaat.listening.models import CollectionRun, Suggestion
    from portaat.listening.privacy import encrypt_credentials
    from tests.factories import PostFactory, SourceFactory

    source = SourceFactory(
        name="#kallio API", credentials_encrypted=encrypt_credentials({"access_token": "x"})
    )
    CollectionRun.objects.create(source=source, status="ok", added=1)
    post = PostFactory(source=source, text="Kalliossa siivotaan puistoa")
    seen = {
        "first_seen": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        "last_seen": dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
    }
    group = Suggestion.objects.create(
        kind="group", platform="reddit", key="kallio", label="Kallio", posts=6, **seen
    )
    hidden = Suggestion.objects.create(
        kind="account", platform="mastodon", key="0" * 32, label="", posts=2, **seen
    )
    return {
        "listening_source_pk": str(source.pk),
        "listening_post_pk": str(post.pk),
        "listening_suggestion_pk": str(group.pk),
        "hidden_listening_suggestion_pk": str(hidden.pk),
    }
