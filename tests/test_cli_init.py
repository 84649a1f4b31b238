"""``portaat init`` run in-process against the test database."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from portaat.cli import main
from portaat.ladders.models import Ladder, Stage, Step
from tests.helpers import totp_code

pytestmark = pytest.mark.django_db

PASSWORD_LINE = re.compile(r"its password \(shown only now\): (\S+)")


@pytest.fixture(autouse=True)
def _no_admin_env(monkeypatch):
    for name in ("PORTAAT_ADMIN_PASSWORD", "PORTAAT_ADMIN_EMAIL"):
        monkeypatch.delenv(name, raising=False)


def _state() -> dict[str, object]:
    return {
        "ladders": list(Ladder.objects.order_by("slug").values_list("slug", "updated_at")),
        "steps": list(Step.objects.order_by("pk").values_list("pk", "title_fi", "title_sv")),
        "stages": Stage.objects.count(),
        "users": list(get_user_model().objects.values_list("pk", "password", "last_login")),
        "groups": sorted(Group.objects.values_list("name", flat=True)),
    }


def _login(client, email: str, password: str) -> bool:
    client.post("/accounts/login/", {"login": email, "password": password})
    return "_auth_user_id" in client.session


def test_it_sets_everything_up(capsys):
    assert main(["init", "--admin-email", "lead@city.example"]) == 0
    out = capsys.readouterr().out
    assert "database schema is up to date" in out
    assert "built-in data: created 5 ladders, created 5 stages, created 40 steps" in out
    assert "created the first coordinator account: lead@city.example" in out
    assert Ladder.objects.filter(is_builtin=True).count() == 5
    assert sorted(Group.objects.values_list("name", flat=True)) == [
        "activist",
        "coordinator",
        "official",
        "researcher",
    ]
    admin = get_user_model().objects.get(email="lead@city.example")
    assert admin.is_superuser and admin.is_staff
    assert admin.groups.filter(name="coordinator").exists()


def test_the_second_run_changes_nothing(capsys):
    assert main(["init"]) == 0
    before = _state()
    capsys.readouterr()
    assert main(["init"]) == 0
    out = capsys.readouterr().out
    assert "built-in ladders and stages are up to date" in out
    assert "a first coordinator account exists already" in out
    assert "created" not in out
    assert "password" not in out
    assert _state() == before


def test_it_upgrades_an_edited_builtin_text(capsys):
    main(["init", "--no-admin"])
    Step.objects.filter(ladder__slug="city-planning", level=5).update(title_sv="Fel")
    capsys.readouterr()
    main(["init", "--no-admin"])
    assert "built-in data: updated 1 steps" in capsys.readouterr().out
    step = Step.objects.get(ladder__slug="city-planning", level=5)
    assert step.title_sv == "Stödservice för alternativ stadsplanering"


def test_the_admin_password_comes_from_the_environment(client, capsys, monkeypatch):
    monkeypatch.setenv("PORTAAT_ADMIN_PASSWORD", "a-long-password-from-env")
    monkeypatch.setenv("PORTAAT_ADMIN_EMAIL", "env@city.example")
    assert main(["init"]) == 0
    out = capsys.readouterr().out
    assert "created the first coordinator account: env@city.example" in out
    assert "its password is the one in PORTAAT_ADMIN_PASSWORD" in out
    assert "a-long-password-from-env" not in out
    assert _login(client, "env@city.example", "a-long-password-from-env")


def test_a_wrong_password_does_not_log_in(client, monkeypatch):
    monkeypatch.setenv("PORTAAT_ADMIN_PASSWORD", "a-long-password-from-env")
    main(["init"])
    assert not _login(client, "admin@example.org", "something-else")


def test_a_generated_password_is_printed_once(client, capsys):
    assert main(["init"]) == 0
    out = capsys.readouterr().out
    found = PASSWORD_LINE.findall(out)
    assert len(found) == 1
    password = found[0]
    assert len(password) >= 12
    assert _login(client, "admin@example.org", password)
    main(["init"])
    assert password not in capsys.readouterr().out


def test_the_coordinator_can_open_the_admin_and_copy_ladders(client, capsys, monkeypatch):
    monkeypatch.setenv("PORTAAT_ADMIN_PASSWORD", "a-long-password-from-env")
    main(["init"])
    assert _login(client, "admin@example.org", "a-long-password-from-env")
    # the admin site (it shows volunteers' contact details) asks for two-step sign-in first
    response = client.get("/admin/")
    assert response["Location"] == "/two-step/?next=%2Fadmin%2F"
    response = client.get("/accounts/2fa/totp/activate/")
    client.post(response["Location"], {"password": "a-long-password-from-env"})
    secret = client.get("/accounts/2fa/totp/activate/").context["form"].secret
    client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert client.get("/admin/").status_code == 200
    assert client.get("/ladders/generic/copy/").status_code == 200


def test_no_admin_creates_no_account(capsys):
    assert main(["init", "--no-admin"]) == 0
    assert "coordinator account" not in capsys.readouterr().out
    assert not get_user_model().objects.exists()


def test_a_bad_verbosity_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["init", "-v", "7"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
