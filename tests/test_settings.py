"""The settings' environment helpers fail loudly, with the name and the bad value."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portaat import settings as portaat_settings
from portaat.settings import database_from_url, env, envbool, envint, envlist


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "yes", "on"])
def test_envbool_reads_true(monkeypatch, raw):
    monkeypatch.setenv("PORTAAT_FLAG", raw)
    assert envbool("PORTAAT_FLAG", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off"])
def test_envbool_reads_false(monkeypatch, raw):
    monkeypatch.setenv("PORTAAT_FLAG", raw)
    assert envbool("PORTAAT_FLAG", True) is False


def test_envbool_uses_the_default_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("PORTAAT_FLAG", raising=False)
    assert envbool("PORTAAT_FLAG", True) is True
    monkeypatch.setenv("PORTAAT_FLAG", "")
    assert envbool("PORTAAT_FLAG", False) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "tru", " "])
def test_envbool_rejects_anything_else(monkeypatch, raw):
    monkeypatch.setenv("PORTAAT_FLAG", raw)
    with pytest.raises(ImproperlyConfigured) as exc:
        envbool("PORTAAT_FLAG", False)
    assert str(exc.value) == f"PORTAAT_FLAG must be true or false, not {raw!r}"


def test_envint_reads_a_number(monkeypatch):
    monkeypatch.setenv("PORTAAT_NUMBER", "25")
    assert envint("PORTAAT_NUMBER", 1) == 25
    monkeypatch.delenv("PORTAAT_NUMBER")
    assert envint("PORTAAT_NUMBER", 7) == 7


@pytest.mark.parametrize("raw", ["twenty", "2.5", "1e3", "25 min"])
def test_envint_rejects_anything_else(monkeypatch, raw):
    monkeypatch.setenv("PORTAAT_NUMBER", raw)
    with pytest.raises(ImproperlyConfigured) as exc:
        envint("PORTAAT_NUMBER", 1)
    assert str(exc.value) == f"PORTAAT_NUMBER must be a whole number, not {raw!r}"


def test_envlist_splits_and_trims(monkeypatch):
    monkeypatch.setenv("PORTAAT_HOSTS", " a.example , ,b.example")
    assert envlist("PORTAAT_HOSTS", "") == ["a.example", "b.example"]


def test_a_secret_file_wins_and_is_trimmed(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("from-the-file\n")
    monkeypatch.setenv("PORTAAT_SECRET", "from-the-env")
    monkeypatch.setenv("PORTAAT_SECRET_FILE", str(secret))
    assert env("PORTAAT_SECRET") == "from-the-file"


def test_a_missing_secret_file_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured) as exc:
        env("SECRET_KEY")
    assert str(exc.value).startswith(f"SECRET_KEY_FILE: cannot read {tmp_path / 'missing'}")


def test_a_sqlite_url_relative_to_the_data_dir(tmp_path):
    config = database_from_url("sqlite:///site.db", tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == tmp_path / "site.db"
    assert database_from_url("sqlite:////srv/site.db", tmp_path)["NAME"] == Path("/srv/site.db")


def test_a_postgresql_url(tmp_path):
    config = database_from_url(
        "postgresql://user:p%40ss@db.example:6543/portaat?sslmode=require", tmp_path
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("portaat", "user", "p@ss")
    assert (config["HOST"], config["PORT"]) == ("db.example", "6543")
    assert config["OPTIONS"]["sslmode"] == "require"
    # a connection pool per process (ASGI runs requests in several threads)
    assert config["OPTIONS"]["pool"]["max_size"] == 10
    assert config["CONN_MAX_AGE"] == 0
    assert database_from_url("postgres://db.example/x", tmp_path)["PORT"] == ""


def test_the_pool_size_is_a_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_POOL_SIZE", "0")
    config = database_from_url("postgresql://db.example/x", tmp_path)
    assert "pool" not in config["OPTIONS"] and config["CONN_MAX_AGE"] == 0
    monkeypatch.setenv("DATABASE_POOL_SIZE", "-1")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_POOL_SIZE"):
        database_from_url("postgresql://db.example/x", tmp_path)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://x", "DATABASE_URL must start with sqlite:/// or postgresql://, not 'mysql'"),
        ("localhost/db", "DATABASE_URL must start with sqlite:/// or postgresql://"),
        ("sqlite:///", "names no SQLite file"),
        ("postgresql://db.example/", "names no database"),
        ("postgresql://db.example:port/x", "has a bad port"),
        ("postgresql://db.example:99999/x", "has a bad port"),
    ],
)
def test_a_bad_database_url(tmp_path, url, message):
    with pytest.raises(ImproperlyConfigured) as exc:
        database_from_url(url, tmp_path)
    assert message in str(exc.value)


# --- the module as a whole, loaded afresh under a given environment -------------------------


def _load_settings(monkeypatch, tmp_path, **environ: str):
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "SECRET_KEY_FILE", "DEBUG"):
        monkeypatch.delenv(name, raising=False)
    for name in ("EMAIL_USE_TLS", "EMAIL_USE_SSL", "EMAIL_HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTAAT_DATA_DIR", str(tmp_path))
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location(
        "portaat_settings_probe", portaat_settings.__file__
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_defaults_need_no_configuration(monkeypatch, tmp_path):
    module = _load_settings(monkeypatch, tmp_path)
    assert module.DEBUG is False
    assert module.DATABASES["default"]["NAME"] == tmp_path / "portaat.sqlite3"
    assert module.HUEY["huey_class"] == "huey.SqliteHuey"
    assert module.HUEY["filename"] == str(tmp_path / "huey.sqlite3")
    # a generated secret key is kept in the data directory and reused
    key = (tmp_path / "secret_key").read_text()
    assert key == module.SECRET_KEY
    assert len(key) >= 50
    assert key == _load_settings(monkeypatch, tmp_path).SECRET_KEY


def test_secret_key_file_is_read(monkeypatch, tmp_path):
    secret = tmp_path / "mounted-secret"
    secret.write_text("a-secret-from-a-file-0123456789\n")
    module = _load_settings(monkeypatch, tmp_path, SECRET_KEY_FILE=str(secret))
    assert module.SECRET_KEY == "a-secret-from-a-file-0123456789"
    assert not (tmp_path / "secret_key").exists()


def test_an_unreadable_secret_key_file_fails_loudly(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FILE: cannot read"):
        _load_settings(monkeypatch, tmp_path, SECRET_KEY_FILE=str(tmp_path / "nope"))


def test_redis_url_switches_huey_to_redis(monkeypatch, tmp_path):
    module = _load_settings(monkeypatch, tmp_path, REDIS_URL="redis://cache.example:6379/2")
    assert module.HUEY["huey_class"] == "huey.RedisHuey"
    assert module.HUEY["url"] == "redis://cache.example:6379/2"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"REDIS_URL": "http://cache.example"}, "REDIS_URL must start with redis://"),
        ({"DEBUG": "sometimes"}, "DEBUG must be true or false"),
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT must be a whole number"),
        ({"EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "cannot both be true"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL must start with"),
    ],
)
def test_bad_environment_fails_loudly(monkeypatch, tmp_path, environ, message):
    with pytest.raises(ImproperlyConfigured) as exc:
        _load_settings(monkeypatch, tmp_path, **environ)
    assert message in str(exc.value)


_ATTACHMENT_SETTINGS = (
    "PORTAAT_UPLOADS_DIR",
    "PORTAAT_ATTACHMENT_MAX_MB",
    "PORTAAT_ATTACHMENTS_PER_EXPERIMENT",
    "PORTAAT_ATTACHMENT_SCAN_COMMAND",
)


def test_uploads_live_privately_in_the_data_directory(monkeypatch, tmp_path):
    for name in _ATTACHMENT_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    module = _load_settings(monkeypatch, tmp_path)
    default = module.STORAGES["default"]
    assert default["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert default["OPTIONS"]["location"] == tmp_path / "uploads"
    # the static files keep Django's own storage; no URL serves the uploads
    assert module.STORAGES["staticfiles"] == {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    assert not hasattr(module, "MEDIA_URL")
    assert module.PORTAAT_ATTACHMENT_MAX_MB == 20
    assert module.PORTAAT_ATTACHMENTS_PER_EXPERIMENT == 20
    assert module.PORTAAT_ATTACHMENT_SCAN_COMMAND == ""


def test_the_uploads_directory_and_limits_are_configurable(monkeypatch, tmp_path):
    module = _load_settings(
        monkeypatch,
        tmp_path,
        PORTAAT_UPLOADS_DIR=str(tmp_path / "elsewhere"),
        PORTAAT_ATTACHMENT_MAX_MB="5",
        PORTAAT_ATTACHMENTS_PER_EXPERIMENT="3",
        PORTAAT_ATTACHMENT_SCAN_COMMAND=" clamdscan --no-summary --fdpass ",
    )
    assert module.STORAGES["default"]["OPTIONS"]["location"] == tmp_path / "elsewhere"
    assert module.PORTAAT_ATTACHMENT_MAX_MB == 5
    assert module.PORTAAT_ATTACHMENTS_PER_EXPERIMENT == 3
    assert module.PORTAAT_ATTACHMENT_SCAN_COMMAND == "clamdscan --no-summary --fdpass"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"PORTAAT_ATTACHMENT_MAX_MB": "twenty"}, "PORTAAT_ATTACHMENT_MAX_MB must be a whole"),
        ({"PORTAAT_ATTACHMENT_MAX_MB": "0"}, "PORTAAT_ATTACHMENT_MAX_MB must be at least 1"),
        (
            {"PORTAAT_ATTACHMENTS_PER_EXPERIMENT": "-1"},
            "PORTAAT_ATTACHMENTS_PER_EXPERIMENT must be at least 1",
        ),
        (
            {"PORTAAT_ATTACHMENT_SCAN_COMMAND": "clamdscan 'unclosed"},
            "PORTAAT_ATTACHMENT_SCAN_COMMAND cannot be parsed",
        ),
    ],
)
def test_bad_attachment_settings_fail_loudly(monkeypatch, tmp_path, environ, message):
    with pytest.raises(ImproperlyConfigured) as exc:
        _load_settings(monkeypatch, tmp_path, **environ)
    assert message in str(exc.value)
