"""Notifications: texts per kind in fi/sv/en, the list page, marking read, the digest setting,
and that nobody reads or marks another user's notifications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from portaat import notifications
from portaat.models import Notification, NotificationSettings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def note(user, key="k", kind="reassess", params=None, url="/cases/1/", **extra):
    if params is None:
        params = {"activism": "Lauttasaaren REKO", "last": "2025-10-01"}
    return Notification.objects.create(
        user=user, key=key, kind=kind, params=params, url=url, **extra
    )


# --- texts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "date"),
    [("fi", "1. lokakuuta 2025"), ("sv", "1 oktober 2025"), ("en", "Oct. 1, 2025")],
)
def test_a_reassessment_reminder_reads_in_each_language(official, language, date):
    n = note(official)
    with translation.override(language):
        text = notifications.render(n)
    assert "Lauttasaaren REKO" in text
    assert date in text


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize(
    ("kind", "params", "expected"),
    [
        ("plan_overdue", {"practice": "Tori", "activism": "REKO"}, ["Tori", "REKO"]),
        ("experiment_ended", {"title": "Kokeilu", "ended": "2026-10-31"}, ["Kokeilu", "2026"]),
    ],
)
def test_every_kind_has_its_text(official, language, kind, params, expected):
    n = note(official, kind=kind, params=params)
    with translation.override(language):
        text = notifications.render(n)
    assert all(part in text for part in expected), text
    assert "%(" not in text


def test_the_english_texts_say_what_happened(official):
    with translation.override("en"):
        assert notifications.render(note(official, key="a")) == (
            "Lauttasaaren REKO has not been assessed since Oct. 1, 2025."
        )
        assert "is overdue" in notifications.render(
            note(official, key="b", kind="plan_overdue", params={"practice": "P", "activism": "A"})
        )
        assert "without an outcome" in notifications.render(
            note(official, key="c", kind="experiment_ended", params={"title": "T", "ended": "x"})
        )


@pytest.mark.parametrize(
    ("kind", "params"),
    [("something_new", {}), ("reassess", {}), ("reassess", ["not", "a", "dict"])],
)
def test_unknown_kinds_and_broken_params_get_a_generic_text(official, kind, params):
    with translation.override("en"):
        assert notifications.render(note(official, kind=kind, params=params)) == (
            "You have a new notification."
        )


# --- services ---------------------------------------------------------------------------------


def test_mark_read_touches_only_the_users_own(official, coordinator):
    mine, theirs = note(official, key="a"), note(coordinator, key="a")
    assert notifications.mark_read(official, [mine.pk, theirs.pk]) == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None
    assert notifications.mark_read(official, [mine.pk]) == 0  # already read: unchanged


def test_mark_all_read(official, coordinator):
    for i in range(3):
        note(official, key=f"k{i}")
    note(coordinator)
    assert notifications.mark_all_read(official) == 3
    assert notifications.unread_count(official) == 0
    assert notifications.unread_count(coordinator) == 1


# --- pages ------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client):
    for method, url in [
        ("get", "/notifications/"),
        ("post", "/notifications/read/"),
        ("post", "/notifications/settings/"),
    ]:
        r = getattr(client, method)(url)
        assert r.status_code == 302, url
        assert "/accounts/login/" in r["Location"]


@pytest.mark.parametrize("persona", ["activist", "researcher", "official", "coordinator", "admin"])
def test_every_signed_in_persona_has_the_page(client_for, persona):
    r = client_for(persona).get("/notifications/")
    assert r.status_code == 200
    assert "Notifications (0)" in r.content.decode() or "Ilmoitukset (0)" in r.content.decode()


def test_the_list_shows_the_users_own_newest_first_unread_highlighted(
    client_for, official, coordinator
):
    now = timezone.now()
    old = note(official, key="old", created_at=now - dt.timedelta(days=2), read_at=now)
    new = note(
        official,
        key="new",
        kind="plan_overdue",
        params={"practice": "Pop-up-tori", "activism": "REKO"},
        url="/cases/7/",
        created_at=now - dt.timedelta(days=1),
    )
    note(coordinator, key="x", params={"activism": "Salainen", "last": "2025-01-01"})
    with translation.override("en"):
        page = client_for("official").get("/notifications/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("Pop-up-tori") < html.index("Lauttasaaren REKO")
    assert "Salainen" not in html
    assert 'href="/cases/7/"' in html
    assert html.count("notification--unread") == 1
    assert f'name="id" value="{new.pk}"' in html
    assert f'name="id" value="{old.pk}"' not in html  # read: no button


@pytest.mark.parametrize(
    ("language", "heading"), [("fi", "Ilmoitukset"), ("sv", "Aviseringar"), ("en", "Notifications")]
)
def test_the_page_works_in_every_language(client_for, official, language, heading):
    note(official)
    client = client_for("official")
    client.cookies["django_language"] = language
    r = client.get("/notifications/")
    assert r.status_code == 200
    assert f'lang="{language}"' in r.content.decode()
    # the language is remembered for the email digest
    assert NotificationSettings.objects.get(user=official).language == language


def test_the_header_link_counts_unread(client_for, official):
    note(official, key="a")
    note(official, key="b")
    note(official, key="c", read_at=timezone.now())
    client = client_for("official")
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    assert 'href="/notifications/"' in html
    assert "Notifications (2)" in html


def test_anonymous_pages_have_no_notification_link(client, builtin):
    assert 'href="/notifications/"' not in client.get("/").content.decode()


def test_the_list_is_paginated(client_for, official):
    for i in range(30):
        note(official, key=f"k{i}", params={"activism": f"A{i:02d}", "last": "2025-01-01"})
    client = client_for("official")
    first = client.get("/notifications/").content.decode()
    second = client.get("/notifications/?page=2").content.decode()
    assert "A29" in first and "A00" not in first
    assert "A00" in second and "A29" not in second
    assert client.get("/notifications/?page=zzz").status_code == 200


def test_mark_one_read(client_for, official):
    n = note(official)
    r = client_for("official").post("/notifications/read/", {"id": n.pk})
    assert r.status_code == 302
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_all_read_from_the_page(client_for, official, coordinator):
    note(official, key="a")
    note(official, key="b")
    note(coordinator, key="a")
    r = client_for("official").post("/notifications/read/", {"all": "1"})
    assert r.status_code == 302
    assert notifications.unread_count(official) == 0
    assert notifications.unread_count(coordinator) == 1


def test_another_users_notification_is_not_found_and_never_marked(
    client_for, official, coordinator
):
    mine, theirs = note(official), note(coordinator)
    client = client_for("official")
    assert client.post("/notifications/read/", {"id": theirs.pk}).status_code == 404
    # mixed with one's own: still nothing changes
    assert client.post("/notifications/read/", {"id": [mine.pk, theirs.pk]}).status_code == 404
    assert Notification.objects.filter(read_at__isnull=False).count() == 0
    assert client.post("/notifications/read/", {"id": 999999}).status_code == 404


@pytest.mark.parametrize("data", [{}, {"id": "abc"}, {"id": ""}])
def test_bad_input_to_mark_read_is_400_and_changes_nothing(client_for, official, data):
    note(official)
    client = client_for("official")
    client.cookies["django_language"] = "en"
    r = client.post("/notifications/read/", data)
    assert r.status_code == 400
    assert "hds-notification--error" in r.content.decode()
    assert notifications.unread_count(official) == 1


def test_mark_read_needs_post(client_for):
    assert client_for("official").get("/notifications/read/").status_code == 405
    assert client_for("official").get("/notifications/settings/").status_code == 405


def test_redirect_after_marking_stays_on_the_site(client_for, official):
    n = note(official)
    r = client_for("official").post(
        "/notifications/read/", {"id": n.pk, "next": "https://evil.example/"}
    )
    assert r["Location"] == "/notifications/"
    n2 = note(official, key="b")
    r = client_for("official").post("/notifications/read/", {"id": n2.pk, "page": "2"})
    assert r["Location"] == "/notifications/?page=2"


def test_the_digest_setting(client_for, official):
    client = client_for("official")
    assert 'value="daily" checked' in client.get("/notifications/").content.decode()
    r = client.post("/notifications/settings/", {"email_digest": "weekly"})
    assert r.status_code == 302
    assert NotificationSettings.objects.get(user=official).email_digest == "weekly"
    assert 'value="weekly" checked' in client.get("/notifications/").content.decode()


@pytest.mark.parametrize("data", [{}, {"email_digest": "hourly"}, {"email_digest": ""}])
def test_a_bad_digest_setting_is_400_and_changes_nothing(client_for, official, data):
    client = client_for("official")
    client.post("/notifications/settings/", {"email_digest": "off"})
    client.cookies["django_language"] = "en"
    r = client.post("/notifications/settings/", data)
    assert r.status_code == 400
    assert "Choose how often you want the email" in r.content.decode()
    assert NotificationSettings.objects.get(user=official).email_digest == "off"


def test_settings_are_per_user(client_for, official, coordinator):
    client_for("official").post("/notifications/settings/", {"email_digest": "off"})
    assert notifications.settings_for(official).email_digest == "off"
    assert notifications.settings_for(coordinator).email_digest == "daily"
    assert not NotificationSettings.objects.filter(user=coordinator).exists()


def test_the_list_page_query_count_does_not_grow(client_for, official):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("official")
    note(official)
    client.get("/notifications/")  # the first visit stores the language
    with CaptureQueriesContext(connection) as few:
        client.get("/notifications/")
    for i in range(20):
        note(official, key=f"k{i}")
    with CaptureQueriesContext(connection) as many:
        client.get("/notifications/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_user_without_email_still_has_the_page(client):
    user = UserFactory(username="noemail", email="")
    client.force_login(user)
    assert client.get("/notifications/").status_code == 200
