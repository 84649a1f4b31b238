"""Personal secrets in addresses never reach the logs (portaat/logs.py)."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from portaat.logs import RedactSecrets, redact

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/crowds/v/AbC-123_x/", "/crowds/v/[redacted]/"),
        ("/crowds/r/12.34.abcdef/?a=coming", "/crowds/r/[redacted]/?a=coming"),
        ("/figures/s/s3cr3t", "/figures/s/[redacted]"),
        ("/crowds/calls/12/", "/crowds/calls/12/"),  # not a secret
    ],
)
def test_secret_parts_of_paths_are_redacted(path, expected):
    assert redact(path) == expected


def test_a_404_for_a_volunteer_link_is_logged_without_the_secret(caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert Client().get("/crowds/v/leaked-secret-value/").status_code == 404
        assert Client().get("/figures/s/another-secret/").status_code == 404
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/crowds/v/[redacted]/" in logged
    assert "leaked-secret-value" not in logged and "another-secret" not in logged


def test_the_web_servers_access_log_format_is_redacted():
    # uvicorn's access record: '%s - "%s %s HTTP/%s" %d' with the path as an argument
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/crowds/r/1.2.secretmac/", "1.1", 200),
        None,
    )
    assert RedactSecrets().filter(record)
    assert record.getMessage() == '127.0.0.1:5000 - "GET /crowds/r/[redacted]/ HTTP/1.1" 200'
