"""Write paths of listening: sources, imports, retention and the review of suggestions."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portaat.listening.connectors import connector_for
from portaat.listening.connectors.base import ConnectorError, RemotePost
from portaat.listening.importers import IMPORTERS, importer_for
from portaat.listening.importers.base import Problem
from portaat.listening.ingest import Ingestor
from portaat.listening.messages import connector_message
from portaat.listening.models import (
    PLATFORM_KINDS,
    CollectionRun,
    Post,
    PublicAccount,
    RunStatus,
    Source,
    SourceKind,
    SourcePlatform,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
)
from portaat.listening.privacy import encrypt_credentials, normalise_handle
from portaat.registry.models import Activism, ActivismKind, Origin, Review, Visibility


@transaction.atomic
def save_source(
    *,
    source: Source | None,
    fields: Mapping[str, Any],
    activisms: Iterable[Activism] = (),
    credentials: Mapping[str, str] | None = None,
    by: Any,
) -> Source:
    """Create or update a source. ``credentials=None`` keeps the stored ones, ``{}`` clears them.

    The platform's connector checks the settings first, so a source that cannot work is refused
    with a clear message instead of failing at every run.
    """
    creating = source is None
    if source is None:
        source = Source(created_by=by if getattr(by, "is_authenticated", False) else None)
    old = (source.platform, source.kind, source.target, source.base_url)
    for name, value in fields.items():
        setattr(source, name, value.strip() if isinstance(value, str) else value)
    if source.kind not in PLATFORM_KINDS.get(source.platform, ()):
        raise ValidationError(
            _("%(platform)s cannot follow this: choose one of %(kinds)s.")
            % {
                "platform": SourcePlatform(source.platform).label,
                "kinds": ", ".join(
                    str(SourceKind(k).label) for k in PLATFORM_KINDS.get(source.platform, ())
                ),
            }
        )
    if credentials is not None:
        source.credentials_encrypted = encrypt_credentials(dict(credentials))
    if source.platform != SourcePlatform.IMPORT:
        from portaat.listening.collect import spec_of

        try:
            connector_for(source.platform).check(spec_of(source))
        except ConnectorError as exc:
            raise ValidationError(connector_message(exc.code)) from None
    if not creating and old != (source.platform, source.kind, source.target, source.base_url):
        # following something else: start from its beginning
        source.cursor, source.did, source.stream_cursor = {}, "", None
    source.full_clean(exclude=["created_by"])
    source.save()
    source.activisms.set(list(activisms))
    if source.public_account and source.kind == SourceKind.ACCOUNT and source.target:
        PublicAccount.objects.get_or_create(
            platform=source.platform,
            handle=normalise_handle(source.target),
            defaults={"note": source.name[:300]},
        )
    return source


def request_collection(source: Source) -> bool:
    """The "collect now" button: queue a run (the worker does it; tests run it inline).
    ``False`` when the queue is unreachable: the source's schedule collects it later."""
    from portaat.listening.tasks import collect_source
    from portaat.tasks import enqueue

    return enqueue(collect_source, source.pk, "button")


def remove_expired_texts(now: Any = None) -> int:
    """Blank texts, titles, media and mentions of posts collected longer ago than the retention
    period; time, platform, pseudonym, counts, tags and groups stay for statistics."""
    days = settings.PORTAAT_LISTENING_RETENTION_DAYS
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return Post.objects.filter(collected_at__lt=cutoff, text_removed_at__isnull=True).update(
        text="", title="", media_urls=[], mentions=[], url="", text_removed_at=timezone.now()
    )


# --- imports -----------------------------------------------------------------------------------


@dataclass
class ImportReport:
    format: str
    records: int = 0
    added: int = 0
    updated: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


MAX_REPORTED_PROBLEMS = 50


class _Refused(Exception):
    """A bad record (or none at all) inside an import: its transaction is rolled back."""


def import_file(
    path: Path,
    fmt: str,
    *,
    source: Source | None = None,
    options: Mapping[str, Any] | None = None,
    by: Any = None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = 2000,
) -> ImportReport:
    """Import a file all or nothing, reading it once.

    Records are stored in one transaction as they are read. At the first bad record the
    transaction is rolled back and the rest of the file is only checked, so a file with any
    bad record changes nothing and the report lists the problems (the first
    ``MAX_REPORTED_PROBLEMS`` of them with line numbers, and how many there were). Reading once
    rather than checking first and storing in a second reading halves the parsing, which is a
    tenth of a big import. Re-importing a file adds nothing twice. Without ``source`` the posts
    go to the "Imported files" source of the format (created on first use).
    """
    if fmt not in IMPORTERS:
        raise ValidationError(_("Unknown file format “%(format)s”.") % {"format": fmt})
    if not os.path.isfile(path):
        raise ValidationError(_("There is no file “%(path)s”.") % {"path": str(path)})
    importer = importer_for(fmt)
    report = ImportReport(format=fmt)
    items = iter(importer.read(Path(path), dict(options or {})))

    def refuse(problem: Problem) -> _Refused:
        report.problem_count += 1
        if len(report.problems) < MAX_REPORTED_PROBLEMS:
            report.problems.append(problem)
        return _Refused()

    batch: list[RemotePost] = []
    try:
        with transaction.atomic():
            if source is None:
                source = import_source(fmt, importer.platform, by)
            run = CollectionRun.objects.create(source=source, trigger="import")
            ingestor = Ingestor(source, importer.platform)
            for item in items:
                if isinstance(item, Problem):
                    raise refuse(item)
                batch.append(item)
                if len(batch) >= batch_size:
                    ingestor.add(batch)
                    report.records += len(batch)
                    batch = []
                    if progress:
                        progress(report.records)
            if batch:
                ingestor.add(batch)
                report.records += len(batch)
                if progress:
                    progress(report.records)
            if report.records == 0:
                raise refuse(Problem(None, "empty", ""))
            run.status, run.finished_at = RunStatus.OK, timezone.now()
            run.added, run.updated = ingestor.counts.added, ingestor.counts.updated
            run.save()
            Source.objects.filter(pk=source.pk).update(last_success_at=run.finished_at)
    except _Refused:
        report.records += len(batch)
        for item in items:  # the rest of the file, checked only, for a complete report
            if isinstance(item, Problem):
                refuse(item)
            else:
                report.records += 1
        return report
    report.added, report.updated = ingestor.counts.added, ingestor.counts.updated
    return report


def import_source(fmt: str, platform: str, by: Any) -> Source:
    """The source that holds a format's imports when the importer named none."""
    name = _("Imported files: %(format)s") % {"format": fmt}
    source = Source.objects.filter(platform=SourcePlatform.IMPORT, target=fmt).first()
    if source is None:
        source = Source.objects.create(
            name=name,
            platform=SourcePlatform.IMPORT,
            kind=SourceKind.FILES,
            target=fmt,
            schedule_minutes=0,
            legal_basis=_("Files handed over by the group or its members."),
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
    return source


# --- discovery ---------------------------------------------------------------------------------


def known_keys() -> set[tuple[str, str]]:
    """(kind, key) pairs already in the registry or followed: not suggested again."""
    from portaat.registry.models import Channel

    known: set[tuple[str, str]] = set()
    for handle in Channel.objects.exclude(handle="").values_list("handle", flat=True):
        value = handle.strip()
        if value.startswith("#"):
            known.add((SuggestionKind.HASHTAG, value[1:].lower()))
        else:
            known.add((SuggestionKind.GROUP, value.lower()))
            known.add((SuggestionKind.ACCOUNT, normalise_handle(value)))
    for kind, target in Source.objects.values_list("kind", "target"):
        value = target.strip()
        if kind == SourceKind.HASHTAG:
            known.add((SuggestionKind.HASHTAG, value.removeprefix("#").lower()))
        elif kind in (SourceKind.SUBREDDIT, SourceKind.CATEGORY):
            known.add((SuggestionKind.GROUP, value.removeprefix("r/").lower()))
        elif kind == SourceKind.ACCOUNT:
            known.add((SuggestionKind.ACCOUNT, normalise_handle(value)))
    return known


def open_suggestions(min_posts: int = 3) -> list[Suggestion]:
    """Suggestions to review: recurring, not yet in the registry, most frequent first."""
    known = known_keys()
    candidates = Suggestion.objects.filter(status=SuggestionStatus.NEW, posts__gte=min_posts)
    out = []
    for suggestion in candidates.order_by("-posts", "key")[:500]:
        value = suggestion.label or suggestion.key
        probe = (
            normalise_handle(value) if suggestion.kind == SuggestionKind.ACCOUNT else value.lower()
        )
        if (suggestion.kind, probe) in known:
            continue
        if suggestion.kind == SuggestionKind.ACCOUNT and not suggestion.label:
            continue  # not yet evidently public: never shown by pseudonym
        out.append(suggestion)
    return out


def suggestion_examples(suggestion: Suggestion, limit: int = 5) -> list[Post]:
    """A few recent posts that carry the suggestion's tag, group or mention."""
    from django.db import connection

    posts = Post.objects.filter(platform=suggestion.platform, text_removed_at__isnull=True)
    field = {"hashtag": "tags", "group": "groups", "account": "mentions"}[suggestion.kind]
    if connection.vendor == "postgresql":
        posts = posts.filter(**{f"{field}__contains": [suggestion.key]})
    else:  # SQLite has no JSON containment: look through the recent posts' lists
        found = []
        for post in posts.order_by("-created_at")[:2000]:
            if suggestion.key in getattr(post, field):
                found.append(post)
                if len(found) == limit:
                    break
        return found
    return list(posts.order_by("-created_at")[:limit])


def channel_url(suggestion: Suggestion) -> str:
    """A web address for the suggestion's channel, where the platform has a canonical one."""
    value = suggestion.label or suggestion.key
    if suggestion.kind == SuggestionKind.HASHTAG:
        if suggestion.platform == "bluesky":
            return f"https://bsky.app/hashtag/{value}"
        if suggestion.platform == "mastodon":
            return ""  # a tag lives on every instance: no one address
    if suggestion.platform == "reddit" and suggestion.kind == SuggestionKind.GROUP:
        return f"https://www.reddit.com/r/{value.removeprefix('r/')}"
    if suggestion.platform == "bluesky" and suggestion.kind == SuggestionKind.ACCOUNT:
        return f"https://bsky.app/profile/{value}"
    if suggestion.platform == "mastodon" and suggestion.kind == SuggestionKind.ACCOUNT:
        user, _sep, host = value.partition("@")
        return f"https://{host}/@{user}" if host else ""
    return ""


@transaction.atomic
def review_suggestion(
    suggestion: Suggestion, *, action: str, by: Any, activism: Activism | None = None
) -> Suggestion:
    """``add``: a new activism awaiting review; ``link``: a channel on an existing activism;
    ``dismiss``: not an activism (it is not suggested again)."""
    from portaat.registry.services import save_activism

    if suggestion.status != SuggestionStatus.NEW:
        raise ValidationError(_("This suggestion has already been reviewed."))
    url = channel_url(suggestion)
    if action == "add":
        kind = ActivismKind.objects.filter(slug="other").first() or ActivismKind.objects.first()
        if kind is None:
            raise ValidationError(_("The registry has no kinds of activism yet."))
        label = suggestion.label or suggestion.key
        name = f"#{label}" if suggestion.kind == SuggestionKind.HASHTAG else label
        activism = save_activism(
            activism=None,
            fields={
                "name": name[:200],
                "kind": kind,
                "description": _(
                    "Suggested by listening: seen in %(posts)d collected posts on %(platform)s."
                )
                % {"posts": suggestion.posts, "platform": suggestion.platform},
                "visibility": Visibility.INTERNAL,
            },
            channel_urls=[url] if url else [],
            by=by,
        )
        Activism.objects.filter(pk=activism.pk).update(
            origin=Origin.LISTENING, review=Review.PENDING
        )
        suggestion.status = SuggestionStatus.ACCEPTED
    elif action == "link":
        if activism is None:
            raise ValidationError(_("Choose the activism this belongs to."))
        if url and not activism.channels.filter(url=url).exists():
            from portaat.registry.services import clean_channels

            for channel_address, platform, handle in clean_channels([url]):
                activism.channels.create(url=channel_address, platform=platform, handle=handle)
        suggestion.status = SuggestionStatus.ACCEPTED
    elif action == "dismiss":
        suggestion.status = SuggestionStatus.DISMISSED
    else:
        raise ValidationError(_("Unknown action."))
    suggestion.activism = activism if action != "dismiss" else None
    suggestion.reviewed_by = by if getattr(by, "is_authenticated", False) else None
    suggestion.reviewed_at = timezone.now()
    suggestion.save()
    return suggestion
