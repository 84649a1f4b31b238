"""Test settings: the real settings module, with a throw-away data directory."""

import os
import tempfile

os.environ.setdefault("PORTAAT_DATA_DIR", tempfile.mkdtemp(prefix="portaat-test-"))
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnop")

from portaat.settings import *  # noqa: F403
from portaat.settings import HUEY

# Tasks run inline in tests; tests/test_tasks.py exercises the real queue storage separately.
HUEY = {**HUEY, "immediate": True}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# aiosmtpd (the real SMTP server of the mail tests) logs every connection, and its shutdown,
# from its own thread; after pytest has closed its capture that is only noise in the output.
LOGGING = {
    **LOGGING,  # noqa: F405
    "loggers": {
        **LOGGING["loggers"],  # noqa: F405
        "mail.log": {"level": "CRITICAL"},
        # the Jetstream tests' local WebSocket servers log each connection from their threads
        "websockets": {"level": "WARNING"},
    },
}
PORTAAT_LISTENING_ALLOW_PRIVATE_HOSTS = True  # connectors talk to local replay servers
