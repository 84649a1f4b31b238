"""/metrics over HTTP: off without a token, a bearer token otherwise, and Prometheus's text
format (0.0.4) whose figures follow the database. A small parser below reads the answer back
as Prometheus would, so the format itself is checked, not only a few substrings."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError
from django.utils import timezone
from huey.contrib.djhuey import HUEY

import portaat
from portaat import metrics
from portaat.crowds import services
from portaat.crowds.models import CallStatus, Delivery, DeliveryStatus
from portaat.models import Heartbeat
from portaat.workshops.models import Workshop
from tests.factories import (
    AreaFactory,
    CallFactory,
    PostFactory,
    SourceFactory,
    UserFactory,
    VolunteerFactory,
)
from tests.test_settings import _load_settings

pytestmark = pytest.mark.django_db

TOKEN = "s3cret-metrics-token_0123456789"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


# --- a strict reader of the text exposition format 0.0.4 ---------------------------------------

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
SAMPLE = re.compile(rf"^({NAME})(?:\{{(.*)\}})? (\S+)(?: -?\d+)?$")
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)')
UNESCAPE = {"\\\\": "\\", '\\"': '"', "\\n": "\n"}


def _unescape(text: str) -> str:
    return re.sub(r'\\[\\"n]', lambda m: UNESCAPE[m.group(0)], text)


def _labels(text: str | None) -> frozenset[tuple[str, str]]:
    pairs: dict[str, str] = {}
    position = 0
    while text and position < len(text):
        match = LABEL.match(text, position)
        assert match, f"bad label set at {text[position:]!r}"
        name, value, comma = match.groups()
        assert name not in pairs, f"label {name} twice"
        pairs[name] = _unescape(value)
        position = match.end()
        assert comma or position == len(text)
    return frozenset(pairs.items())


def _value(text: str) -> float:
    special = {"+Inf": float("inf"), "-Inf": float("-inf"), "NaN": float("nan")}
    return special[text] if text in special else float(text)


def parse(body: str) -> dict[str, dict[str, Any]]:
    """name → {"type", "help", "samples": {frozenset of (label, value): number}}. Asserts that
    every sample has a TYPE line before it, that each name is described once and that a
    metric's samples are not split by another metric's lines."""
    assert body.endswith("\n"), "the last line must end with a line feed"
    families: dict[str, dict[str, Any]] = {}
    finished: set[str] = set()
    current = None
    for line in body[:-1].split("\n"):
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) < 3 or parts[1] not in ("HELP", "TYPE"):
                continue  # a comment
            keyword, name = parts[1], parts[2]
            assert re.fullmatch(NAME, name), line
            if name != current:
                assert name not in families, f"{name}'s lines are split"
                if current:
                    finished.add(current)
                current = name
                families[name] = {"type": None, "help": None, "samples": {}}
            family = families[name]
            if keyword == "TYPE":
                assert family["type"] is None, f"two TYPE lines for {name}"
                assert not family["samples"], f"TYPE of {name} after its samples"
                assert parts[3] in ("counter", "gauge", "histogram", "summary", "untyped")
                family["type"] = parts[3]
            else:
                assert family["help"] is None, f"two HELP lines for {name}"
                family["help"] = _unescape(parts[3] if len(parts) > 3 else "")
            continue
        match = SAMPLE.match(line)
        assert match, f"not a sample line: {line!r}"
        name, labels, value = match.groups()
        assert name == current and name not in finished, f"{name} has no TYPE line before it"
        assert families[name]["type"] is not None, f"{name} has no TYPE line before it"
        key = _labels(labels)
        assert key not in families[name]["samples"], f"{line!r} twice"
        families[name]["samples"][key] = _value(value)
    return families


def sample(families: dict[str, dict[str, Any]], name: str, **labels: str) -> float:
    return families[name]["samples"][frozenset(labels.items())]


def scrape(client, token: str = TOKEN):
    return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def token(settings) -> str:
    settings.PORTAAT_METRICS_TOKEN = TOKEN
    return TOKEN


# --- access -------------------------------------------------------------------------------------


def test_without_a_token_setting_there_is_no_such_page(client, settings):
    settings.PORTAAT_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert scrape(client).status_code == 404
    assert client.post("/metrics").status_code == 404


def test_a_signed_in_administrator_is_not_enough(client, token):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    r = client.get("/metrics")
    assert r.status_code == 401


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer wrong-token-0123456789",
        f"Bearer {TOKEN[:-1]}",
        f"Bearer {TOKEN}x",
        f"Basic {TOKEN}",
        TOKEN,
        "Bearer pässi-ei-ascii",
    ],
)
def test_a_missing_or_wrong_token_is_refused(client, token, authorization):
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    r = client.get("/metrics", **headers)
    assert r.status_code == 401
    assert r["WWW-Authenticate"] == "Bearer"
    assert r["Cache-Control"] == "no-store"
    assert "portaat_" not in r.content.decode()


def test_the_scheme_is_case_insensitive(client, token):
    r = client.get("/metrics", HTTP_AUTHORIZATION=f"bearer {TOKEN}")
    assert r.status_code == 200


def test_only_get_and_head(client, token):
    r = client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert r.status_code == 405  # and no CSRF refusal (403): the view takes no cookies
    assert client.head("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_the_answer_is_never_cached_and_opens_no_session(client, token):
    r = scrape(client)
    assert r.status_code == 200
    assert r["Content-Type"] == CONTENT_TYPE
    assert r["Cache-Control"] == "no-store"
    assert not r.cookies
    assert "Cookie" not in r.get("Vary", "")


# --- the figures ----------------------------------------------------------------------------


def test_an_empty_site(client, token):
    families = parse(scrape(client).content.decode())
    assert sample(families, "portaat_up") == 1
    assert sample(families, "portaat_database_up") == 1
    assert sample(families, "portaat_build_info", version=portaat.__version__) == 1
    for status in DeliveryStatus.values:
        assert sample(families, "portaat_crowd_deliveries", status=status) == 0
    assert sample(families, "portaat_crowd_calls_open") == 0
    assert sample(families, "portaat_workshops_open") == 0
    assert sample(families, "portaat_listening_posts") == 0
    # no worker has ever run: the metric is described, without a sample (alert on absent())
    assert families["portaat_worker_heartbeat_age_seconds"]["samples"] == {}
    assert families["portaat_worker_heartbeat_age_seconds"]["type"] == "gauge"
    for family in families.values():
        assert family["help"], family
        assert family["type"] == "gauge"


def test_the_figures_follow_the_database(client, token, monkeypatch):
    caller = UserFactory()
    UserFactory()
    UserFactory(is_active=False)
    kallio = AreaFactory()
    VolunteerFactory.create_batch(3, areas=[kallio])
    call = CallFactory(areas=[kallio], created_by=caller)
    assert services.send_call(caller, call) == 3
    first = Delivery.objects.order_by("pk").first()
    Delivery.objects.filter(pk=first.pk).update(status=DeliveryStatus.FAILED)
    CallFactory()  # a draft is not open
    CallFactory(  # nor a sent call that has ended
        status=CallStatus.SENT,
        starts_at=timezone.now() - timedelta(hours=5),
        ends_at=timezone.now() - timedelta(hours=1),
        respond_by=timezone.now() - timedelta(hours=5),
    )

    now = timezone.now()
    healthy = SourceFactory(last_success_at=now, last_error_at=now - timedelta(hours=1))
    SourceFactory()  # never collected yet, never failed
    SourceFactory(last_error_at=now)  # failed at its first collection
    SourceFactory(last_success_at=now - timedelta(hours=1), last_error_at=now)
    SourceFactory(paused=True, last_error_at=now)  # paused wins over failing
    PostFactory.create_batch(4, source=healthy)

    for expires, closed in [(1, None), (1, now), (-1, None)]:
        Workshop.objects.create(
            title="Työpaja",
            max_participants=10,
            expires_at=now + timedelta(hours=expires),
            closed_at=closed,
        )
    Heartbeat.objects.create(name="worker", seen_at=now - timedelta(seconds=90))
    monkeypatch.setattr(HUEY, "pending_count", lambda: 7)

    families = parse(scrape(client).content.decode())

    assert sample(families, "portaat_crowd_deliveries", status="pending") == 2
    assert sample(families, "portaat_crowd_deliveries", status="failed") == 1
    assert sample(families, "portaat_crowd_deliveries", status="sent") == 0
    assert sample(families, "portaat_crowd_calls_open") == 1
    assert sample(families, "portaat_listening_sources", health="ok") == 2
    assert sample(families, "portaat_listening_sources", health="failing") == 2
    assert sample(families, "portaat_listening_sources", health="paused") == 1
    assert sample(families, "portaat_listening_posts") == 4
    assert sample(families, "portaat_workshops_open") == 1
    assert sample(families, "portaat_users", active="true") == 2
    assert sample(families, "portaat_users", active="false") == 1
    assert 90 <= sample(families, "portaat_worker_heartbeat_age_seconds") < 120
    assert sample(families, "portaat_queue_up") == 1
    assert sample(families, "portaat_queue_pending_tasks") == 7


def test_the_number_of_queries_does_not_grow_with_the_data(
    client, token, django_assert_max_num_queries
):
    kallio = AreaFactory()
    VolunteerFactory.create_batch(5, areas=[kallio])
    caller = UserFactory()
    services.send_call(caller, CallFactory(areas=[kallio]))
    SourceFactory.create_batch(3)
    # SELECT 1, heartbeat, deliveries, open calls, sources, posts, workshops, users
    with django_assert_max_num_queries(8):
        assert scrape(client).status_code == 200


def test_label_values_are_escaped(client, token):
    kallio = AreaFactory()
    VolunteerFactory(areas=[kallio])
    services.send_call(UserFactory(), CallFactory(areas=[kallio]))
    odd = 'a"b\\c\nd'  # not a status the code writes, but the column would hold it
    Delivery.objects.update(status=odd)

    body = scrape(client).content.decode()

    assert 'portaat_crowd_deliveries{status="a\\"b\\\\c\\nd"} 1\n' in body
    assert sample(parse(body), "portaat_crowd_deliveries", status=odd) == 1


def test_an_unreachable_queue_leaves_out_only_its_length(client, token, monkeypatch):
    def down() -> int:
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(HUEY, "pending_count", down)
    r = scrape(client)
    assert r.status_code == 200
    families = parse(r.content.decode())
    assert sample(families, "portaat_queue_up") == 0
    assert families["portaat_queue_pending_tasks"]["samples"] == {}
    assert sample(families, "portaat_database_up") == 1


def test_a_database_that_is_down_answers_503_and_says_so(client, token, monkeypatch):
    class DownConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(metrics, "connection", DownConnection())
    r = scrape(client)
    assert r.status_code == 503
    assert r["Content-Type"] == CONTENT_TYPE
    assert r["Cache-Control"] == "no-store"
    families = parse(r.content.decode())
    assert sample(families, "portaat_database_up") == 0
    assert sample(families, "portaat_up") == 1
    assert "portaat_crowd_deliveries" not in families
    assert "portaat_worker_heartbeat_age_seconds" not in families


def test_a_query_failing_halfway_leaves_out_every_database_figure(client, token, monkeypatch):
    def broken(now):
        raise OperationalError("database is locked")

    monkeypatch.setattr(metrics, "DATABASE_FIGURES", [*metrics.DATABASE_FIGURES[:2], broken])
    r = scrape(client)
    assert r.status_code == 503
    families = parse(r.content.decode())
    assert sample(families, "portaat_database_up") == 0
    assert not any(name.startswith(("portaat_crowd", "portaat_worker")) for name in families)


# --- the writer on its own ------------------------------------------------------------------


def test_the_writer_escapes_help_and_writes_special_values():
    family = metrics.Family("portaat_x", "gauge", "back\\slash and\nnew line")
    family.add(float("nan"), k="1").add(float("inf"), k="2").add(float("-inf"), k="3")
    family.add(0.25, k="4").add(True, k="5")
    text = metrics.render([family])
    assert text.splitlines()[0] == "# HELP portaat_x back\\\\slash and\\nnew line"
    parsed = parse(text)["portaat_x"]
    assert parsed["help"] == "back\\slash and\nnew line"
    assert parsed["samples"][frozenset({("k", "2")})] == float("inf")
    assert parsed["samples"][frozenset({("k", "3")})] == float("-inf")
    assert parsed["samples"][frozenset({("k", "4")})] == 0.25
    assert parsed["samples"][frozenset({("k", "5")})] == 1
    assert 'portaat_x{k="1"} NaN' in text.splitlines()


def test_the_writer_refuses_bad_names_and_repeats():
    with pytest.raises(ValueError):
        metrics.Family("portaat-x", "gauge", "")
    with pytest.raises(ValueError):
        metrics.Family("portaat_x", "gauge", "").add(1, **{"bad-label": "x"})
    with pytest.raises(ValueError):
        metrics.render([metrics.gauge("portaat_x", "", 1), metrics.gauge("portaat_x", "", 2)])


def test_the_parser_catches_a_sample_without_a_type():
    with pytest.raises(AssertionError):
        parse("portaat_x 1\n")
    with pytest.raises(AssertionError):
        parse("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n")


# --- the setting ------------------------------------------------------------------------------


def test_the_token_setting_is_read_from_the_environment_or_a_file(monkeypatch, tmp_path):
    monkeypatch.delenv("PORTAAT_METRICS_TOKEN", raising=False)
    monkeypatch.delenv("PORTAAT_METRICS_TOKEN_FILE", raising=False)
    assert _load_settings(monkeypatch, tmp_path).PORTAAT_METRICS_TOKEN == ""
    module = _load_settings(monkeypatch, tmp_path, PORTAAT_METRICS_TOKEN=TOKEN)
    assert module.PORTAAT_METRICS_TOKEN == TOKEN
    secret = tmp_path / "metrics-token"
    secret.write_text("from-a-file-0123456789\n")
    module = _load_settings(monkeypatch, tmp_path, PORTAAT_METRICS_TOKEN_FILE=str(secret))
    assert module.PORTAAT_METRICS_TOKEN == "from-a-file-0123456789"


@pytest.mark.parametrize("bad", ["short", "has a space in it 0123", "ääkkösiä-0123456789"])
def test_a_weak_or_unusable_token_stops_the_start(monkeypatch, tmp_path, bad):
    with pytest.raises(ImproperlyConfigured, match="PORTAAT_METRICS_TOKEN"):
        _load_settings(monkeypatch, tmp_path, PORTAAT_METRICS_TOKEN=bad)
