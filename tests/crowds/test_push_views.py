"""The Web Push views: taking and forgetting a browser's subscription, serving the service
worker, and the button on the volunteer page.

This module is also the URLconf of these tests: the push URLs at ``/crowds/push/`` (as the site
mounts them) in front of the site's own URLs.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.http import HttpResponse
from django.middleware.csrf import _get_new_csrf_string  # type: ignore[attr-defined]
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, include, path

from portaat.crowds.models import Channel, PushSubscription, Volunteer, VolunteerStatus
from tests.factories import VolunteerFactory


def _urlpatterns() -> list[URLPattern | URLResolver]:
    from portaat import urls as site

    return [
        path("crowds/push/", include("portaat.crowds.transports.webpush.urls")),
        *site.urlpatterns,
    ]


urlpatterns = _urlpatterns()
pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

ENDPOINT = "https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91bHun4MxP5egoKMwt2KZFBaFUH"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def browser_keys() -> dict[str, str]:
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"p256dh": b64url(point), "auth": b64url(os.urandom(16))}


def subscription(endpoint: str = ENDPOINT, **keys: str) -> dict[str, Any]:
    """What ``PushSubscription.toJSON()`` gives in a browser."""
    return {"endpoint": endpoint, "expirationTime": None, "keys": {**browser_keys(), **keys}}


@pytest.fixture(autouse=True)
def _push_settings(settings: Any) -> None:
    settings.DEBUG = False
    settings.PORTAAT_PUSH_ALLOW_HTTP = False


@pytest.fixture
def volunteer() -> Volunteer:
    volunteer: Volunteer = VolunteerFactory(channels=["email"])
    return volunteer


def client() -> Client:
    """A client that must show a CSRF token, as the page's script does."""
    browser = Client(enforce_csrf_checks=True)
    token = _get_new_csrf_string()
    browser.cookies["csrftoken"] = token
    browser.defaults["HTTP_X_CSRFTOKEN"] = token
    return browser


def post(url: str, body: Any, content_type: str = "application/json") -> HttpResponse:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    response: HttpResponse = client().post(url, data=data, content_type=content_type)
    return response


def subscribe_url(volunteer: Volunteer) -> str:
    return f"/crowds/push/{volunteer.secret}/subscribe/"


def unsubscribe_url(volunteer: Volunteer) -> str:
    return f"/crowds/push/{volunteer.secret}/unsubscribe/"


def snapshot() -> tuple[Any, ...]:
    return (
        list(PushSubscription.objects.values_list("volunteer_id", "endpoint", "p256dh", "auth")),
        list(Volunteer.objects.values_list("pk", "channels", "status")),
    )


# subscribing -------------------------------------------------------------------------------


def test_a_subscription_is_stored_and_push_becomes_a_channel(volunteer: Volunteer) -> None:
    body = subscription()
    response = post(subscribe_url(volunteer), body)
    assert response.status_code == 201
    assert response.json()["ok"] is True
    stored = PushSubscription.objects.get()
    assert (stored.volunteer_id, stored.endpoint) == (volunteer.pk, ENDPOINT)
    assert (stored.p256dh, stored.auth) == (body["keys"]["p256dh"], body["keys"]["auth"])
    volunteer.refresh_from_db()
    assert volunteer.channels == ["email", Channel.PUSH]


def test_subscribing_again_updates_the_keys(volunteer: Volunteer) -> None:
    assert post(subscribe_url(volunteer), subscription()).status_code == 201
    again = subscription()
    response = post(subscribe_url(volunteer), again)
    assert response.status_code == 200
    stored = PushSubscription.objects.get()
    assert stored.p256dh == again["keys"]["p256dh"]
    volunteer.refresh_from_db()
    assert volunteer.channels == ["email", "push"]  # not twice


def test_padded_base64_keys_are_stored_unpadded(volunteer: Volunteer) -> None:
    keys = browser_keys()
    padded = {name: value + "=" * (-len(value) % 4) for name, value in keys.items()}
    assert padded != keys
    assert post(subscribe_url(volunteer), subscription(**padded)).status_code == 201
    stored = PushSubscription.objects.get()
    assert (stored.p256dh, stored.auth) == (keys["p256dh"], keys["auth"])


def test_a_browser_shared_by_two_volunteers_follows_the_last_one(volunteer: Volunteer) -> None:
    other = VolunteerFactory(channels=["push", "email"])
    PushSubscription.objects.create(volunteer=other, endpoint=ENDPOINT, **browser_keys())
    assert post(subscribe_url(volunteer), subscription()).status_code == 200
    assert PushSubscription.objects.get().volunteer_id == volunteer.pk
    other.refresh_from_db()
    assert other.channels == ["email"]  # no browser left for them


def test_a_second_browser_is_added(volunteer: Volunteer) -> None:
    assert post(subscribe_url(volunteer), subscription()).status_code == 201
    second = "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABkX1"
    assert post(subscribe_url(volunteer), subscription(second)).status_code == 201
    assert PushSubscription.objects.filter(volunteer=volunteer).count() == 2


P256_POINT_OFF_CURVE = b64url(b"\x04" + b"\x01" * 64)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ("[]", "application/json"),
        ("null", "application/json"),
        (b"\xff\xfe", "application/json"),
        (json.dumps(subscription()), "text/plain"),
        (json.dumps(subscription()), "application/x-www-form-urlencoded"),
        (json.dumps({"endpoint": ENDPOINT}), "application/json"),
        (json.dumps({"keys": browser_keys()}), "application/json"),
        (json.dumps({"endpoint": ENDPOINT, "keys": "x"}), "application/json"),
        (json.dumps({"endpoint": 7, "keys": browser_keys()}), "application/json"),
        (json.dumps(subscription("http://fcm.googleapis.com/fcm/send/x")), "application/json"),
        (json.dumps(subscription("ftp://push.example/x")), "application/json"),
        (json.dumps(subscription("javascript:alert(1)")), "application/json"),
        (json.dumps(subscription("https://user:pw@push.example/x")), "application/json"),
        (json.dumps(subscription("https://push.example:99999/x")), "application/json"),
        (json.dumps(subscription("https://push.example/x y")), "application/json"),
        (json.dumps(subscription("https://push.example/" + "x" * 1000)), "application/json"),
        (json.dumps(subscription("")), "application/json"),
        (json.dumps(subscription(p256dh=b64url(os.urandom(64)))), "application/json"),
        (json.dumps(subscription(p256dh=b64url(b"\x02" + os.urandom(64)))), "application/json"),
        (json.dumps(subscription(p256dh=P256_POINT_OFF_CURVE)), "application/json"),
        (json.dumps(subscription(p256dh="BNc+/x==")), "application/json"),
        (json.dumps(subscription(auth=b64url(os.urandom(15)))), "application/json"),
        (json.dumps(subscription(auth=b64url(os.urandom(17)))), "application/json"),
        (json.dumps(subscription(auth="!!!!")), "application/json"),
        (json.dumps({**subscription(), "pad": "x" * 9000}), "application/json"),
    ],
)
def test_a_malformed_subscription_changes_nothing(
    volunteer: Volunteer, body: str | bytes, content_type: str
) -> None:
    before = snapshot()
    response = post(subscribe_url(volunteer), body, content_type)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    assert answer["ok"] is False and answer["error"]
    assert snapshot() == before


@pytest.mark.parametrize("flag", ["PORTAAT_PUSH_ALLOW_HTTP", "DEBUG"])
def test_http_endpoints_only_for_tests_and_development(
    volunteer: Volunteer, settings: Any, flag: str
) -> None:
    body = subscription("http://127.0.0.1:8123/push/x")
    assert post(subscribe_url(volunteer), body).status_code == 400
    setattr(settings, flag, True)
    assert post(subscribe_url(volunteer), body).status_code == 201


def test_an_unknown_secret_is_not_found(volunteer: Volunteer) -> None:
    before = snapshot()
    for secret in ("nope", volunteer.secret + "x", "x" * 200):
        assert post(f"/crowds/push/{secret}/subscribe/", subscription()).status_code == 404
        assert (
            post(f"/crowds/push/{secret}/unsubscribe/", {"endpoint": ENDPOINT}).status_code == 404
        )
    assert snapshot() == before


def test_a_volunteer_who_left_cannot_subscribe(volunteer: Volunteer) -> None:
    Volunteer.objects.filter(pk=volunteer.pk).update(status=VolunteerStatus.LEFT)
    before = snapshot()
    response = post(subscribe_url(volunteer), subscription())
    assert response.status_code == 409 and response.json()["error"]
    assert snapshot() == before


@pytest.mark.parametrize("method", ["get", "put", "delete", "head"])
def test_only_post(volunteer: Volunteer, method: str) -> None:
    for url in (subscribe_url(volunteer), unsubscribe_url(volunteer)):
        response = getattr(client(), method)(url)
        assert response.status_code == 405
        assert response["Allow"] == "POST"


def test_without_the_csrf_token_nothing_is_stored(volunteer: Volunteer) -> None:
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        subscribe_url(volunteer), data=json.dumps(subscription()), content_type="application/json"
    )
    assert response.status_code == 403
    assert not PushSubscription.objects.exists()


# unsubscribing -----------------------------------------------------------------------------


def test_unsubscribing_forgets_the_browser_and_the_channel(volunteer: Volunteer) -> None:
    post(subscribe_url(volunteer), subscription())
    second = "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABkX1"
    post(subscribe_url(volunteer), subscription(second))

    assert post(unsubscribe_url(volunteer), {"endpoint": ENDPOINT}).status_code == 200
    volunteer.refresh_from_db()
    assert volunteer.channels == ["email", "push"]  # the other browser still gets them

    response = post(unsubscribe_url(volunteer), subscription(second))  # toJSON() is fine too
    assert response.status_code == 200
    volunteer.refresh_from_db()
    assert volunteer.channels == ["email"]
    assert not PushSubscription.objects.exists()


def test_unsubscribing_a_forgotten_browser_is_fine(volunteer: Volunteer) -> None:
    assert post(unsubscribe_url(volunteer), {"endpoint": ENDPOINT}).status_code == 200


def test_only_ones_own_browser_can_be_unsubscribed(volunteer: Volunteer) -> None:
    other = VolunteerFactory(channels=["push"])
    PushSubscription.objects.create(volunteer=other, endpoint=ENDPOINT, **browser_keys())
    before = snapshot()
    assert post(unsubscribe_url(volunteer), {"endpoint": ENDPOINT}).status_code == 200
    assert snapshot() == before


@pytest.mark.parametrize("body", ["{", "[]", {"endpoint": 3}, {}, {"endpoint": "ftp://x/y"}])
def test_a_malformed_unsubscribe_changes_nothing(volunteer: Volunteer, body: Any) -> None:
    PushSubscription.objects.create(volunteer=volunteer, endpoint=ENDPOINT, **browser_keys())
    before = snapshot()
    response = post(unsubscribe_url(volunteer), body)
    assert response.status_code == 400 and response.json()["error"]
    assert snapshot() == before


# the service worker and the button ---------------------------------------------------------


def test_the_service_worker_may_control_the_crowd_pages() -> None:
    response = Client().get("/crowds/push/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/crowds/"
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert 'addEventListener("push"' in script and 'addEventListener("notificationclick"' in script
    assert Client().post("/crowds/push/sw.js").status_code == 405


def test_the_button_is_accessible_and_carries_what_the_script_needs(
    volunteer: Volunteer,
) -> None:
    request = RequestFactory().get(volunteer.get_manage_url())
    html = render_to_string(
        "crowds/_push_button.html",
        {"volunteer": volunteer, "vapid_public_key": "BPublicKey_-"},
        request=request,
    )
    assert f'data-subscribe-url="/crowds/push/{volunteer.secret}/subscribe/"' in html
    assert f'data-unsubscribe-url="/crowds/push/{volunteer.secret}/unsubscribe/"' in html
    assert 'data-sw-url="/crowds/push/sw.js"' in html
    assert 'data-sw-scope="/crowds/"' in html
    assert 'data-vapid-key="BPublicKey_-"' in html
    assert 'data-csrf-token="' in html and 'data-csrf-token=""' not in html
    assert '<button type="button"' in html
    assert 'role="status"' in html and 'aria-live="polite"' in html
    # hidden until the script has found Web Push in the browser
    assert "<div data-push-ui hidden>" in html
    assert "crowds/push.js" in html
    for attribute in ("label-on", "label-off", "text-on", "text-off", "text-denied"):
        assert f'data-{attribute}="' in html and f'data-{attribute}=""' not in html


def test_subscribing_is_rate_limited_with_a_json_answer(
    volunteer: Volunteer, settings: Any
) -> None:
    settings.PORTAAT_RATE_LIMITS = {**settings.PORTAAT_RATE_LIMITS, "push-subscribe": "1/10m"}
    assert post(subscribe_url(volunteer), subscription()).status_code == 201
    before = snapshot()
    refused = post(unsubscribe_url(volunteer), {"endpoint": ENDPOINT})
    assert refused.status_code == 429
    assert refused.json()["ok"] is False and refused.json()["error"]
    assert snapshot() == before
