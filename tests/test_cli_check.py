"""`portaat check --deploy`: production settings are checked (HTTPS, HSTS, secure cookies, CSP,
hosts, keys, mail); exit 1 with every problem named, 0 for a complete production setup."""

from __future__ import annotations

import secrets
import subprocess
from pathlib import Path

from tests.cli import clean_env, portaat_command

PRODUCTION = {
    "SITE_URL": "https://portaat.example.fi",
    "ALLOWED_HOSTS": "portaat.example.fi",
    "CSRF_TRUSTED_ORIGINS": "https://portaat.example.fi",
    "SECURE_SSL_REDIRECT": "true",
    "EMAIL_HOST": "smtp.example.fi",
    "PORTAAT_PSEUDONYM_KEY": "pseudonyymit-" + "a" * 20,
    "PORTAAT_CREDENTIALS_KEY": "tunnukset-" + "b" * 20,
}


def _check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = clean_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(50), **env)
    return subprocess.run(
        portaat_command("check", "--deploy"),
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_laptop_setup_is_not_ready_for_production(tmp_path: Path) -> None:
    result = _check(tmp_path)
    assert result.returncode == 1
    for problem in (
        "portaat.W001",  # SITE_URL not https
        "portaat.W006",  # no mail server
        "portaat.W007",  # keys derived from SECRET_KEY
        "security.W004",  # no HSTS
        "security.W008",  # no redirect to https
        "security.W012",  # session cookie not secure
        "security.W016",  # CSRF cookie not secure
    ):
        assert problem in result.stderr, (problem, result.stderr)


def test_a_complete_production_setup_passes(tmp_path: Path) -> None:
    result = _check(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_each_production_setting_is_checked(tmp_path: Path) -> None:
    cases = {
        "portaat.E002": {"ALLOWED_HOSTS": "other.example.fi"},
        "portaat.W003": {"CSRF_TRUSTED_ORIGINS": ""},
        "portaat.W004": {"PORTAAT_CSP": "off"},
        "portaat.W005": {"PORTAAT_CSP": "default-src 'self'; script-src 'self' 'unsafe-eval'"},
        "portaat.W008": {"PORTAAT_METRICS_TOKEN": "a1b2c3d4e5f6g7h8i9j0"},
        "portaat.W009": {"PORTAAT_REQUIRE_MFA": "false"},
        "security.W004": {"SECURE_HSTS_SECONDS": "0"},
        "security.W012": {"SECURE_COOKIES": "false"},
        "security.W018": {"DEBUG": "true"},
    }
    for problem, change in cases.items():
        result = _check(tmp_path, **{**PRODUCTION, **change})
        assert result.returncode == 1, (problem, result.stdout)
        assert problem in result.stderr, (problem, result.stderr)
