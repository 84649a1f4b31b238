"""What an SMS reply means (the service behind every gateway's webhook): answers with the
call's code, STOP, unknown codes and senders, a webhook delivered twice."""

from __future__ import annotations

import pytest

from portaat.crowds import dispatch, services
from portaat.crowds.inbound import ReplyOutcome
from portaat.crowds.models import Answer, InboundMessage, Response, VolunteerStatus
from tests.factories import CallFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

NUMBER = "+358401234567"


@pytest.fixture
def sent(smtp, caller, areas):
    volunteer = VolunteerFactory(areas=[areas["kallio"]], phone=NUMBER)
    call = CallFactory(areas=[areas["kallio"]], needed=3)
    services.send_call(caller, call)
    dispatch.dispatch_all()
    return call, volunteer


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("{code} 1", Answer.COMING),
        ("{code} kyllä", Answer.COMING),
        ("{code} ja", Answer.COMING),
        ("{code} 2", Answer.NOT_COMING),
        ("{code} nej", Answer.NOT_COMING),
        ("{code} 3", Answer.ARRIVED),
        ("{code} perillä", Answer.ARRIVED),
        ("1 {code}", Answer.COMING),
        ("  {lower}  1 ", Answer.COMING),
        ("1", Answer.COMING),
    ],
)
def test_answers_with_and_without_the_code(sent, text, answer):
    call, _volunteer = sent
    reply = services.handle_sms_reply(
        "040 123 4567", text.format(code=call.code, lower=call.code.lower()), provider_id="m1"
    )
    assert reply.outcome == ReplyOutcome.ANSWERED
    assert Response.objects.get().answer == answer
    assert reply.text


def test_the_same_webhook_twice_changes_nothing_the_second_time(sent):
    call, _volunteer = sent
    services.handle_sms_reply(NUMBER, f"{call.code} 1", provider_id="same")
    again = services.handle_sms_reply(NUMBER, f"{call.code} 2", provider_id="same")
    assert again.outcome == ReplyOutcome.DUPLICATE and again.text == ""
    assert Response.objects.get().answer == Answer.COMING


@pytest.mark.parametrize("word", ["STOP", "stop", "Lopeta", "SLUTA"])
def test_stop_leaves_and_nothing_else_changes(sent, word):
    call, volunteer = sent
    reply = services.handle_sms_reply(NUMBER, word, provider_id="s1")
    assert reply.outcome == ReplyOutcome.STOPPED
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.LEFT
    assert not Response.objects.exists()
    # a later answer is not taken
    later = services.handle_sms_reply(NUMBER, f"{call.code} 1", provider_id="s2")
    assert later.outcome == ReplyOutcome.UNKNOWN_SENDER
    assert not Response.objects.exists()


def test_an_unknown_code_is_explained(sent):
    reply = services.handle_sms_reply(NUMBER, "ZZZZ 1", provider_id="u1")
    assert reply.outcome == ReplyOutcome.UNKNOWN_CODE
    assert "ZZZZ" in reply.text
    assert not Response.objects.exists()


def test_a_code_of_a_call_that_did_not_reach_the_sender_is_unknown(sent, caller, areas):
    other = CallFactory(areas=[areas["espoo"]])
    services.send_call(caller, other)
    reply = services.handle_sms_reply(NUMBER, f"{other.code} 1", provider_id="u2")
    assert reply.outcome == ReplyOutcome.UNKNOWN_CODE
    assert not Response.objects.exists()


def test_an_unknown_number_is_told_in_three_languages(sent):
    reply = services.handle_sms_reply("+358409999999", "1", provider_id="x1")
    assert reply.outcome == ReplyOutcome.UNKNOWN_SENDER
    assert reply.text.count(" / ") == 2
    assert not Response.objects.exists()


def test_gibberish_gets_the_instructions(sent):
    call, _volunteer = sent
    reply = services.handle_sms_reply(NUMBER, "mitä?", provider_id="g1")
    assert reply.outcome == ReplyOutcome.NOT_UNDERSTOOD
    assert call.code in reply.text
    assert InboundMessage.objects.get().outcome == ReplyOutcome.NOT_UNDERSTOOD


def test_an_answer_after_the_stand_down_is_refused(sent, caller):
    from portaat.crowds.models import MessageKind

    call, _volunteer = sent
    services.close_call(caller, call, MessageKind.STAND_DOWN)
    reply = services.handle_sms_reply(NUMBER, f"{call.code} 1", provider_id="late")
    assert reply.outcome == ReplyOutcome.CALL_CLOSED
    assert not Response.objects.exists()
