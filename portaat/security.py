"""Production safety: the Content-Security-Policy header, and the deployment checks that
``portaat check --deploy`` adds to Django's own (HTTPS, HSTS, secure cookies, CSP, …)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    """Adds ``PORTAAT_CSP`` to every response that does not set its own policy (attachment
    downloads set a stricter sandbox)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.PORTAAT_CSP
        if policy and policy.lower() != "off" and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@register(Tags.security, deploy=True)
def deployment_checks(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """What a production site needs beyond Django's own deploy checks."""
    problems: list[Any] = []
    site = urlsplit(settings.SITE_URL)
    if site.scheme != "https":
        problems.append(
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: links in e-mails, SMS and calendars are "
                "sent with it, and cookies are secure only over https.",
                hint="Set SITE_URL=https://your.host and serve the site behind a TLS proxy.",
                id="portaat.W001",
            )
        )
    host = site.hostname or ""
    allowed = settings.ALLOWED_HOSTS
    if host and "*" not in allowed and host not in allowed and f".{host}" not in allowed:
        problems.append(
            Error(
                f"SITE_URL's host {host!r} is not in ALLOWED_HOSTS {allowed!r}.",
                hint="Add it to ALLOWED_HOSTS, or every request to the site is refused.",
                id="portaat.E002",
            )
        )
    if site.scheme == "https" and _origin(settings.SITE_URL) not in settings.CSRF_TRUSTED_ORIGINS:
        problems.append(
            Warning(
                "CSRF_TRUSTED_ORIGINS does not contain SITE_URL's origin: behind a TLS proxy "
                "whose X-Forwarded-Proto is not trusted, every form would be refused.",
                hint=f"Set CSRF_TRUSTED_ORIGINS={_origin(settings.SITE_URL)}",
                id="portaat.W003",
            )
        )
    policy = settings.PORTAAT_CSP
    if not policy or policy.lower() == "off":
        problems.append(
            Warning(
                "No Content-Security-Policy is sent (PORTAAT_CSP is empty or off).",
                hint="Remove PORTAAT_CSP to use the built-in policy.",
                id="portaat.W004",
            )
        )
    elif "unsafe-eval" in policy or "script-src *" in policy:
        problems.append(
            Warning(
                "PORTAAT_CSP allows 'unsafe-eval' or scripts from anywhere.",
                hint="Portaat needs neither; remove them.",
                id="portaat.W005",
            )
        )
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        problems.append(
            Warning(
                "EMAIL_HOST is not set: e-mail (sign-in links, notices, crowd calls) is only "
                "printed in the log.",
                hint="Set EMAIL_HOST and its companions (docs/deploy.md).",
                id="portaat.W006",
            )
        )
    for name in ("PORTAAT_PSEUDONYM_KEY", "PORTAAT_CREDENTIALS_KEY"):
        if not getattr(settings, name, ""):
            problems.append(
                Warning(
                    f"{name} is not set: it is derived from SECRET_KEY, so changing the "
                    "secret key would also change it.",
                    hint=f"Set {name} once and keep it with the backups (docs/deploy.md).",
                    id="portaat.W007",
                )
            )
    token = getattr(settings, "PORTAAT_METRICS_TOKEN", "")
    if token and len(token) < 24:
        problems.append(
            Warning(
                "PORTAAT_METRICS_TOKEN is shorter than 24 characters.",
                hint="Use a long random token, e.g. from `openssl rand -hex 32`.",
                id="portaat.W008",
            )
        )
    if not getattr(settings, "PORTAAT_REQUIRE_MFA", True):
        problems.append(
            Warning(
                "PORTAAT_REQUIRE_MFA is off: a password alone opens the call pages and the "
                "admin site, which show volunteers' contact details.",
                hint="Remove PORTAAT_REQUIRE_MFA (it is on by default).",
                id="portaat.W009",
            )
        )
    return problems
