"""Logging an interaction on a case: for the unit's members only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portaat.cases.models import Interaction
from tests.helpers import html_lang

pytestmark = pytest.mark.django_db


def url(case):
    return f"/cases/{case.pk}/interactions/new/"


def data(**overrides):
    return {
        "kind": "event",
        "happened_on": "2026-02-03",
        "note": "Tavattiin REKO-jaossa",
    } | overrides


def test_it_logs_an_interaction(login, people, reko_case):
    client = login(people["member"])
    r = client.post(url(reko_case), data())
    assert r.status_code == 302
    assert r["Location"] == f"/cases/{reko_case.pk}/#interactions"
    interaction = Interaction.objects.get()
    assert (interaction.case, interaction.kind, interaction.happened_on) == (
        reko_case,
        "event",
        dt.date(2026, 2, 3),
    )
    assert interaction.note == "Tavattiin REKO-jaossa"
    assert interaction.author == people["member"]
    assert "Tavattiin REKO-jaossa" in client.get(f"/cases/{reko_case.pk}/").content.decode()


def test_the_maintainers_read_the_logged_interactions(login, people, reko_case):
    login(people["member"]).post(url(reko_case), data())
    body = login(people["maintainer"]).get(f"/cases/{reko_case.pk}/").content.decode()
    assert "Tavattiin REKO-jaossa" in body


def test_it_offers_every_kind_and_today(login, people, reko_case):
    body = login(people["member"]).get(url(reko_case)).content.decode()
    for kind in ("event", "group", "information", "meeting", "support", "other"):
        assert f'value="{kind}"' in body
    assert f'value="{timezone.localdate().isoformat()}"' in body


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member", 200),
        ("coordinator", 200),
        ("division_official", 200),
        ("maintainer", 403),  # sees the case, but logging is the unit's own record
        ("outsider", 403),
        ("other_activist", 404),
        ("researcher", 404),
    ],
)
def test_it_is_for_the_units_members(login, people, reko_case, who, status):
    client = login(people[who])
    assert client.get(url(reko_case)).status_code == status
    r = client.post(url(reko_case), data())
    assert r.status_code == (302 if status == 200 else status)
    assert Interaction.objects.exists() is (status == 200)


def test_it_sends_anonymous_visitors_to_log_in(client, reko_case):
    r = client.post(url(reko_case), data())
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/?next=")
    assert not Interaction.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "party"},
        {"kind": ""},
        {"happened_on": ""},
        {"happened_on": "2026-13-01"},
        {"happened_on": "eilen"},
        {"note": "x" * 10_001},
    ],
)
def test_it_refuses_bad_input(login, people, reko_case, bad):
    r = login(people["member"]).post(url(reko_case), data(**bad))
    assert r.status_code == 400
    assert 'role="alert"' in r.content.decode()
    assert not Interaction.objects.exists()


def test_it_refuses_a_future_date(login, people, reko_case):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    r = login(people["member"]).post(url(reko_case), data(happened_on=tomorrow.isoformat()))
    assert r.status_code == 400
    assert not Interaction.objects.exists()


def test_it_answers_404_for_a_missing_case(login, people, reko_case):
    assert login(people["member"]).get("/cases/999999/interactions/new/").status_code == 404


def test_it_renders_in_swedish(login, people, reko_case):
    r = login(people["member"]).get(url(reko_case), HTTP_ACCEPT_LANGUAGE="sv")
    assert r.status_code == 200
    assert html_lang(r.content) == "sv"
    assert "Detaljplanering" in r.content.decode()
