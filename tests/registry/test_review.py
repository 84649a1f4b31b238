from __future__ import annotations

import pytest

from tests.factories import ActivismFactory
from tests.registry.helpers import shown

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(activist):
    return ActivismFactory(
        name="Kallahden ruokapiiri", review="pending", origin="self", maintainers=[activist]
    )


def test_the_queue_lists_pending_self_registrations(client_for, pending):
    ActivismFactory(name="Jo hyväksytty")
    ActivismFactory(name="Jo hylätty", review="rejected", origin="self")
    r = client_for("official").get("/activisms/review/")
    assert r.status_code == 200
    assert [a.name for a in r.context["page"].object_list] == ["Kallahden ruokapiiri"]
    text = r.content.decode()
    assert "activist@example.org" in text  # who maintains it
    assert f'action="/activisms/{pending.pk}/review/"' in text


def test_an_empty_queue(client_for):
    r = client_for("coordinator").get("/activisms/review/")
    assert r.status_code == 200
    assert shown("Nothing is waiting for review.") in r.content.decode()


@pytest.mark.parametrize("persona", ["activist", "researcher"])
def test_only_the_administration_sees_the_queue(client_for, pending, persona):
    assert client_for(persona).get("/activisms/review/").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client_for, pending):
    r = client_for("anonymous").get("/activisms/review/")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/?next=/activisms/review/"


def test_an_official_approves(client_for, pending):
    client = client_for("official")
    r = client.post(f"/activisms/{pending.pk}/review/", {"decision": "approve"})
    assert r.status_code == 302
    assert r["Location"] == "/activisms/review/"
    pending.refresh_from_db()
    assert pending.review == "approved"
    assert pending.is_public
    text = client.get(r["Location"]).content.decode()
    assert shown("“%(name)s” was approved and is now public.", name=pending.name) in text
    assert shown("Nothing is waiting for review.") in text


def test_approving_an_internal_entry_keeps_it_internal(client_for, pending):
    pending.visibility = "internal"
    pending.save()
    client = client_for("official")
    r = client.post(f"/activisms/{pending.pk}/review/", {"decision": "approve"})
    pending.refresh_from_db()
    assert (pending.review, pending.visibility) == ("approved", "internal")
    text = client.get(r["Location"]).content.decode()
    assert (
        shown(
            "“%(name)s” was approved. It is visible to the administration only.", name=pending.name
        )
        in text
    )
    assert client_for("anonymous").get(f"/activisms/{pending.pk}/").status_code == 404


def test_an_official_rejects(client_for, pending):
    client = client_for("coordinator")
    r = client.post(f"/activisms/{pending.pk}/review/", {"decision": "reject"})
    pending.refresh_from_db()
    assert pending.review == "rejected"
    text = client.get(r["Location"]).content.decode()
    assert (
        shown("“%(name)s” was rejected. It stays hidden from the public.", name=pending.name)
        in text
    )


def test_it_returns_to_the_page_it_came_from(client_for, pending):
    page = f"/activisms/{pending.pk}/"
    r = client_for("official").post(
        f"/activisms/{pending.pk}/review/", {"decision": "approve", "next": page}
    )
    assert r["Location"] == page


def test_it_never_redirects_off_site(client_for, pending):
    r = client_for("official").post(
        f"/activisms/{pending.pk}/review/",
        {"decision": "approve", "next": "https://evil.example.org/"},
    )
    assert r["Location"] == "/activisms/review/"


@pytest.mark.parametrize("data", [{}, {"decision": "maybe"}])
def test_a_missing_or_unknown_decision_changes_nothing(client_for, pending, data):
    r = client_for("official").post(f"/activisms/{pending.pk}/review/", data)
    assert r.status_code == 400
    assert shown("Choose whether to approve or reject.") in r.content.decode()
    pending.refresh_from_db()
    assert pending.review == "pending"


@pytest.mark.parametrize("review", ["approved", "rejected"])
def test_a_decided_entry_cannot_be_decided_again(client_for, review):
    activism = ActivismFactory(review=review, visibility="internal")
    r = client_for("official").post(f"/activisms/{activism.pk}/review/", {"decision": "approve"})
    assert r.status_code == 400
    assert shown("This activism is not waiting for review.") in r.content.decode()
    activism.refresh_from_db()
    assert (activism.review, activism.visibility) == (review, "internal")


@pytest.mark.parametrize("persona", ["activist", "researcher"])
def test_others_may_not_decide(client_for, pending, persona):
    r = client_for(persona).post(f"/activisms/{pending.pk}/review/", {"decision": "approve"})
    assert r.status_code == 403
    pending.refresh_from_db()
    assert pending.review == "pending"


def test_anonymous_may_not_decide(client_for, pending):
    r = client_for("anonymous").post(f"/activisms/{pending.pk}/review/", {"decision": "approve"})
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")
    pending.refresh_from_db()
    assert pending.review == "pending"


def test_the_decision_needs_post(client_for, pending):
    assert client_for("official").get(f"/activisms/{pending.pk}/review/").status_code == 405


def test_an_unknown_activism_is_not_found(client_for):
    r = client_for("official").post("/activisms/999999/review/", {"decision": "approve"})
    assert r.status_code == 404


def test_the_queue_link_counts_the_pending(client_for, pending):
    ActivismFactory(review="pending", origin="self")
    r = client_for("official").get("/activisms/")
    assert r.context["pending_count"] == 2
