"""The SMTP transport's wire format, read back by a real SMTP server and Python's parser."""

from __future__ import annotations

import uuid

import pytest

from portaat.crowds.transports.base import Outgoing
from portaat.crowds.transports.email import EmailTransport, build_bytes


def _outgoing(**overrides) -> Outgoing:
    values = {
        "delivery_id": 1,
        "reference": str(uuid.uuid4()),
        "to": "aino@example.fi",
        "subject": "Kutsu apuun: Myrskytuhoja Käpylässä – tarvitaan moottorisahoja ja kuljetusta",
        "text": "Hyvä vapaaehtoinen,\n.rivi joka alkaa pisteellä\n\n" + "pitkä " * 40 + "\nå ö ä €",
        "short_text": "",
        "language": "fi",
        "extra": {"manage_url": "https://portaat.example/crowds/v/abc/"},
    }
    values.update(overrides)
    return Outgoing(**values)  # type: ignore[arg-type]


def _send(message: Outgoing) -> object:
    transport = EmailTransport()
    with transport.session() as session:
        return session.send(message, lambda: None)


def test_non_ascii_subject_and_body_arrive_intact(smtp):
    message = _outgoing()
    result = _send(message)
    assert result.ok  # type: ignore[attr-defined]
    (received,) = smtp.messages
    assert received["Subject"] == message.subject
    assert received.get_content().replace("\r\n", "\n").rstrip("\n") == message.text
    assert received["Message-ID"] == f"<{message.reference}@portaat>"
    assert received["List-Unsubscribe"] == "<https://portaat.example/crowds/v/abc/>"
    assert received["Content-Language"] == "fi"
    assert received["Auto-Submitted"] == "auto-generated"


def test_the_wire_format_has_short_crlf_lines_and_no_injected_headers():
    data = build_bytes(
        _outgoing(subject="Otsikko\r\nBcc: someone@evil.example"), "Portaat <p@x.fi>"
    )
    head, _, body = data.partition(b"\r\n\r\n")
    assert b"\nBcc:" not in head
    assert all(len(line) <= 78 for line in data.split(b"\r\n"))
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert body.endswith(b"\r\n")


def test_a_display_name_with_letters_outside_ascii_is_encoded(smtp, settings):
    settings.PORTAAT_CROWDS_FROM_EMAIL = "Helsingin kaupunki – Pelastustoimi <apu@hel.example>"
    _send(_outgoing())
    (received,) = smtp.messages
    assert received["From"].addresses[0].display_name == "Helsingin kaupunki – Pelastustoimi"
    assert received["From"].addresses[0].addr_spec == "apu@hel.example"


def test_an_internationalised_domain_goes_in_its_ascii_form(smtp):
    assert _send(_outgoing(to="aino@hämeenlinna.example")).ok  # type: ignore[attr-defined]
    assert smtp.recipients == ["aino@xn--hmeenlinna-q5a.example"]


@pytest.mark.parametrize("address", ["äiti@example.fi"])
def test_a_local_part_outside_ascii_fails_without_retry(smtp, address):
    result = _send(_outgoing(to=address))
    assert not result.ok and not result.retry  # type: ignore[attr-defined]
    assert smtp.messages == []
