"""Prometheus metrics at ``/metrics``: the text exposition format 0.0.4, written by hand.

Several web processes answer behind the load balancer and a scrape reaches any one of them, so
only figures that are the same whichever process answers are exported: counts read from the
database and the length of the shared task queue. Nothing is counted in a process's memory.

The endpoint is off (404) until ``PORTAAT_METRICS_TOKEN`` is set; then it wants
``Authorization: Bearer <token>``. It reads no session, takes no CSRF token and is never cached.
See "Monitoring" in docs/deploy.md for the list of metrics.
"""

from __future__ import annotations

import hmac
import logging
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

import portaat
from portaat.crowds.models import Call, CallStatus, Delivery, DeliveryStatus
from portaat.listening.models import Post, Source
from portaat.models import Heartbeat
from portaat.workshops.models import Workshop

logger = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
TYPES = ("counter", "gauge", "untyped")

Number = int | float


# --- the exposition format ------------------------------------------------------------------


def escape_help(text: str) -> str:
    """HELP text: backslash and line feed are escaped (double quotes are not)."""
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def escape_label_value(value: str) -> str:
    """A label value: backslash, double quote and line feed are escaped."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def format_value(value: Number) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value))


@dataclass
class Family:
    """One metric: its HELP and TYPE lines and its samples (possibly none)."""

    name: str
    kind: str
    help: str
    samples: list[tuple[dict[str, str], Number]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not METRIC_NAME.fullmatch(self.name):
            raise ValueError(f"not a metric name: {self.name!r}")
        if self.kind not in TYPES:
            raise ValueError(f"not a metric type: {self.kind!r}")

    def add(self, value: Number, **labels: str) -> Family:
        for label in labels:
            if not LABEL_NAME.fullmatch(label) or label.startswith("__"):
                raise ValueError(f"not a label name: {label!r}")
        self.samples.append((labels, value))
        return self

    def lines(self) -> Iterable[str]:
        yield f"# HELP {self.name} {escape_help(self.help)}"
        yield f"# TYPE {self.name} {self.kind}"
        for labels, value in self.samples:
            if labels:
                pairs = ",".join(f'{k}="{escape_label_value(str(v))}"' for k, v in labels.items())
                yield f"{self.name}{{{pairs}}} {format_value(value)}"
            else:
                yield f"{self.name} {format_value(value)}"


def render(families: Iterable[Family]) -> str:
    """The exposition text; each metric name once, the last line ending in a line feed."""
    seen: set[str] = set()
    lines: list[str] = []
    for family in families:
        if family.name in seen:
            raise ValueError(f"metric {family.name!r} twice")
        seen.add(family.name)
        lines.extend(family.lines())
    return "\n".join(lines) + "\n"


# --- what is measured -----------------------------------------------------------------------


def gauge(name: str, help: str, value: Number | None = None) -> Family:
    family = Family(name, "gauge", help)
    return family if value is None else family.add(value)


def _worker(now: datetime) -> list[Family]:
    beat = Heartbeat.objects.filter(name="worker").first()
    age = gauge(
        "portaat_worker_heartbeat_age_seconds",
        "Seconds since a background worker last recorded its heartbeat (once a minute while "
        "one runs); no sample until a worker has ever run.",
    )
    if beat is not None:
        age.add(max(0.0, round((now - beat.seen_at).total_seconds(), 3)))
    return [age]


def _crowds(now: datetime) -> list[Family]:
    counts = {str(status): 0 for status in DeliveryStatus.values}
    # order_by(): the model's default ordering would otherwise join the GROUP BY
    for row in Delivery.objects.order_by().values("status").annotate(n=Count("pk")):
        counts[str(row["status"])] = row["n"]
    deliveries = Family(
        "portaat_crowd_deliveries",
        "gauge",
        "Rapid-response outbox rows (one per message, volunteer and channel) by status.",
    )
    for status, n in counts.items():
        deliveries.add(n, status=status)
    open_calls = Call.objects.filter(status=CallStatus.SENT, ends_at__gt=now).count()
    return [
        deliveries,
        gauge(
            "portaat_crowd_calls_open",
            "Rapid-response calls that are sent and have not ended.",
            open_calls,
        ),
    ]


def _listening(now: datetime) -> list[Family]:
    failing = Q(last_error_at__isnull=False) & (
        Q(last_success_at__isnull=True) | Q(last_error_at__gt=F("last_success_at"))
    )
    # the aliases must not be field names (a filter on "paused" would mean the aggregate)
    totals = Source.objects.aggregate(
        n_all=Count("pk"),
        n_paused=Count("pk", filter=Q(paused=True)),
        n_failing=Count("pk", filter=Q(paused=False) & failing),
    )
    sources = Family(
        "portaat_listening_sources",
        "gauge",
        "Listening sources by health: paused; failing (the last collection failed); ok.",
    )
    sources.add(totals["n_all"] - totals["n_paused"] - totals["n_failing"], health="ok")
    sources.add(totals["n_failing"], health="failing")
    sources.add(totals["n_paused"], health="paused")
    return [
        sources,
        gauge("portaat_listening_posts", "Collected public posts stored.", Post.objects.count()),
    ]


def _workshops(now: datetime) -> list[Family]:
    open_now = Workshop.objects.filter(closed_at__isnull=True, expires_at__gt=now).count()
    return [gauge("portaat_workshops_open", "Live stairs workshops open now.", open_now)]


def _users(now: datetime) -> list[Family]:
    users = Family("portaat_users", "gauge", "User accounts, active or deactivated.")
    counts = {True: 0, False: 0}
    for row in get_user_model().objects.order_by().values("is_active").annotate(n=Count("pk")):
        counts[bool(row["is_active"])] = row["n"]
    users.add(counts[True], active="true")
    users.add(counts[False], active="false")
    return [users]


DATABASE_FIGURES: list[Callable[[datetime], list[Family]]] = [
    _worker,
    _crowds,
    _listening,
    _workshops,
    _users,
]


def _database() -> list[Family]:
    """The figures read from the database; raises DatabaseError when it cannot be read."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    now = timezone.now()
    return [family for figures in DATABASE_FIGURES for family in figures(now)]


def _queue() -> list[Family]:
    pending = gauge(
        "portaat_queue_pending_tasks",
        "Background tasks waiting in the shared queue (Huey); no sample when it is unreachable.",
    )
    try:
        from huey.contrib.djhuey import HUEY

        pending.add(int(HUEY.pending_count()))
        reachable = 1
    except Exception as exc:  # Redis down, a locked SQLite queue …: the rest still answers
        logger.warning("metrics: the task queue cannot be read: %s", exc)
        reachable = 0
    return [gauge("portaat_queue_up", "Whether the task queue could be read.", reachable), pending]


def collect() -> tuple[list[Family], bool]:
    """All families, and whether the database could be read."""
    families = [
        gauge("portaat_up", "The web process answered.", 1),
        Family(
            "portaat_build_info", "gauge", "The running Portaat version (the value is always 1)."
        ).add(1, version=portaat.__version__),
    ]
    try:
        from_database = _database()
        database_up = True
    except DatabaseError as exc:
        logger.warning("metrics: the database cannot be read: %s", exc)
        from_database, database_up = [], False
    families.append(
        gauge("portaat_database_up", "Whether the database answered.", int(database_up))
    )
    families.extend(from_database)
    families.extend(_queue())
    return families, database_up


# --- the view -------------------------------------------------------------------------------


def _authorized(request: HttpRequest, token: str) -> bool:
    scheme, _sep, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(credentials.strip().encode(), token.encode())


def _plain(text: str, status: int, content_type: str = CONTENT_TYPE) -> HttpResponse:
    response = HttpResponse(text, status=status, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # no cookies are read: the bearer token is the only credential
def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.PORTAAT_METRICS_TOKEN
    if not token:
        raise Http404("metrics are off")
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if not _authorized(request, token):
        response = _plain("A bearer token is needed.\n", 401, "text/plain; charset=utf-8")
        response["WWW-Authenticate"] = "Bearer"
        return response
    families, database_up = collect()
    return _plain(render(families), 200 if database_up else 503)
