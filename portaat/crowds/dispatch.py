"""The outbox workers: claim delivery rows, hand each message to its transport, record it.

The protocol (docs/decisions/0006-crowd-outbox.md):

1. **Claim** up to ``BATCH`` due rows of one channel in one short transaction: ``pending``
   (and ``claimed`` rows whose lease ran out: their worker died before handing them over)
   become ``claimed`` with a lease. PostgreSQL takes them ``FOR UPDATE SKIP LOCKED`` so
   workers never wait for or take each other's rows; SQLite serialises writers anyway.
2. **Hand over**, one row at a time, each state change committed before the next step:
   transports with an atomic hand-over (SMTP) record ``sent`` at the point of no return;
   HTTP transports get ``sending`` recorded before the request and ``sent`` after it.
3. **Recover**: a ``sending`` row whose lease ran out may or may not have reached the
   provider. It becomes ``uncertain`` (shown to the official; escalation to the next channel
   covers the volunteer) — re-sending it could send twice, which is the failure we avoid —
   unless the transport's provider drops duplicates by our reference.
"""

from __future__ import annotations

import logging
import os
import select
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Field, Q
from django.utils import timezone

from portaat.crowds.models import (
    Call,
    CallMessage,
    CallStatus,
    Delivery,
    DeliveryStatus,
    MessageKind,
    Volunteer,
    VolunteerStatus,
)
from portaat.crowds.render import outgoing
from portaat.crowds.transports import configured_channels, transport_class
from portaat.crowds.transports.base import Outgoing, Result, Transport

logger = logging.getLogger(__name__)

BATCH = 100
MAX_ATTEMPTS = 6


def worker_id() -> str:
    """``host:pid:token``: the token is new for every batch, so two threads (or dispatch runs)
    of one process never mistake each other's claims for their own."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def lease() -> timedelta:
    return timedelta(seconds=settings.PORTAAT_CROWDS_LEASE_SECONDS)


def backoff(attempts: int, retry_after: float | None = None) -> timedelta:
    """30 s, 1 min, 2 min, 4 min … at most 30 min; a provider's Retry-After wins."""
    if retry_after is not None:
        return timedelta(seconds=min(max(retry_after, 1.0), 3600.0))
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 1800))


def _dead_workers_here() -> list[str]:
    """Worker ids of this machine whose process is gone (a worker restarted after a crash
    need not wait for the lease of its predecessor's rows to run out)."""
    host = socket.gethostname()
    ids = (
        Delivery.objects.filter(
            status__in=[DeliveryStatus.CLAIMED, DeliveryStatus.SENDING],
            worker__startswith=f"{host}:",
        )
        .order_by()
        .values_list("worker", flat=True)
        .distinct()
    )
    dead = []
    for worker in ids:
        parts = worker.split(":")
        pid = parts[1] if len(parts) > 1 else ""
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            dead.append(worker)
        except PermissionError:  # alive, another user's
            continue
    return dead


def recover(now: datetime | None = None) -> int:
    """Rows of dead workers: claimed ones are due again at once (nothing was handed over);
    ``sending`` ones become uncertain, or due again where the provider drops duplicates."""
    now = now or timezone.now()
    dead = _dead_workers_here()
    if dead:
        Delivery.objects.filter(status=DeliveryStatus.CLAIMED, worker__in=dead).update(
            status=DeliveryStatus.PENDING, next_attempt_at=now, lease_until=None
        )
    stale = Delivery.objects.filter(
        Q(lease_until__lt=now) | Q(worker__in=dead), status=DeliveryStatus.SENDING
    )
    changed = 0
    for channel in stale.values_list("channel", flat=True).distinct():
        rows = stale.filter(channel=channel)
        if transport_class(channel).dedupes_by_reference:
            changed += rows.update(status=DeliveryStatus.PENDING, next_attempt_at=now)
        else:
            changed += rows.update(
                status=DeliveryStatus.UNCERTAIN,
                error="the worker stopped while handing the message over",
            )
    return changed


def claim(channel: str, limit: int = BATCH, *, worker: str | None = None) -> list[int]:
    """Take up to ``limit`` due rows of ``channel`` for this worker; returns their ids."""
    now = timezone.now()
    due = Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=DeliveryStatus.CLAIMED, lease_until__lt=now
    )
    with transaction.atomic():
        query = Delivery.objects.filter(due, channel=channel).order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            query = query.select_for_update(skip_locked=True)
        ids = list(query.values_list("pk", flat=True)[:limit])
        if ids:
            Delivery.objects.filter(pk__in=ids).update(
                status=DeliveryStatus.CLAIMED,
                lease_until=now + lease(),
                worker=worker or worker_id(),
                attempts=F("attempts") + 1,
            )
    return ids


class LostClaim(Exception):
    """Our lease ran out and another worker took the row: we must not hand it over."""


class NotWanted(Exception):
    """At the hand-over the row was no longer wanted (the volunteer left, the call closed)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _set(delivery: Delivery, **fields: object) -> int:
    for name, value in fields.items():
        setattr(delivery, name, value)
    # only while we still hold the claim: a row taken over after our lease ran out is not ours
    return Delivery.objects.filter(pk=delivery.pk, worker=delivery.worker).update(**fields)


def _still_wanted(delivery: Delivery) -> str:
    """Why a claimed row must not be sent any more ("" when it must)."""
    volunteer = delivery.volunteer
    message = delivery.message
    if volunteer.status != VolunteerStatus.ACTIVE:  # STOP means no more messages of any kind
        return "volunteer left"
    call = message.call
    if (
        call is not None
        and message.kind in (MessageKind.ALERT, MessageKind.UPDATE)
        and (call.status != CallStatus.SENT or call.ends_at <= timezone.now())
    ):
        return "call closed"
    return ""


@lru_cache(maxsize=1)
def _wanted_sql() -> str:
    """``_still_wanted`` as SQL conditions on the delivery row (one statement, no ORM: the
    ORM's UPDATE with joins costs more than the rest of a message's handling)."""
    d = Delivery._meta.db_table
    v = Volunteer._meta.db_table
    m = CallMessage._meta.db_table
    c = Call._meta.db_table
    closing = ", ".join(f"'{kind}'" for kind in (MessageKind.ALERT, MessageKind.UPDATE))
    return (
        # names from the models' metadata and fixed choices; every value is a parameter
        f"EXISTS (SELECT 1 FROM {v} WHERE {v}.id = {d}.volunteer_id AND {v}.status = %s) "  # noqa: S608  # nosec B608
        f"AND EXISTS (SELECT 1 FROM {m} LEFT JOIN {c} ON {c}.id = {m}.call_id "
        f"WHERE {m}.id = {d}.message_id AND ({m}.kind NOT IN ({closing}) "
        f"OR {m}.call_id IS NULL OR ({c}.status = %s AND {c}.ends_at > %s)))"
    )


def _set_if_wanted(delivery: Delivery, *, commit_later: bool = False, **fields: object) -> None:
    """Record the hand-over (or ``sending``) only if the row is still ours and still wanted,
    as the database says at this moment (not as the batch loaded it); raises ``LostClaim``
    or ``NotWanted`` otherwise, and nothing is written.

    ``commit_later`` (PostgreSQL, the email hand-over): the UPDATE runs in a transaction whose
    COMMIT is sent without waiting for the server's reply, so the transport writes the final
    "." right behind it; ``finish_commit()`` reads the reply afterwards. A worker killed now
    leaves either no COMMIT (the row is claimed and sent again, and the server, which never got
    the ".", discards the message) or both the COMMIT and the "." in its sockets' buffers,
    which the kernel still delivers. The window between the two writes is two system calls,
    where a waited-for commit leaves a whole round trip to the database."""
    meta = Delivery._meta
    columns, values = [], []
    for name, value in fields.items():
        field = meta.get_field(name)
        assert isinstance(field, Field)  # nosec B101  # type narrowing: our own field names
        columns.append(f"{connection.ops.quote_name(field.column)} = %s")
        values.append(field.get_db_prep_save(value, connection))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = (
        # names from the model's metadata, quoted columns; every value is a parameter
        f"UPDATE {meta.db_table} SET {', '.join(columns)} "  # noqa: S608  # nosec B608
        "WHERE id = %s AND worker = %s AND " + _wanted_sql()
    )
    params = [
        *values,
        delivery.pk,
        delivery.worker,
        VolunteerStatus.ACTIVE.value,
        CallStatus.SENT.value,
        now,
    ]
    # (inside an outer transaction, as in tests, the commit is the outer block's business)
    pipelined = (
        commit_later and connection.vendor == "postgresql" and not connection.in_atomic_block
    )
    with connection.cursor() as cursor:
        if pipelined:
            cursor.execute("BEGIN")
            try:
                cursor.execute(sql, params)
                done = cursor.rowcount
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            if not done:
                cursor.execute("ROLLBACK")
        else:
            cursor.execute(sql, params)
            done = cursor.rowcount
    if done:
        if pipelined:
            _send_commit()
        for name, value in fields.items():
            setattr(delivery, name, value)
        return
    fresh = (
        Delivery.objects.select_related("volunteer", "message__call")
        .filter(pk=delivery.pk, worker=delivery.worker)
        .first()
    )
    if fresh is None:
        raise LostClaim(delivery.pk)
    raise NotWanted(_still_wanted(fresh) or "not wanted")


# the connection (psycopg) whose COMMIT was sent and whose reply is not read yet
_unread_commit = threading.local()


def _send_commit() -> None:
    """Send COMMIT on this thread's PostgreSQL connection and return without its reply."""
    pgconn = connection.connection.pgconn
    pgconn.send_query(b"COMMIT")
    while pgconn.flush():  # psycopg's connections are non-blocking: write it all out now
        select.select([], [pgconn.socket], [])
    _unread_commit.pgconn = pgconn


def finish_commit() -> bool:
    """Read the reply of a COMMIT that ``_set_if_wanted(commit_later=True)`` sent; ``False``
    when the server refused it (the row was then not updated). Nothing to read: ``True``."""
    pgconn = getattr(_unread_commit, "pgconn", None)
    if pgconn is None:
        return True
    _unread_commit.pgconn = None
    from psycopg import pq

    ok = True
    while True:
        while pgconn.is_busy():
            select.select([pgconn.socket], [], [])
            pgconn.consume_input()
        result = pgconn.get_result()
        if result is None:
            return ok
        ok = ok and result.status == pq.ExecStatus.COMMAND_OK


class RateLimit:
    """At most ``rate`` sends per second, smoothed; shared by every thread of the process."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next_at = time.monotonic()
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:  # each caller takes the next slot; the sleeping happens unlocked
            now = time.monotonic()
            slot = max(self.next_at, now)
            self.next_at = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


_limits: dict[str, RateLimit] = {}
_limits_lock = threading.Lock()


def rate_limit(channel: str, rate: float) -> RateLimit:
    """The process's one limiter of ``channel`` (a worker's threads share its rate)."""
    with _limits_lock:
        limit = _limits.get(channel)
        if limit is None or limit.rate != rate:
            limit = _limits[channel] = RateLimit(rate)
        return limit


def _messages_for(delivery: Delivery) -> list[Outgoing]:
    if delivery.channel == "push":
        return [
            outgoing(
                delivery,
                to=subscription.endpoint,
                extra={"p256dh": subscription.p256dh, "auth": subscription.auth},
            )
            for subscription in delivery.volunteer.push_subscriptions.all()
        ]
    return [outgoing(delivery)]


def _send_one(transport: Transport, delivery: Delivery, limit: RateLimit) -> str:
    from portaat.crowds import services

    # a first check with what the batch loaded; the write that hands the message over
    # checks again with the database as it is then (``_set_if_wanted``)
    reason = _still_wanted(delivery)
    if reason:
        _set(delivery, status=DeliveryStatus.SKIPPED, error=reason, lease_until=None)
        return DeliveryStatus.SKIPPED
    messages = _messages_for(delivery)
    if not messages or not all(m.to for m in messages):
        _set(delivery, status=DeliveryStatus.FAILED, error="no address", lease_until=None)
        return DeliveryStatus.FAILED
    atomic = type(transport).atomic_handover
    try:
        if not atomic:
            # from here on a crash leaves the row uncertain, never silently re-sent
            _set_if_wanted(
                delivery, status=DeliveryStatus.SENDING, lease_until=timezone.now() + lease()
            )
        results: list[Result] = []
        for message in messages:
            limit.wait()
            handed_id = transport.handover_provider_id(message)

            def handover(handed_id: str = handed_id) -> None:
                # the one write of a message that goes well: sent, with the provider's id
                if atomic and delivery.status != DeliveryStatus.SENT:
                    _set_if_wanted(
                        delivery,
                        commit_later=True,
                        status=DeliveryStatus.SENT,
                        sent_at=timezone.now(),
                        provider_id=handed_id[:120],
                        error="",
                        lease_until=None,
                    )

            try:
                result = transport.send(message, handover)
            finally:
                committed = finish_commit()
            if not committed:
                # the server refused the COMMIT after the "." went out: record it now
                logger.warning("delivery %s: the hand-over's COMMIT failed", delivery.pk)
                delivery.status, delivery.sent_at = DeliveryStatus.CLAIMED, None
            if result.gone:
                services.forget_address(delivery, message.to)
            results.append(result)
    except NotWanted as exc:
        _set(delivery, status=DeliveryStatus.SKIPPED, error=exc.reason, lease_until=None)
        return DeliveryStatus.SKIPPED
    ok = [r for r in results if r.ok]
    now = timezone.now()
    if ok:
        fields: dict[str, object] = {
            "status": DeliveryStatus.SENT,
            "provider_id": ok[0].provider_id[:120],
            "error": "",
            "lease_until": None,
        }
        if delivery.sent_at is None:
            fields["sent_at"] = now
        if any(getattr(delivery, name) != value for name, value in fields.items()):
            _set(delivery, **fields)
        return DeliveryStatus.SENT
    last = results[-1]
    if any(r.uncertain for r in results) and not transport.dedupes_by_reference:
        _set(delivery, status=DeliveryStatus.UNCERTAIN, error=last.error[:300], lease_until=None)
        return DeliveryStatus.UNCERTAIN
    retry = any(r.retry and not r.gone for r in results)
    if retry and delivery.attempts < MAX_ATTEMPTS:
        retry_after = max((r.retry_after or 0.0 for r in results), default=0.0) or None
        _set(
            delivery,
            status=DeliveryStatus.PENDING,
            error=last.error[:300],
            next_attempt_at=now + backoff(delivery.attempts, retry_after),
            lease_until=None,
            sent_at=None,
        )
        return DeliveryStatus.PENDING
    _set(
        delivery,
        status=DeliveryStatus.FAILED,
        error=last.error[:300],
        lease_until=None,
        sent_at=None,
    )
    return DeliveryStatus.FAILED


@contextmanager
def _fast_commits() -> Iterator[None]:
    """On PostgreSQL, commits of this connection do not wait for the WAL flush while a batch
    is sent (``synchronous_commit = off``). What each record protects against is the death of
    the *worker*, and a commit the server has made survives that; only a crash of the database
    server within ~0.6 s could lose one (then the row is claimed and sent again). A commit
    waiting for the flush costs 2–3 ms a message, more than the SMTP exchange."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def renew_interval() -> float:
    """Seconds between renewals of a batch's lease: a third of it."""
    return settings.PORTAAT_CROWDS_LEASE_SECONDS / 3


def renew_lease(worker: str) -> int:
    """Extend the lease of the rows ``worker`` still holds (claimed, or being sent)."""
    return Delivery.objects.filter(
        worker=worker, status__in=[DeliveryStatus.CLAIMED, DeliveryStatus.SENDING]
    ).update(lease_until=timezone.now() + lease())


def run_batch(channel: str, *, worker: str | None = None, limit: int = BATCH) -> int:
    """Claim and send one batch of ``channel``; returns how many rows were claimed."""
    worker = worker or worker_id()
    ids = claim(channel, limit, worker=worker)
    if not ids:
        return 0
    cls = transport_class(channel)
    rate = rate_limit(channel, cls.rate_per_second())
    deliveries = (
        Delivery.objects.filter(pk__in=ids)
        .select_related("message__call", "volunteer")
        .prefetch_related("message__call__areas", "volunteer__push_subscriptions")
        .order_by("pk")
    )
    # a slow provider or a low rate limit can make a batch outlast its lease: renewed at a
    # third of it, so no other worker takes rows this one is still going to send
    renew_at = time.monotonic() + renew_interval()
    transport = cls()
    with _fast_commits(), transport.session() as session:
        for delivery in deliveries:
            if time.monotonic() >= renew_at:
                renew_lease(worker)
                renew_at = time.monotonic() + renew_interval()
            try:
                _send_one(session, delivery, rate)
            except LostClaim:
                logger.warning("delivery %s was taken over by another worker", delivery.pk)
            except Exception as exc:  # one bad row must not stop the others
                logger.exception("delivery %s failed", delivery.pk)
                error = f"{type(exc).__name__}: {exc}"[:300]
                if delivery.status in (DeliveryStatus.SENDING, DeliveryStatus.SENT):
                    # it may have reached the provider: never re-sent automatically
                    _set(delivery, status=DeliveryStatus.UNCERTAIN, error=error, lease_until=None)
                elif delivery.attempts >= MAX_ATTEMPTS:
                    _set(delivery, status=DeliveryStatus.FAILED, error=error, lease_until=None)
                else:
                    _set(
                        delivery,
                        status=DeliveryStatus.PENDING,
                        error=error,
                        next_attempt_at=timezone.now() + backoff(delivery.attempts),
                        lease_until=None,
                    )
    return len(ids)


def dispatch_all(*, worker: str | None = None, max_seconds: float = 300.0) -> int:
    """Send everything due on every configured channel, channel by channel in turns, until
    nothing is left (or ``max_seconds`` pass: the next wake-up goes on). Returns rows done."""
    recover()
    done = 0
    started = time.monotonic()
    channels = configured_channels()
    busy = True
    while busy and time.monotonic() - started < max_seconds:
        busy = False
        for channel in channels:
            count = run_batch(channel, worker=worker)
            done += count
            busy = busy or count > 0
    return done
