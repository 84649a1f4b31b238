"""The stairs of social-media governance and the shipped guidance, as `portaat init` loads them."""

from __future__ import annotations

from typing import Any

import pytest

from portaat.somehallinto.services import load_guidance


@pytest.fixture
def guidance(builtin: Any) -> int:
    return load_guidance()


def in_english(client: Any) -> Any:
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
