"""Run a source's collection: page by page, each page's posts and cursor committed together.

A run holds the source's lock (``running_since``/host/pid) so the scheduler, the button and the
command line never collect one source twice at once; a lock whose process is gone (same host) or
that is older than ``PORTAAT_LISTENING_RUN_TIMEOUT_MINUTES`` is taken over. Failures back off
exponentially (at most a day), or for as long as the platform's Retry-After asks.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portaat.listening.connectors import connector_for
from portaat.listening.connectors.base import ConnectorError, Page, SourceSpec
from portaat.listening.connectors.http import Http
from portaat.listening.ingest import Ingestor
from portaat.listening.models import CollectionRun, RunStatus, Source
from portaat.listening.privacy import CredentialsUnreadable, decrypt_credentials

log = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(days=1)


class AlreadyRunning(Exception):
    """Another process is collecting this source right now."""


def spec_of(source: Source) -> SourceSpec:
    try:
        credentials = decrypt_credentials(source.credentials_encrypted)
    except CredentialsUnreadable as exc:
        raise ConnectorError("credentials", "stored credentials cannot be decrypted") from exc
    return SourceSpec(
        platform=source.platform,
        kind=source.kind,
        target=source.target,
        base_url=source.base_url,
        credentials=credentials,
        options=dict(source.options or {}) if isinstance(source.options, dict) else {},
    )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _acquire(source: Source) -> bool:
    now = timezone.now()
    host, pid = socket.gethostname(), os.getpid()
    stale = now - timedelta(minutes=settings.PORTAAT_LISTENING_RUN_TIMEOUT_MINUTES)
    free = Q(running_since__isnull=True) | Q(running_since__lt=stale)
    current = Source.objects.filter(pk=source.pk).values("running_host", "running_pid").first()
    dead = (
        current is not None
        and current["running_host"] == host
        and current["running_pid"]
        and current["running_pid"] != pid
        and not _pid_alive(current["running_pid"])
    )
    if dead and current is not None:
        free |= Q(running_host=host, running_pid=current["running_pid"])
    taken = (
        Source.objects.filter(pk=source.pk)
        .filter(free)
        .update(running_since=now, running_host=host, running_pid=pid)
    )
    if taken:
        # runs left "running" by a process that died are shown as interrupted
        CollectionRun.objects.filter(source=source, status=RunStatus.RUNNING).update(
            status=RunStatus.INTERRUPTED, finished_at=now
        )
    return bool(taken)


def _release(source: Source) -> None:
    Source.objects.filter(pk=source.pk, running_pid=os.getpid()).update(
        running_since=None, running_host="", running_pid=None
    )


def backoff(failures: int, retry_after: float | None = None) -> timedelta:
    """5 min, 10, 20 … up to a day; never sooner than the platform's Retry-After."""
    delay: timedelta = min(timedelta(minutes=5) * (2 ** max(0, failures - 1)), MAX_BACKOFF)
    if retry_after:
        delay = max(delay, timedelta(seconds=retry_after))
    return delay


def new_http() -> Http:
    return Http(allow_private=settings.PORTAAT_LISTENING_ALLOW_PRIVATE_HOSTS)


def collect(
    source: Source,
    *,
    trigger: str = "schedule",
    http: Http | None = None,
    max_pages: int | None = None,
    on_page: Callable[[CollectionRun, Page], Any] | None = None,
) -> CollectionRun:
    """Collect ``source`` from its committed cursor on. Raises :class:`AlreadyRunning`."""
    if source.platform == "import":
        raise ConnectorError("invalid_source", "import sources are filled by files")
    if not _acquire(source):
        raise AlreadyRunning(source.pk)
    run = CollectionRun.objects.create(source=source, trigger=trigger)
    own_http = http is None
    client = http or new_http()
    try:
        _collect_pages(source, run, client, max_pages, on_page)
    except ConnectorError as exc:
        _failed(source, run, exc.code, exc.detail, exc.retry_after)
    except Exception as exc:  # a bug in a connector must not stop the scheduler
        log.exception("collection of source %s failed", source.pk)
        _failed(source, run, "internal", type(exc).__name__, None)
    else:
        now = timezone.now()
        run.status, run.finished_at = RunStatus.OK, now
        run.save(update_fields=["status", "finished_at"])
        Source.objects.filter(pk=source.pk).update(
            last_success_at=now,
            failures=0,
            next_run_at=now + timedelta(minutes=source.schedule_minutes or 0)
            if source.schedule_minutes
            else None,
        )
    finally:
        _release(source)
        if own_http:
            client.close()
    source.refresh_from_db()
    return run


def _collect_pages(
    source: Source,
    run: CollectionRun,
    http: Http,
    max_pages: int | None,
    on_page: Callable[[CollectionRun, Page], Any] | None,
) -> None:
    connector = connector_for(source.platform)
    spec = spec_of(source)
    connector.check(spec)
    ingestor = Ingestor(source, source.platform)
    cursor = dict(source.cursor or {})
    for page in connector.pages(spec, cursor, http):
        with transaction.atomic():
            counts = ingestor.add(page.posts)
            deleted = ingestor.delete(page.deleted)
            Source.objects.filter(pk=source.pk).update(
                cursor=page.cursor, running_since=timezone.now()
            )
            run.pages += 1
            run.added += counts.added
            run.updated += counts.updated
            run.deleted += deleted
            run.save(update_fields=["pages", "added", "updated", "deleted"])
        if on_page is not None:
            on_page(run, page)
        if not page.more or (max_pages is not None and run.pages >= max_pages):
            break


def _failed(
    source: Source, run: CollectionRun, code: str, detail: str, retry_after: float | None
) -> None:
    now = timezone.now()
    run.status, run.finished_at = RunStatus.FAILED, now
    run.error_code, run.error_detail = code, detail[:500]
    run.save(update_fields=["status", "finished_at", "error_code", "error_detail"])
    failures = source.failures + 1
    Source.objects.filter(pk=source.pk).update(
        last_error_at=now,
        last_error_code=code,
        last_error_detail=detail[:500],
        failures=failures,
        next_run_at=now + backoff(failures, retry_after),
    )


def due_sources() -> list[int]:
    """Ids of sources whose scheduled collection is due now."""
    now = timezone.now()
    return list(
        Source.objects.filter(paused=False, schedule_minutes__gt=0)
        .exclude(platform="import")
        .filter(Q(next_run_at__isnull=True) | Q(next_run_at__lte=now))
        .filter(running_since__isnull=True)
        .values_list("pk", flat=True)
    )
