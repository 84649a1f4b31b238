"""Portaat settings: one module, configured from the environment.

Every value read from the environment goes through a small helper that raises
``ImproperlyConfigured`` on a bad value, so a typo fails at start-up with one clear line
instead of surfacing later as odd behaviour. Secrets may also come from ``NAME_FILE``.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    """A string setting; ``NAME_FILE`` (path to a file holding the value) wins if set."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_path}: {exc}") from exc
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def database_from_url(url: str, data_dir: Path) -> dict[str, object]:
    """Translate a ``DATABASE_URL`` into Django's DATABASES entry.

    Supported: ``sqlite:///relative/or/absolute.db`` and ``postgres[ql]://user:pw@host:port/db``.
    """
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    if parts.scheme == "sqlite":
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if not path:
            raise ImproperlyConfigured(f"DATABASE_URL {url!r} names no SQLite file")
        return _sqlite(Path(path) if Path(path).is_absolute() else data_dir / path)
    if parts.scheme in ("postgres", "postgresql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(f"DATABASE_URL {url!r} names no database")
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"DATABASE_URL {url!r} has a bad port") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            # Under ASGI each request may run in its own thread, so persistent per-thread
            # connections would pile up; a pool per process hands connections out and back.
            **_postgres_connections(options),
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with sqlite:/// or postgresql://, not {parts.scheme or url!r}"
    )


def _postgres_connections(options: dict[str, Any]) -> dict[str, Any]:
    size = envint("DATABASE_POOL_SIZE", 10)
    if size < 0:
        raise ImproperlyConfigured(f"DATABASE_POOL_SIZE must be 0 or more, not {size}")
    if size == 0:  # an external pooler (PgBouncer) or none: one connection per request
        return {"CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False, "OPTIONS": options}
    return {
        "CONN_MAX_AGE": 0,
        "OPTIONS": {**options, "pool": {"min_size": 1, "max_size": size, "timeout": 10}},
    }


def _sqlite(path: Path) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # WAL lets readers run while a writer writes; IMMEDIATE transactions take the write
        # lock up front so two writers wait on busy_timeout instead of failing mid-transaction.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": envint("PORTAAT_SQLITE_TIMEOUT", 20),
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
        "TEST": {"NAME": None},
    }


DATA_DIR = Path(env("PORTAAT_DATA_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = envbool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    # The embedded default keeps a generated key in the data directory, so a laptop install
    # needs no configuration and sessions survive restarts. Production sets SECRET_KEY.
    _key_file = DATA_DIR / "secret_key"
    try:
        SECRET_KEY = _key_file.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        SECRET_KEY = secrets.token_urlsafe(50)
        try:
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            _key_file.write_text(SECRET_KEY, encoding="utf-8")
            _key_file.chmod(0o600)
        except OSError:
            pass  # `portaat` checks the data directory itself and reports it in one line
    except OSError as exc:
        raise ImproperlyConfigured(f"cannot read {_key_file}: {exc}") from exc

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # modeltranslation must come before admin so the admin shows the language fields
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "portaat",
    "portaat.ladders",
    "portaat.registry",
    "portaat.cases",
    "portaat.repertoire",
    "portaat.workshops",
    "portaat.listening",
    "portaat.planning",
    "portaat.crowds",
    "portaat.thanks",
    "portaat.somehallinto",
    "portaat.events",
    "portaat.figures",
    "portaat.initiatives",
    "portaat.research",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portaat.security.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "portaat.urls"
ASGI_APPLICATION = "portaat.asgi.application"
WSGI_APPLICATION = "portaat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portaat.context_processors.portaat",
            ],
        },
    }
]

DATABASE_URL = env("DATABASE_URL")
DATABASES = {
    "default": database_from_url(DATABASE_URL, DATA_DIR)
    if DATABASE_URL
    else _sqlite(DATA_DIR / "portaat.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL must start with redis://, not {REDIS_URL!r}")

if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env("HUEY_NAME", "portaat"),
        "url": REDIS_URL,
        "immediate": False,
        # periodic tasks' crontabs are in local time (Django sets TZ to TIME_ZONE)
        "utc": False,
        "consumer": {"workers": envint("PORTAAT_WORKER_THREADS", 2), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "portaat",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": False,
        # periodic tasks' crontabs are in local time (Django sets TZ to TIME_ZONE)
        "utc": False,
        "consumer": {"workers": envint("PORTAAT_WORKER_THREADS", 2), "worker_type": "thread"},
    }

# The cache holds rate-limit counters (login attempts, public forms). With REDIS_URL every web
# process shares them; without it each process counts alone (fine for one process: `make run`).
# portaat.cache.SharedRedisCache keeps serving pages when Redis is down and clears only its keys.
CACHES = {
    "default": (
        {
            "BACKEND": "portaat.cache.SharedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("PORTAAT_EVENTS_PREFIX", "portaat") + ":cache",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_ADAPTER = "portaat.accounts.AccountAdapter"
PORTAAT_OPEN_SIGNUP = envbool("PORTAAT_OPEN_SIGNUP", False)
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key", "signup": "20/m/ip,60/h/ip"}
# Two-step sign-in (an authenticator app's one-time codes, with recovery codes for a lost phone).
# Anyone may turn it on under /accounts/2fa/; those who run crowd calls must (below). Wrong codes
# count against ACCOUNT_RATE_LIMITS["login_failed"] per account, as wrong passwords do.
MFA_ADAPTER = "portaat.accounts.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_FORMS = {"activate_totp": "portaat.accounts.ActivateTOTPForm"}
MFA_TOTP_ISSUER = env("PORTAAT_MFA_ISSUER", "Portaat")

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "fi"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fi", "sv", "en")
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Serving straight from the app folders keeps `make run` free of a collectstatic step;
# production runs `portaat manage collectstatic` and may serve STATIC_ROOT from the proxy.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded files (experiment attachments) live in a private directory that no URL serves: they
# are read only by access-checked views (docs/decisions/0004-attachments-in-private-storage.md).
# A deployment may point "default" at object storage (django-storages) instead. "staticfiles"
# is Django's default, spelled out because setting STORAGES replaces the whole mapping.
PORTAAT_UPLOADS_DIR = Path(env("PORTAAT_UPLOADS_DIR", str(DATA_DIR / "uploads"))).resolve()
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": PORTAAT_UPLOADS_DIR,
            "file_permissions_mode": 0o640,
            "directory_permissions_mode": 0o750,
        },
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "portaat@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if env("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)

SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG and SITE_URL.startswith("https"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# HTTPS: HSTS by default when the site is served over https (a year; subdomains only by choice,
# as a city's other services may share the domain). Redirecting http → https is left to the
# proxy unless SECURE_SSL_REDIRECT is set; /health/ and /metrics stay reachable over http.
SECURE_HSTS_SECONDS = envint(
    "SECURE_HSTS_SECONDS", 31_536_000 if not DEBUG and SITE_URL.startswith("https") else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^metrics$"]
# HSTS for subdomains and the preload list are the city's decision (its other services may
# share the domain), so `portaat check --deploy` does not insist on them.
SILENCED_SYSTEM_CHECKS = envlist("SILENCED_SYSTEM_CHECKS", "security.W005,security.W021")

# Maps: a tile URL template such as https://tile.openstreetmap.org/{z}/{x}/{y}.png. Empty by
# default, so nothing is fetched from a third party unless the city chooses a tile service; the
# maps then show the points on a plain background with a table beside them.
PORTAAT_MAP_TILES = env("PORTAAT_MAP_TILES")
PORTAAT_MAP_ATTRIBUTION = env("PORTAAT_MAP_ATTRIBUTION")


def _tile_origin(template: str) -> str:
    parts = urlsplit(template.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# Content-Security-Policy of every page (portaat/security.py): scripts and connections only
# from this site (no inline scripts anywhere), images also from the map's tile server. Inline
# style attributes are allowed (bar widths, Leaflet). PORTAAT_CSP replaces it; "off" removes it.
PORTAAT_CSP = env(
    "PORTAAT_CSP",
    "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob: {_tile_origin(PORTAAT_MAP_TILES)}".strip(),
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    ),
)
# Cases not assessed for this many months are flagged on the unit dashboard.
PORTAAT_REASSESS_MONTHS = envint("PORTAAT_REASSESS_MONTHS", 12)
# Experiment attachments (docs/decisions/0004-attachments-in-private-storage.md): the largest
# file, how many files one experiment may have, and an optional virus scanner that gets the
# uploaded file's path as its last argument (exit status 0 = clean; anything else refuses it).
PORTAAT_ATTACHMENT_MAX_MB = envint("PORTAAT_ATTACHMENT_MAX_MB", 20)
PORTAAT_ATTACHMENTS_PER_EXPERIMENT = envint("PORTAAT_ATTACHMENTS_PER_EXPERIMENT", 20)
PORTAAT_ATTACHMENT_SCAN_COMMAND = env("PORTAAT_ATTACHMENT_SCAN_COMMAND").strip()
if PORTAAT_ATTACHMENT_MAX_MB < 1:
    raise ImproperlyConfigured(
        f"PORTAAT_ATTACHMENT_MAX_MB must be at least 1, not {PORTAAT_ATTACHMENT_MAX_MB}"
    )
if PORTAAT_ATTACHMENTS_PER_EXPERIMENT < 1:
    raise ImproperlyConfigured(
        "PORTAAT_ATTACHMENTS_PER_EXPERIMENT must be at least 1, "
        f"not {PORTAAT_ATTACHMENTS_PER_EXPERIMENT}"
    )
try:
    shlex.split(PORTAAT_ATTACHMENT_SCAN_COMMAND)
except ValueError as exc:
    raise ImproperlyConfigured(f"PORTAAT_ATTACHMENT_SCAN_COMMAND cannot be parsed: {exc}") from None

REST_FRAMEWORK = {
    # drf-spectacular's schema with the error answers of each operation (portaat/api/errors.py)
    "DEFAULT_SCHEMA_CLASS": "portaat.api.errors.ApiSchema",
    "DEFAULT_PERMISSION_CLASSES": ["portaat.access.ApiReadPublic"],
    # integrations send "Authorization: Token <key>" (a key per account, made on /api-keys/ or
    # with `portaat apikey create EMAIL NAME`; only its digest is stored: portaat/api/keys.py);
    # the same permissions as the pages apply
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "portaat.api.keys.ApiKeyAuthentication",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "portaat.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "portaat.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Portaat API",
    "DESCRIPTION": "Hybrid governance: ladders, stages, the fourth-sector registry and cases.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    # choice sets that share a field name get their own names (not "Kind4d7Enum")
    "ENUM_NAME_OVERRIDES": {
        "InteractionKindEnum": "portaat.cases.models.InteractionKind",
        "PerspectiveEnum": "portaat.cases.models.Perspective",
        "ActivismStatusEnum": "portaat.registry.models.ActivismStatus",
        "PlanStatusEnum": "portaat.repertoire.models.PlanStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # secrets in addresses (volunteers' pages, answer links, figures links) never reach a log
    "filters": {"redact_secrets": {"()": "portaat.logs.RedactSecrets"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # the Huey consumer adds its own handler; propagating would print every line twice
    "loggers": {
        "huey": {"level": "INFO", "propagate": False},
        # "Not Found: /crowds/v/<secret>/": filtered where it is logged, so every handler
        # (also a deployment's own) gets the redacted record
        "django.request": {"filters": ["redact_secrets"]},
        "django.server": {"filters": ["redact_secrets"]},
        # the connection pool logs each failed reconnection attempt; the request or command
        # that needed the connection reports the failure once, in its own words
        "psycopg.pool": {"level": "ERROR"},
        # httpx logs each request's URL at INFO: Telegram's carries the bot token, and push
        # endpoints are personal to a volunteer's browser
        "httpx": {"level": "WARNING"},
    },
}

# Live stairs workshops
PORTAAT_WORKSHOP_HOURS = envint("PORTAAT_WORKSHOP_HOURS", 4)
PORTAAT_WORKSHOP_MAX_PARTICIPANTS = envint("PORTAAT_WORKSHOP_MAX_PARTICIPANTS", 2000)
PORTAAT_WORKSHOP_ANSWERS_PER_MINUTE = envint("PORTAAT_WORKSHOP_ANSWERS_PER_MINUTE", 30)
# participants' names and comments are deleted this many days after a workshop ends (0: kept)
PORTAAT_WORKSHOP_RETENTION_DAYS = envint("PORTAAT_WORKSHOP_RETENTION_DAYS", 90)
# the prefix of the Redis pub/sub channels (several sites may share one Redis)
PORTAAT_EVENTS_PREFIX = env("PORTAAT_EVENTS_PREFIX", "portaat")

# Thanks (kiitos): how many thanks one IP address may send per hour through the public form
PORTAAT_THANKS_PER_HOUR = envint("PORTAAT_THANKS_PER_HOUR", 5)

# Prometheus metrics (portaat/metrics.py): /metrics answers 404 while this is empty; otherwise a
# scrape must send "Authorization: Bearer <token>" (16+ characters of A-Z a-z 0-9 - . _ ~ + / =)
PORTAAT_METRICS_TOKEN = env("PORTAAT_METRICS_TOKEN", "")
if PORTAAT_METRICS_TOKEN and (
    len(PORTAAT_METRICS_TOKEN) < 16
    or not PORTAAT_METRICS_TOKEN.isascii()
    or not all(c.isalnum() or c in "-._~+/=" for c in PORTAAT_METRICS_TOKEN)
):
    raise ImproperlyConfigured(
        "PORTAAT_METRICS_TOKEN must be at least 16 characters of A-Z a-z 0-9 - . _ ~ + / ="
    )

# Public writes without an account (portaat/ratelimit.py): "count/[n]unit", unit s, m, h or d.
# PORTAAT_RATE_LIMITS="volunteer-signup=40/10m,volunteer-response=10/m" overrides some of them.
PORTAAT_RATE_LIMITS = {
    "volunteer-signup": "20/10m",  # sign-ups per client address (generous: mobile CGNAT)
    "volunteer-page": "30/10m",  # changes, exports and erasures per volunteer's own page
    "volunteer-response": "20/10m",  # answers per personal answer link
    "push-subscribe": "20/10m",  # Web Push (un)subscriptions per volunteer's page
    "figures-link": "20/h",  # submissions per activism's personal figures link
}
for _item in envlist("PORTAAT_RATE_LIMITS", ""):
    _scope, _sep, _rate = _item.partition("=")
    if _scope.strip() not in PORTAAT_RATE_LIMITS or not re.fullmatch(
        r"[1-9]\d*/\d*[smhd]", _rate.strip()
    ):
        raise ImproperlyConfigured(
            f"PORTAAT_RATE_LIMITS: {_item!r} is not scope=rate with a scope of "
            f"{', '.join(PORTAAT_RATE_LIMITS)} and a rate like 20/10m"
        )
    PORTAAT_RATE_LIMITS[_scope.strip()] = _rate.strip()

# Events to go to (portaat/events/): Helsinki's Linked Events API
PORTAAT_LINKED_EVENTS_URL = env("PORTAAT_LINKED_EVENTS_URL", "https://api.hel.fi/linkedevents/v1/")
PORTAAT_LINKED_EVENTS_DIVISIONS = envlist("PORTAAT_LINKED_EVENTS_DIVISIONS", "")
PORTAAT_LINKED_EVENTS_PUBLISHERS = envlist("PORTAAT_LINKED_EVENTS_PUBLISHERS", "")
PORTAAT_LINKED_EVENTS_KEYWORDS = envlist("PORTAAT_LINKED_EVENTS_KEYWORDS", "")
PORTAAT_LINKED_EVENTS_DAYS = envint("PORTAAT_LINKED_EVENTS_DAYS", 60)
PORTAAT_LINKED_EVENTS_ALLOW_PRIVATE_HOSTS = envbool(
    "PORTAAT_LINKED_EVENTS_ALLOW_PRIVATE_HOSTS", False
)

# Listening (collected public posts)
# keys for the authors' pseudonyms and for sources' credentials; derived from SECRET_KEY when
# unset. Changing the pseudonym key makes new pseudonyms unlinkable to old ones.
PORTAAT_PSEUDONYM_KEY = env("PORTAAT_PSEUDONYM_KEY", "")
PORTAAT_CREDENTIALS_KEY = env("PORTAAT_CREDENTIALS_KEY", "")
# post texts are removed this many days after posting (0: kept); times and counts stay
PORTAAT_LISTENING_RETENTION_DAYS = envint("PORTAAT_LISTENING_RETENTION_DAYS", 365)
# an account becomes a named suggestion once it recurs in this many collected posts
PORTAAT_DISCOVERY_MIN_POSTS = envint("PORTAAT_DISCOVERY_MIN_POSTS", 5)
# collections may fetch from private addresses (test replays, an intranet forum)
PORTAAT_LISTENING_ALLOW_PRIVATE_HOSTS = envbool("PORTAAT_LISTENING_ALLOW_PRIVATE_HOSTS", False)
# a collection holding a source's lock longer than this is taken to have died
PORTAAT_LISTENING_RUN_TIMEOUT_MINUTES = envint("PORTAAT_LISTENING_RUN_TIMEOUT_MINUTES", 30)
# the largest file the import page accepts (the command line has no limit)
PORTAAT_IMPORT_MAX_MB = envint("PORTAAT_IMPORT_MAX_MB", 100)
PORTAAT_JETSTREAM_URL = env("PORTAAT_JETSTREAM_URL", "wss://jetstream2.us-east.bsky.network")

# Planning analytics (portaat/planning/, over collected posts)
# spikes: the last PORTAAT_SPIKE_RECENT_HOURS against the PORTAAT_SPIKE_BASELINE_DAYS before it;
# a key needs PORTAAT_SPIKE_MIN_COUNT recent mentions and a Poisson p-value of at most
# PORTAAT_SPIKE_ALPHA (strict: hundreds of places, themes and keywords are tested every hour)
PORTAAT_SPIKE_RECENT_HOURS = envint("PORTAAT_SPIKE_RECENT_HOURS", 24)
PORTAAT_SPIKE_BASELINE_DAYS = envint("PORTAAT_SPIKE_BASELINE_DAYS", 14)
PORTAAT_SPIKE_MIN_COUNT = envint("PORTAAT_SPIKE_MIN_COUNT", 5)
try:
    PORTAAT_SPIKE_ALPHA = float(env("PORTAAT_SPIKE_ALPHA", "0.001"))
except ValueError:
    raise ImproperlyConfigured("PORTAAT_SPIKE_ALPHA must be a number such as 0.001") from None
if PORTAAT_SPIKE_RECENT_HOURS < 1 or PORTAAT_SPIKE_BASELINE_DAYS < 1:
    raise ImproperlyConfigured(
        "PORTAAT_SPIKE_RECENT_HOURS and PORTAAT_SPIKE_BASELINE_DAYS must be at least 1"
    )
if not 0 < PORTAAT_SPIKE_ALPHA < 1:
    raise ImproperlyConfigured("PORTAAT_SPIKE_ALPHA must be between 0 and 1")
# posts analysed per background batch, and the most posts one topic analysis reads
PORTAAT_ANALYSIS_BATCH = envint("PORTAAT_ANALYSIS_BATCH", 500)
PORTAAT_TOPIC_RUN_MAX_POSTS = envint("PORTAAT_TOPIC_RUN_MAX_POSTS", 20000)

# Rapid-response crowds (portaat/crowds/, docs/decisions/0006-crowd-outbox.md)
# volunteers who have not confirmed their details for this many months get no calls
PORTAAT_CROWDS_RECONFIRM_MONTHS = envint("PORTAAT_CROWDS_RECONFIRM_MONTHS", 12)
# contact details of volunteers who left are wiped this many days after they left (their
# answers to past calls stay, without anything that identifies them)
PORTAAT_CROWDS_LEFT_RETENTION_DAYS = envint("PORTAAT_CROWDS_LEFT_RETENTION_DAYS", 30)
# a worker's claim on outbox rows; rows of a worker that died are taken again after this
PORTAAT_CROWDS_LEASE_SECONDS = envint("PORTAAT_CROWDS_LEASE_SECONDS", 300)
PORTAAT_CROWDS_FROM_EMAIL = env("PORTAAT_CROWDS_FROM_EMAIL", "")
# the most messages per second one worker process sends on a channel
PORTAAT_CROWDS_EMAIL_RATE = envint("PORTAAT_CROWDS_EMAIL_RATE", 200)
# those who run calls and the admin site's staff reach volunteers' phones and addresses: their
# pages need a session signed in with a second step (an authenticator app's code). Off only for
# a local trial.
PORTAAT_REQUIRE_MFA = envbool("PORTAAT_REQUIRE_MFA", True)
if PORTAAT_CROWDS_RECONFIRM_MONTHS < 1:
    raise ImproperlyConfigured("PORTAAT_CROWDS_RECONFIRM_MONTHS must be at least 1")
if PORTAAT_CROWDS_LEFT_RETENTION_DAYS < 0:
    raise ImproperlyConfigured("PORTAAT_CROWDS_LEFT_RETENTION_DAYS must not be negative")
if PORTAAT_CROWDS_LEASE_SECONDS < 30:
    raise ImproperlyConfigured("PORTAAT_CROWDS_LEASE_SECONDS must be at least 30")

# SMS gateway (portaat/crowds/transports/sms_http/config.py documents each)
PORTAAT_SMS_PROVIDER = env("PORTAAT_SMS_PROVIDER")  # "", "46elks" or "generic"
PORTAAT_SMS_URL = env("PORTAAT_SMS_URL")  # 46elks: API base; generic: the send URL
PORTAAT_SMS_USERNAME = env("PORTAAT_SMS_USERNAME")
PORTAAT_SMS_PASSWORD = env("PORTAAT_SMS_PASSWORD")
PORTAAT_SMS_TOKEN = env("PORTAAT_SMS_TOKEN")  # generic: bearer token
PORTAAT_SMS_SENDER = env("PORTAAT_SMS_SENDER")  # E.164 (needed for replies) or ≤ 11-char name
PORTAAT_SMS_WEBHOOK_SECRET = env("PORTAAT_SMS_WEBHOOK_SECRET")  # ≥ 16 chars of A-Za-z0-9_-
PORTAAT_SMS_RATE = envint("PORTAAT_SMS_RATE", 5)
PORTAAT_SMS_TIMEOUT = envint("PORTAAT_SMS_TIMEOUT", 15)
PORTAAT_SMS_MAX_SEGMENTS = envint("PORTAAT_SMS_MAX_SEGMENTS", 4)
PORTAAT_SMS_REPLIES_PER_HOUR = envint("PORTAAT_SMS_REPLIES_PER_HOUR", 10)
PORTAAT_SMS_REGION = env("PORTAAT_SMS_REGION", "FI")
PORTAAT_SMS_DONTLOG = envbool("PORTAAT_SMS_DONTLOG", True)
PORTAAT_SMS_GENERIC_BODY = env("PORTAAT_SMS_GENERIC_BODY", "json")
PORTAAT_SMS_GENERIC_FIELDS = env("PORTAAT_SMS_GENERIC_FIELDS")
PORTAAT_SMS_GENERIC_EXTRA = env("PORTAAT_SMS_GENERIC_EXTRA")
PORTAAT_SMS_GENERIC_ID_PATH = env("PORTAAT_SMS_GENERIC_ID_PATH", "id")
PORTAAT_SMS_GENERIC_INCOMING_FIELDS = env("PORTAAT_SMS_GENERIC_INCOMING_FIELDS")
PORTAAT_SMS_GENERIC_RECEIPT_FIELDS = env("PORTAAT_SMS_GENERIC_RECEIPT_FIELDS")
PORTAAT_SMS_GENERIC_DELIVERED = env("PORTAAT_SMS_GENERIC_DELIVERED", "delivered")
PORTAAT_SMS_GENERIC_FAILED = env(
    "PORTAAT_SMS_GENERIC_FAILED", "failed,undelivered,rejected,expired"
)
if PORTAAT_SMS_PROVIDER not in ("", "46elks", "generic"):
    raise ImproperlyConfigured(
        f"PORTAAT_SMS_PROVIDER must be 46elks, generic or empty, not {PORTAAT_SMS_PROVIDER!r}"
    )

# Web Push (portaat/crowds/transports/webpush/config.py documents each)
PORTAAT_VAPID_PRIVATE_KEY = env("PORTAAT_VAPID_PRIVATE_KEY")  # `portaat manage crowds_vapid_keys`
PORTAAT_VAPID_SUBJECT = env("PORTAAT_VAPID_SUBJECT")  # mailto: or https: contact for push services
PORTAAT_PUSH_TTL = envint("PORTAAT_PUSH_TTL", 3600)
PORTAAT_PUSH_RATE = envint("PORTAAT_PUSH_RATE", 50)
PORTAAT_PUSH_TIMEOUT = envint("PORTAAT_PUSH_TIMEOUT", 15)
PORTAAT_PUSH_ALLOW_HTTP = envbool("PORTAAT_PUSH_ALLOW_HTTP", False)
PORTAAT_PUSH_ALLOW_PRIVATE_HOSTS = envbool("PORTAAT_PUSH_ALLOW_PRIVATE_HOSTS", False)
# Telegram bot (portaat/crowds/transports/telegram/config.py documents each)
PORTAAT_TELEGRAM_BOT_TOKEN = env("PORTAAT_TELEGRAM_BOT_TOKEN")
PORTAAT_TELEGRAM_BOT_USERNAME = env("PORTAAT_TELEGRAM_BOT_USERNAME")
PORTAAT_TELEGRAM_WEBHOOK_SECRET = env("PORTAAT_TELEGRAM_WEBHOOK_SECRET")  # 16–256 of A-Za-z0-9_-
PORTAAT_TELEGRAM_API_URL = env("PORTAAT_TELEGRAM_API_URL", "https://api.telegram.org")
PORTAAT_TELEGRAM_RATE = envint("PORTAAT_TELEGRAM_RATE", 25)
PORTAAT_TELEGRAM_TIMEOUT = envint("PORTAAT_TELEGRAM_TIMEOUT", 15)
