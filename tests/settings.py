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
