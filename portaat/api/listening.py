"""Read API of listening, with the listening pages' permissions (``access.can_listen``: the
administration) and their privacy rules:

- ``listening-sources``: what the administration follows and the health of each collection, as
  the sources page shows it (``…/runs/``: the latest collections, as the source's page) — never
  the stored credentials, the connector options or anything else they could be in;
- ``posts``: the collected posts, filtered as on the posts page, newest first; an author is a
  pseudonym unless the account is public (an organisation's or an official one);
- ``listening-suggestions``: suggested activisms to review, as the suggestions page lists them.

Sources are added, collected and paused, and suggestions reviewed, on the pages
(``/listening/``), not through the API. Researchers download the pseudonymised export of posts
on the posts page; the API is the administration's, as the pages are.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import django_filters
from django.conf import settings
from django.core.validators import RegexValidator
from django.db.models import Count, Prefetch, QuerySet
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from portaat import access
from portaat.api.filters import IdFilter
from portaat.listening import search, services
from portaat.listening.forms import EARLIEST_DATE, LANGUAGES, latest_date
from portaat.listening.messages import connector_message
from portaat.listening.models import (
    CollectionRun,
    Post,
    PublicAccount,
    Source,
    Suggestion,
    SuggestionKind,
)
from portaat.listening.privacy import normalise_handle

RUNS_SHOWN = 30  # as the source's page
PSEUDONYM_SHOWN = 8  # characters of an author's pseudonym, as the posts page
MAX_QUERY = 300  # as the posts page's search field


class Listens(permissions.BasePermission):
    """Reading what listening collected: the administration, as on the pages."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS and access.can_listen(request.user)


# --- sources -------------------------------------------------------------------------------------

# query parameters that carry a secret in a feed's or a forum's address (…/feed?token=…)
_SECRET_NAME = re.compile(r"token|key|secret|pass|auth|sig|session|credential", re.IGNORECASE)


def without_secrets(address: str) -> str:
    """An address as it may be shown: no ``user:password@``, no value of a query parameter that
    looks like a secret (``?token=…``) and no fragment (never fetched: it could only carry a
    secret). Credentials belong in the encrypted credentials, but a private feed's address can
    carry its own."""
    if "://" not in address:
        return address  # an account, a hashtag, a category or a search
    try:
        parts = urlsplit(address)
    except ValueError:
        return ""  # not an address one can read: shown as nothing rather than as it is
    query = urlencode(
        [
            (name, "***" if _SECRET_NAME.search(name) else value)
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
        ],
        safe="*",
    )
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, query, ""))


class ListeningRunSerializer(serializers.ModelSerializer[CollectionRun]):
    error_code = serializers.SerializerMethodField()
    error_message = serializers.SerializerMethodField()

    class Meta:
        model = CollectionRun
        fields = [
            "started_at",
            "finished_at",
            "status",
            "trigger",
            "pages",
            "added",
            "updated",
            "deleted",
            "error_code",
            "error_message",
        ]
        read_only_fields = fields

    def get_error_code(self, obj: CollectionRun) -> str | None:
        """Why the collection failed, as a code (``unauthorised``, ``rate_limited`` …)."""
        return obj.error_code or None

    def get_error_message(self, obj: CollectionRun) -> str | None:
        """The same, explained in the reader's language."""
        return connector_message(obj.error_code) if obj.error_code else None


class ListeningSourceSerializer(serializers.ModelSerializer[Source]):
    target = serializers.SerializerMethodField()
    base_url = serializers.SerializerMethodField()
    activisms = serializers.PrimaryKeyRelatedField(many=True, read_only=True)  # type: ignore[var-annotated]
    post_count = serializers.SerializerMethodField()
    health = serializers.SerializerMethodField()
    error_code = serializers.SerializerMethodField()
    error_message = serializers.SerializerMethodField()
    last_run = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = [
            "id",
            "name",
            "platform",
            "kind",
            "target",
            "base_url",
            "activisms",
            "public_account",
            "legal_basis",
            "schedule_minutes",
            "live",
            "paused",
            "next_run_at",
            "post_count",
            "health",
            "last_success_at",
            "last_error_at",
            "failures",
            "error_code",
            "error_message",
            "last_run",
            "created_at",
        ]
        read_only_fields = fields

    def get_target(self, obj: Source) -> str:
        """The account, hashtag, feed address, category or search followed."""
        return without_secrets(obj.target)

    def get_base_url(self, obj: Source) -> str:
        """The server or forum (Mastodon, Discourse), or empty."""
        return without_secrets(obj.base_url)

    def get_post_count(self, obj: Source) -> int:
        """The posts this source collected first."""
        return getattr(obj, "post_count", 0)

    @extend_schema_field(serializers.ChoiceField(choices=["ok", "paused", "failing"]))
    def get_health(self, obj: Source) -> str:
        """``paused``; ``failing`` when the last collection failed; else ``ok``."""
        if obj.paused:
            return "paused"
        return "failing" if obj.is_failing else "ok"

    def get_error_code(self, obj: Source) -> str | None:
        """Why the last collection failed, as a code; null unless it is failing."""
        return (obj.last_error_code or "internal") if obj.is_failing else None

    def get_error_message(self, obj: Source) -> str | None:
        """The same, explained in the reader's language; null unless it is failing."""
        return connector_message(obj.last_error_code) if obj.is_failing else None

    @extend_schema_field(ListeningRunSerializer(allow_null=True))
    def get_last_run(self, obj: Source) -> dict[str, Any] | None:
        """The latest collection or import, or null before the first."""
        runs = getattr(obj, "latest_runs", None)
        if runs is None:
            runs = list(obj.runs.order_by("-started_at", "-pk")[:1])
        return ListeningRunSerializer(runs[0], context=self.context).data if runs else None


@extend_schema_view(
    list=extend_schema(
        description="The sources the administration follows (accounts, hashtags, feeds, "
        "forums, imported files), by name, with the health of each collection: ``health`` is "
        "``paused``, ``failing`` (``error_code`` and the translated ``error_message`` say why) "
        "or ``ok``; ``last_run`` is the latest collection. Credentials are never shown, and "
        "an address's own secrets (a password, a ``?token=``) are left out."
    ),
    retrieve=extend_schema(description="One source, as in the list."),
    runs=extend_schema(
        description=f"The source's latest {RUNS_SHOWN} collections or imports, newest first.",
        responses=ListeningRunSerializer(many=True),
    ),
)
class ListeningSourceViewSet(viewsets.ReadOnlyModelViewSet[Source]):
    """Sources of listening and the health of their collections (the administration)."""

    serializer_class = ListeningSourceSerializer
    permission_classes = [Listens]
    filter_backends: list[Any] = []
    queryset = Source.objects.none()  # for the schema; the rows come from below

    def get_queryset(self) -> QuerySet[Source]:
        latest = CollectionRun.objects.order_by("-started_at", "-pk")[:1]
        return (
            Source.objects.annotate(post_count=Count("posts"))
            .prefetch_related("activisms", Prefetch("runs", queryset=latest, to_attr="latest_runs"))
            .order_by("name", "pk")
        )

    @action(detail=True, pagination_class=None, filter_backends=[])
    def runs(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        source = self.get_object()
        runs = source.runs.order_by("-started_at", "-pk")[:RUNS_SHOWN]
        return Response(ListeningRunSerializer(runs, many=True).data)


# --- posts ---------------------------------------------------------------------------------------

PLATFORM = r"[a-z0-9][a-z0-9_.-]{0,39}"


@extend_schema_field({"type": "string", "maxLength": MAX_QUERY})
class _QueryFilter(django_filters.CharFilter):
    pass


@extend_schema_field({"type": "string", "pattern": f"^{PLATFORM}$"})
class _PlatformFilter(django_filters.CharFilter):
    pass


class PostFilter(django_filters.FilterSet):
    """The posts page's filters (``listening.forms.PostSearchForm``), plus the platform. An id
    or a date that matches nothing gives an empty page, not an error: only what is not an id, a
    date, a language or a platform's key is a 400."""

    q = _QueryFilter(
        max_length=MAX_QUERY,
        strip=False,  # as the schema says: a space is a character
        help_text="Words in the title or text; every word is also a prefix (kallio finds "
        'Kalliossa), "a phrase" in quotes, -word leaves out.',
    )
    source = IdFilter(help_text="A source's id: the posts it collected first.")
    activism = IdFilter(help_text="An activism's id: posts of its sources.")
    area = IdFilter(help_text="An area's id: posts of the sources of its activisms.")
    language = django_filters.ChoiceFilter(
        choices=[(code, label) for code, label in LANGUAGES if code],
        help_text="The language the post is written in.",
    )
    platform = _PlatformFilter(
        strip=False,
        validators=[RegexValidator(rf"^{PLATFORM}\Z")],
        help_text="A platform's key: mastodon, bluesky, rss, discourse, reddit, or one of "
        "imported posts (facebook, twitter …).",
    )
    since = django_filters.DateFilter(
        input_formats=["%Y-%m-%d"],
        help_text="Posted on this day (YYYY-MM-DD, Helsinki time) or later.",
    )
    until = django_filters.DateFilter(
        input_formats=["%Y-%m-%d"],
        help_text="Posted on this day (YYYY-MM-DD, Helsinki time) or earlier.",
    )

    class Meta:
        model = Post
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Post]) -> QuerySet[Post]:
        """The posts page's query (``search.filtered_posts``), with dates outside what the page
        accepts (2000 to the end of next year) meaning "from the start" or "up to now"."""
        data = self.form.cleaned_data
        since, until = data.get("since"), data.get("until")
        last = latest_date()
        if (since and since > last) or (until and until < EARLIEST_DATE):
            return queryset.none()
        if since and until and since > until:
            return queryset.none()  # each date is valid: together they are an empty period
        filters = search.PostFilters(
            q=data.get("q") or "",
            source=data.get("source"),
            activism=data.get("activism"),
            area=data.get("area"),
            language=data.get("language") or "",
            platform=data.get("platform") or "",
            since=since if since and since >= EARLIEST_DATE else None,
            until=until if until and until <= last else None,
        )
        return search.filtered_posts(filters, base=queryset)


class ListeningPostSerializer(serializers.ModelSerializer[Post]):
    source_name = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    author_pseudonym = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    text_status = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)
    groups = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Post
        fields = [
            "id",
            "platform",
            "source",
            "source_name",
            "author",
            "author_pseudonym",
            "created_at",
            "collected_at",
            "language",
            "title",
            "text",
            "text_status",
            "tags",
            "groups",
            "counts",
            "url",
        ]
        read_only_fields = fields

    # what is the same for every post of the answer: looked up once, on first use
    def _public_accounts(self) -> set[tuple[str, str]]:
        found = self.context.get("public_accounts")
        if found is None:
            found = {
                (platform, normalise_handle(handle))
                for platform, handle in PublicAccount.objects.values_list("platform", "handle")
            }
            self.context["public_accounts"] = found
        return found  # type: ignore[no-any-return]

    def _retention_cutoff(self) -> Any:
        if "retention_cutoff" not in self.context:
            days = settings.PORTAAT_LISTENING_RETENTION_DAYS
            self.context["retention_cutoff"] = (
                timezone.now() - timedelta(days=days) if days > 0 else None
            )
        return self.context["retention_cutoff"]

    def _named(self, obj: Post) -> bool:
        """Whether the author may be shown by name: an account marked public (still)."""
        return bool(obj.author_handle) and (
            (obj.platform, normalise_handle(obj.author_handle)) in self._public_accounts()
        )

    def get_source_name(self, obj: Post) -> str | None:
        """The name of the source that collected the post first, or null."""
        return obj.source.name if obj.source_id and obj.source else None

    def get_author(self, obj: Post) -> str | None:
        """The account, only when it is public (an organisation's or an official one); null
        for everybody else, who are known only by ``author_pseudonym``."""
        return obj.author_handle if self._named(obj) else None

    def get_author_pseudonym(self, obj: Post) -> str | None:
        """The first characters of the author's pseudonym (a keyed hash), as on the posts
        page: the same author has the same pseudonym. Null when the post has no author."""
        return obj.author_pseudonym[:PSEUDONYM_SHOWN] or None

    @extend_schema_field(serializers.ChoiceField(choices=["available", "removed", "deleted"]))
    def get_text_status(self, obj: Post) -> str:
        """``removed`` after the retention period and ``deleted`` when its author deleted it:
        then ``title``, ``text`` and ``url`` are empty; the rest stays for statistics."""
        if obj.deleted_upstream_at:
            return "deleted"
        cutoff = self._retention_cutoff()
        if obj.text_removed_at or (cutoff is not None and obj.collected_at < cutoff):
            return "removed"
        return "available"

    def get_title(self, obj: Post) -> str:
        return obj.title if self.get_text_status(obj) == "available" else ""

    def get_text(self, obj: Post) -> str:
        return obj.text if self.get_text_status(obj) == "available" else ""

    def get_url(self, obj: Post) -> str | None:
        """The original post's address, only for a public account's post: elsewhere it would
        name the author (…/@maija/123), as in the researchers' export."""
        if self._named(obj) and obj.url and self.get_text_status(obj) == "available":
            return obj.url
        return None

    @extend_schema_field(
        {"type": "object", "additionalProperties": {"type": "integer"}, "example": {"likes": 3}}
    )
    def get_counts(self, obj: Post) -> dict[str, int]:
        """Replies, reposts, likes … as the platform counted them when last collected."""
        counts = obj.counts if isinstance(obj.counts, dict) else {}
        return {
            str(name): value
            for name, value in counts.items()
            if isinstance(value, int) and not isinstance(value, bool)
        }


@extend_schema_view(
    list=extend_schema(
        description="Collected posts, newest first, filtered as on the posts page. An author "
        "is shown by name (``author``) only for an account marked public — an organisation's "
        "or an official one — and otherwise known only by ``author_pseudonym``, the same for "
        "all of the author's posts; the address of the original is given only for a public "
        "account's post. After the retention period, or when its author deleted it, a post "
        "keeps its time, counts, tags and pseudonym, but not its title, text or address "
        "(``text_status``)."
    ),
    retrieve=extend_schema(description="One collected post, as in the list."),
)
class ListeningPostViewSet(viewsets.ReadOnlyModelViewSet[Post]):
    """Collected posts (the administration)."""

    serializer_class = ListeningPostSerializer
    permission_classes = [Listens]
    filterset_class = PostFilter
    queryset = Post.objects.none()  # for the schema; the rows come from below

    def get_queryset(self) -> QuerySet[Post]:
        return Post.objects.select_related("source").order_by("-created_at", "-pk")


# --- suggestions ---------------------------------------------------------------------------------


class ListeningSuggestionSerializer(serializers.ModelSerializer[Suggestion]):
    name = serializers.SerializerMethodField()

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "kind",
            "platform",
            "name",
            "posts",
            "first_seen",
            "last_seen",
            "status",
            "activism",
        ]
        read_only_fields = fields

    def get_name(self, obj: Suggestion) -> str:
        """The hashtag (without ``#``), the group, or the account (once it is evidently
        public)."""
        return obj.label or obj.key


@extend_schema_view(
    list=extend_schema(
        description="Suggested activisms to review, most frequent first, as the suggestions "
        "page lists them: hashtags, accounts and groups that recur in the collected posts but "
        "are not in the registry. An account is named only once it recurs often enough to be "
        "evidently public; before that it is not listed."
    ),
    retrieve=extend_schema(
        description="One suggestion, also one already reviewed (``status``; ``activism`` is "
        "the registry's entry it was added to or linked with)."
    ),
)
class ListeningSuggestionViewSet(viewsets.ReadOnlyModelViewSet[Suggestion]):
    """Suggested activisms from listening (the administration)."""

    serializer_class = ListeningSuggestionSerializer
    permission_classes = [Listens]
    filter_backends: list[Any] = []
    queryset = Suggestion.objects.none()  # for the schema; the rows come from below

    def get_queryset(self) -> QuerySet[Suggestion]:
        # an account not yet evidently public is known only by its pseudonym: never shown
        shown = Suggestion.objects.exclude(kind=SuggestionKind.ACCOUNT, label="")
        if self.action == "list":
            shown = shown.filter(pk__in=[s.pk for s in services.open_suggestions()])
        return shown.order_by("-posts", "key", "pk")


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the API's router."""
    router.register("listening-sources", ListeningSourceViewSet, basename="listening-source")
    router.register("posts", ListeningPostViewSet, basename="listening-post")
    router.register(
        "listening-suggestions", ListeningSuggestionViewSet, basename="listening-suggestion"
    )


# routes of the API that are not viewsets, under /api/
urlpatterns: list[URLPattern | URLResolver] = []
