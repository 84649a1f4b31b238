"""Rate limits of public writes: forms and links that need no account.

A limit is a *scope* (what is limited) and a rate (``"20/10m"``: 20 per ten minutes), set in
``PORTAAT_RATE_LIMITS``. Each scope counts per *identity* — the client's address for a sign-up
form, the personal link for a volunteer's answers — in fixed windows kept in the shared cache
(Redis with ``REDIS_URL``, so all web processes count together; see :mod:`portaat.cache`).
Identities are stored only as keyed hashes: the cache never holds an address or a link's
secret.

Limits fail open: when the cache cannot be reached the request goes through. Logins, sign-ups
and password resets are limited by django-allauth (``ACCOUNT_RATE_LIMITS``); thanks and
workshop answers count in the database (their own modules).

Addresses: ``REMOTE_ADDR`` as uvicorn sets it — behind a proxy uvicorn takes the client from
``X-Forwarded-For`` only when the proxy is in ``--forwarded-allow-ips`` (docs/deploy.md).
Mobile operators put many people behind one address (CGNAT), so per-address limits are
generous and per-link limits are tight.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext

RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """``"20/10m"`` → 20 per 600 s. Raises ``ValueError`` on anything else."""
    match = RATE.match(text.strip())
    if not match or int(match.group(1)) < 1:
        raise ValueError(f"not a rate like 20/10m: {text!r}")
    count, amount, unit = match.groups()
    seconds = int(amount or 1) * UNIT_SECONDS[unit]
    if seconds < 1:
        raise ValueError(f"not a rate like 20/10m: {text!r}")
    return Rate(int(count), seconds)


def rate_for(scope: str) -> Rate:
    return parse_rate(settings.PORTAAT_RATE_LIMITS[scope])


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "") or "")


def _hashed(scope: str, identity: str) -> str:
    key = hmac.new(settings.SECRET_KEY.encode(), b"portaat/ratelimit", hashlib.sha256).digest()
    digest = hmac.new(key, f"{scope}\0{identity}".encode(), hashlib.sha256).hexdigest()
    return digest[:32]


def take(scope: str, identity: str, now: float | None = None) -> int | None:
    """Count one use of ``scope`` by ``identity``. ``None`` when allowed; otherwise the seconds
    until the current window ends (for ``Retry-After``)."""
    rate = rate_for(scope)
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    key = f"ratelimit:{scope}:{_hashed(scope, identity)}:{window}"
    if not cache.add(key, 1, timeout=rate.seconds + 1):
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr, or the cache is unreachable
            cache.set(key, 1, timeout=rate.seconds + 1)
            used = 1
    else:
        used = 1
    if used <= rate.count:
        return None
    return max(1, int((window + 1) * rate.seconds - now))


def too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    minutes = max(1, (retry_after + 59) // 60)
    response = render(request, "errors/429.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def too_many_json(request: HttpRequest, retry_after: int) -> HttpResponse:
    message = gettext("Too many attempts in a short while. Please try again later.")
    response = JsonResponse({"ok": False, "error": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


KeyFunction = Callable[..., str]
Refusal = Callable[[HttpRequest, int], HttpResponse]


def by_address(request: HttpRequest, **kwargs: Any) -> str:
    return client_address(request)


def by_url_part(name: str) -> KeyFunction:
    """Count per personal link: the URL's ``name`` part (a token or a secret)."""

    def key(request: HttpRequest, **kwargs: Any) -> str:
        return str(kwargs.get(name, ""))

    return key


def limit(
    scope: str,
    key: KeyFunction = by_address,
    methods: tuple[str, ...] = ("POST",),
    refuse: Refusal = too_many,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view: requests with one of ``methods`` beyond the scope's rate get a 429 page
    (translated, with ``Retry-After``) and the view does not run — nothing changes."""

    if scope not in settings.PORTAAT_RATE_LIMITS:  # a typo fails at import, not in production
        raise KeyError(f"no rate limit named {scope!r} in PORTAAT_RATE_LIMITS")

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                retry_after = take(scope, key(request, **kwargs))
                if retry_after is not None:
                    return refuse(request, retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
