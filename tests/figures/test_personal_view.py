"""The personal link: activism members report figures without an account."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from portaat.figures import services
from portaat.figures.models import FigureReport
from tests.figures.conftest import in_english, last_month


def url(link: Any) -> str:
    return reverse("figures:personal", args=[link.secret])


def test_figures_sent_through_the_link_appear_on_the_activism_chart(link: Any, ring: Any) -> None:
    client = in_english(Client())
    page = client.get(url(link))
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    assert 'name="producers"' in page.content.decode()

    sent = client.post(url(link), {"period": last_month(), "producers": "12", "orders": "340"})
    assert sent.status_code == 302
    report = FigureReport.objects.get(activism=ring)
    assert report.values == {"producers": 12, "orders": 340}
    assert report.link == link and report.by is None

    public = client.get(reverse("registry:activism", args=[ring.pk])).content.decode()
    assert 'role="img"' in public
    assert "Tuottajia" in public or "Producers" in public
    assert f"{last_month()[5:]}/{last_month()[:4]}: 12" in public  # the chart's description


def test_a_duplicate_month_is_refused_with_a_clear_message(link: Any, ring: Any) -> None:
    client = in_english(Client())
    client.post(url(link), {"period": last_month(), "producers": "12"})
    again = client.post(url(link), {"period": last_month(), "producers": "99"})
    assert again.status_code == 400
    assert "already been reported" in again.content.decode()
    assert FigureReport.objects.get().values == {"producers": 12}


def test_malformed_figures_are_refused_and_nothing_is_saved(link: Any) -> None:
    client = in_english(Client())
    for data in (
        {"period": "2026-13", "producers": "12"},
        {"period": last_month(), "producers": "kymmenen"},
        {"period": last_month(), "producers": "-1"},
        {"period": last_month(), "producers": "99999999"},
        {"period": last_month(), "orders": "1", "producers": "1.5"},
        {"period": last_month()},
        {"period": "3000-01", "producers": "1"},
    ):
        answer = client.post(url(link), data)
        assert answer.status_code == 400, data
        assert "The figures were not saved" in answer.content.decode()
    assert not FigureReport.objects.exists()


def test_a_revoked_or_unknown_link_does_not_work(link: Any) -> None:
    services.revoke_link(link)
    client = in_english(Client())
    assert client.get(url(link)).status_code == 404
    assert client.post(url(link), {"period": last_month(), "producers": "1"}).status_code == 404
    assert client.get(reverse("figures:personal", args=["x" * 32])).status_code == 404
    assert not FigureReport.objects.exists()


def test_a_link_is_rate_limited(link: Any, settings: Any) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.PORTAAT_RATE_LIMITS = {**settings.PORTAAT_RATE_LIMITS, "figures-link": "2/h"}
    client = in_english(Client())
    for _ in range(2):
        assert client.post(url(link), {"period": "bad"}).status_code == 400
    refused = client.post(url(link), {"period": last_month(), "producers": "1"})
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert not FigureReport.objects.exists()
    cache.clear()
