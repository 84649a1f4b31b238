"""Answering a call by the signed link in a message: no login, one tap, safe against forged,
moved and replayed links."""

from __future__ import annotations

import pytest
from django.test import Client

from portaat.crowds import dispatch, links, services
from portaat.crowds.models import Answer, MessageKind, Response
from tests.factories import CallFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(smtp, caller, areas):
    volunteers = VolunteerFactory.create_batch(3, areas=[areas["kallio"]])
    call = CallFactory(areas=[areas["kallio"]], needed=1)
    services.send_call(caller, call)
    dispatch.dispatch_all()
    return call, volunteers


def _url(call, volunteer, answer=""):
    return links.response_url(call, volunteer, answer).removeprefix("https://portaat.example")


def test_the_link_in_the_email_opens_the_page_with_the_answer_chosen(sent, smtp):
    _call, (volunteer, *_rest) = sent
    body = smtp.to(volunteer.email)[0].get_content()
    url = next(line.split(": ", 1)[1] for line in body.splitlines() if "?a=coming" in line)
    response = Client().get(url.removeprefix("https://portaat.example"))
    assert response.status_code == 200
    assert b'data-preselect="coming"' in response.content
    # nothing answers by itself: mail scanners that open links in a browser run scripts too
    assert (
        b"data-autosubmit" not in response.content and b"crowds-respond.js" not in response.content
    )
    assert b'value="coming" class="hds-button hds-button--primary crowds-answer" autofocus' in (
        response.content
    )
    assert not Response.objects.exists()  # a GET (a mail scanner's fetch) answers nothing


def test_answers_fold_and_can_change(sent):
    call, (volunteer, *_rest) = sent
    client = Client()
    assert client.post(_url(call, volunteer), {"answer": "coming"}).status_code == 200
    assert client.post(_url(call, volunteer), {"answer": "coming"}).status_code == 200
    assert Response.objects.get().answer == Answer.COMING
    client.post(_url(call, volunteer), {"answer": "not_coming"})
    client.post(_url(call, volunteer), {"answer": "arrived"})
    assert Response.objects.count() == 1
    assert Response.objects.get().answer == Answer.ARRIVED


def test_after_enough_people_later_ones_are_waitlisted(sent):
    call, (first, second, _third) = sent
    Client().post(_url(call, first), {"answer": "coming"})
    response = Client().post(_url(call, second), {"answer": "coming"})
    assert b"varalistalla" in response.content
    assert Response.objects.get(volunteer=second).waitlisted
    assert not Response.objects.get(volunteer=first).waitlisted
    assert services.headcount(call)["coming"] == 1
    assert services.headcount(call)["waitlisted"] == 1


def test_when_someone_cancels_the_first_on_the_waitlist_is_expected_and_told(sent, smtp):
    call, (first, second, third) = sent
    Client().post(_url(call, first), {"answer": "coming"})
    Client().post(_url(call, second), {"answer": "coming"})
    Client().post(_url(call, third), {"answer": "coming"})
    assert services.headcount(call)["waitlisted"] == 2
    Client().post(_url(call, first), {"answer": "not_coming"})
    assert not Response.objects.get(volunteer=second).waitlisted  # the earliest on the list
    assert Response.objects.get(volunteer=third).waitlisted
    assert services.headcount(call)["coming"] == 1
    dispatch.dispatch_all()
    told = smtp.to(second.email)
    assert len(told) == 2  # the call, and now the place
    assert call.title in told[-1]["Subject"]
    place = call.messages.get(kind=MessageKind.PLACE)
    assert list(place.deliveries.values_list("volunteer_id", flat=True)) == [second.pk]
    assert len(smtp.to(third.email)) == 1 and len(smtp.to(first.email)) == 1
    # changing one's mind back does not take the place from the one promoted
    Client().post(_url(call, first), {"answer": "coming"})
    assert Response.objects.get(volunteer=first).waitlisted
    assert call.messages.filter(kind=MessageKind.PLACE).count() == 1


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("0" if t[-1] != "0" else "1"),  # one character of the MAC changed
        lambda t: "9" + t,  # another call id
        lambda t: t.split(".")[0] + f".{int(t.split('.')[1]) + 1}." + t.split(".")[2],  # another
        lambda t: "garbage",
        lambda t: "1.2",
        lambda t: "x" * 79,
    ],
)
def test_a_forged_link_changes_nothing(sent, mangle):
    call, (volunteer, *_rest) = sent
    token = mangle(links.response_token(call, volunteer))
    response = Client().post(f"/crowds/r/{token}/", {"answer": "coming"})
    assert response.status_code == 404
    assert not Response.objects.exists()


def test_a_link_replayed_after_the_call_ended_changes_nothing(sent, caller):
    call, (volunteer, *_rest) = sent
    services.close_call(caller, call, MessageKind.STAND_DOWN)
    response = Client().post(_url(call, volunteer), {"answer": "coming"})
    assert response.status_code == 410
    assert not Response.objects.exists()


def test_a_link_of_an_erased_volunteer_is_dead(sent):
    call, (volunteer, *_rest) = sent
    url = _url(call, volunteer)
    services.erase(volunteer)
    assert Client().post(url, {"answer": "coming"}).status_code == 404


def test_a_link_sent_before_the_secret_was_rotated_is_dead(sent):
    call, (volunteer, *_rest) = sent
    url = _url(call, volunteer)
    services.rotate_secret(volunteer)
    assert Client().post(url, {"answer": "coming"}).status_code == 404
    assert not Response.objects.exists()


def test_a_volunteer_who_left_cannot_answer(sent):
    call, (volunteer, *_rest) = sent
    services.leave(volunteer)
    response = Client().post(_url(call, volunteer), {"answer": "coming"})
    assert response.status_code == 403
    assert not Response.objects.exists()


def test_a_volunteer_the_call_did_not_reach_cannot_answer(sent, areas):
    call, _volunteers = sent
    other = VolunteerFactory(areas=[areas["espoo"]])
    response = Client().post(_url(call, other), {"answer": "coming"})
    assert response.status_code == 403
    assert not Response.objects.exists()


def test_an_unknown_answer_is_refused(sent):
    call, (volunteer, *_rest) = sent
    response = Client().post(_url(call, volunteer), {"answer": "maybe"})
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_answers_through_one_link_are_rate_limited(sent, settings):
    settings.PORTAAT_RATE_LIMITS = {**settings.PORTAAT_RATE_LIMITS, "volunteer-response": "3/10m"}
    call, (volunteer, other, _third) = sent
    client = Client()
    for answer in ("coming", "not_coming", "coming"):
        assert client.post(_url(call, volunteer), {"answer": answer}).status_code == 200
    refused = client.post(_url(call, volunteer), {"answer": "not_coming"})
    assert refused.status_code == 429
    assert Response.objects.get(call=call, volunteer=volunteer).answer == Answer.COMING
    # reading the page is not limited; another volunteer's link is counted apart
    assert client.get(_url(call, volunteer)).status_code == 200
    assert client.post(_url(call, other), {"answer": "not_coming"}).status_code == 200
