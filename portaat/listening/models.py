"""Sources followed, the posts collected from them, runs, and discovery suggestions.

Personal data is minimised at capture: an author is stored as a keyed-hash pseudonym; the raw
handle is kept only for accounts marked public (organisations, official accounts). Post texts are
removed after the retention period; the row (time, counts, pseudonym) stays for statistics.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SourcePlatform(models.TextChoices):
    MASTODON = "mastodon", _("Mastodon")
    BLUESKY = "bluesky", _("Bluesky")
    RSS = "rss", _("RSS or Atom feed")
    DISCOURSE = "discourse", _("Discourse forum")
    REDDIT = "reddit", _("Reddit")
    IMPORT = "import", _("Imported files")


class SourceKind(models.TextChoices):
    ACCOUNT = "account", _("Account")
    HASHTAG = "hashtag", _("Hashtag")
    SEARCH = "search", _("Search query")
    FEED = "feed", _("Feed address")
    FORUM = "forum", _("Whole forum")
    CATEGORY = "category", _("Forum category")
    SUBREDDIT = "subreddit", _("Subreddit")
    FILES = "files", _("Imported files")


# which kinds each platform offers (the connectors' ``kinds``; checked in the form)
PLATFORM_KINDS: dict[str, tuple[str, ...]] = {
    "mastodon": ("account", "hashtag"),
    "bluesky": ("account", "search"),
    "rss": ("feed",),
    "discourse": ("forum", "category"),
    "reddit": ("subreddit", "search"),
    "import": ("files",),
}


class Source(models.Model):
    """Something the administration follows: an account, a hashtag, a feed, a forum …"""

    name = models.CharField(_("name"), max_length=200)
    platform = models.CharField(_("platform"), max_length=20, choices=SourcePlatform.choices)
    kind = models.CharField(_("what to follow"), max_length=20, choices=SourceKind.choices)
    target = models.CharField(
        _("account, tag, address or query"),
        max_length=500,
        blank=True,
        help_text=_("For example @group@mastodon.social, #helsinki, a feed address or a search."),
    )
    base_url = models.URLField(
        _("instance or forum address"),
        max_length=300,
        blank=True,
        help_text=_("For Mastodon and Discourse: the server, e.g. https://mastodon.social."),
    )
    activisms: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "registry.Activism", verbose_name=_("activisms"), blank=True, related_name="sources"
    )
    schedule_minutes = models.PositiveIntegerField(
        _("collect every (minutes)"),
        default=60,
        help_text=_("0 collects only when asked (the button or the command line)."),
    )
    live = models.BooleanField(
        _("follow live"),
        default=False,
        help_text=_("Bluesky accounts: receive new posts within seconds through Jetstream."),
    )
    public_account = models.BooleanField(
        _("the followed account is public"),
        default=False,
        help_text=_(
            "An organisation's or an official account: its name is kept with its posts. "
            "Other authors are stored only as pseudonyms."
        ),
    )
    legal_basis = models.TextField(
        _("legal basis and purpose"),
        help_text=_(
            "Why the administration processes these posts, e.g. a public task (GDPR 6(1)(e)) "
            "and the register description."
        ),
    )
    credentials_encrypted = models.TextField(blank=True, editable=False)
    options = models.JSONField(
        _("connector options"),
        default=dict,
        blank=True,
        help_text=_('Advanced: e.g. {"backfill_pages": 5, "max_pages": 10}.'),
    )
    did = models.CharField(max_length=200, blank=True, editable=False)  # Bluesky, for live
    stream_cursor = models.BigIntegerField(null=True, blank=True, editable=False)  # Jetstream
    paused = models.BooleanField(_("paused"), default=False)
    cursor = models.JSONField(default=dict, blank=True, editable=False)
    next_run_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error_at = models.DateTimeField(_("last error"), null=True, blank=True)
    last_error_code = models.CharField(max_length=40, blank=True)
    last_error_detail = models.CharField(max_length=500, blank=True)
    failures = models.PositiveIntegerField(default=0)
    running_since = models.DateTimeField(null=True, blank=True, editable=False)
    running_host = models.CharField(max_length=200, blank=True, editable=False)
    running_pid = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("listening:source", args=[self.pk])

    @property
    def is_failing(self) -> bool:
        return bool(
            self.last_error_at
            and (self.last_success_at is None or self.last_error_at > self.last_success_at)
        )


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    OK = "ok", _("Succeeded")
    FAILED = "failed", _("Failed")
    INTERRUPTED = "interrupted", _("Interrupted")


class CollectionRun(models.Model):
    """One collection or import, for the source's health page."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.RUNNING)
    trigger = models.CharField(max_length=20, default="schedule")  # schedule, button, cli, import
    pages = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)
    error_code = models.CharField(max_length=40, blank=True)
    error_detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["source", "-started_at"], name="run_source_idx")]

    def __str__(self) -> str:
        return f"{self.source_id} {self.started_at:%Y-%m-%d %H:%M} {self.status}"


class PublicAccount(models.Model):
    """An account whose raw handle may be kept: an organisation's or an official account."""

    platform = models.CharField(_("platform"), max_length=40)
    handle = models.CharField(_("account"), max_length=300)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("public account")
        verbose_name_plural = _("public accounts")
        constraints = [
            models.UniqueConstraint(fields=["platform", "handle"], name="public_account_unique")
        ]

    def __str__(self) -> str:
        return f"{self.platform}: {self.handle}"


class Post(models.Model):
    """A public post as collected. Unique per platform and remote id."""

    platform = models.CharField(_("platform"), max_length=40)
    remote_id = models.CharField(max_length=500)
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        help_text=_("The source that first collected the post."),
    )
    url = models.URLField(_("address"), max_length=1000, blank=True)
    author_pseudonym = models.CharField(_("author (pseudonym)"), max_length=32, blank=True)
    author_handle = models.CharField(_("author"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    text = models.TextField(_("text"), blank=True)
    language = models.CharField(_("language"), max_length=12, blank=True)
    created_at = models.DateTimeField(_("posted"))
    collected_at = models.DateTimeField(_("collected"), auto_now_add=True)
    reply_to = models.CharField(max_length=500, blank=True)
    thread = models.CharField(max_length=500, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    media_urls = models.JSONField(default=list, blank=True)
    tags = models.JSONField(default=list, blank=True)
    mentions = models.JSONField(default=list, blank=True)  # pseudonyms unless public
    groups = models.JSONField(default=list, blank=True)
    text_removed_at = models.DateTimeField(null=True, blank=True)
    deleted_upstream_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["platform", "remote_id"], name="post_unique_remote")
        ]
        indexes = [
            models.Index(fields=["-created_at"], name="post_created_idx"),
            models.Index(fields=["source", "-created_at"], name="post_source_idx"),
            models.Index(fields=["language"], name="post_language_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.remote_id}"

    @property
    def author_label(self) -> str:
        return self.author_handle or (
            f"#{self.author_pseudonym[:8]}" if self.author_pseudonym else ""
        )


class SuggestionKind(models.TextChoices):
    HASHTAG = "hashtag", _("Hashtag")
    ACCOUNT = "account", _("Account")
    GROUP = "group", _("Group or forum")


class SuggestionStatus(models.TextChoices):
    NEW = "new", _("To review")
    ACCEPTED = "accepted", _("Added to the registry")
    DISMISSED = "dismissed", _("Dismissed")


class Suggestion(models.Model):
    """A hashtag, account or group that recurs in collected posts: maybe an activism.

    ``key`` is the tag or group name, or an account's pseudonym; an account's handle (``label``)
    is kept only once it recurs in ``PORTAAT_DISCOVERY_MIN_POSTS`` posts — a widely mentioned
    account is public; a person mentioned once or twice stays a pseudonym.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=SuggestionKind.choices)
    platform = models.CharField(_("platform"), max_length=40)
    key = models.CharField(max_length=300)
    label = models.CharField(_("name"), max_length=300, blank=True)
    posts = models.PositiveIntegerField(_("posts"), default=0)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    status = models.CharField(
        _("status"), max_length=20, choices=SuggestionStatus.choices, default=SuggestionStatus.NEW
    )
    activism = models.ForeignKey(
        "registry.Activism",
        verbose_name=_("activism"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-posts", "label"]
        verbose_name = _("suggested activism")
        verbose_name_plural = _("suggested activisms")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "platform", "key"], name="suggestion_unique_key"
            )
        ]
        indexes = [models.Index(fields=["status", "-posts"], name="suggestion_status_idx")]

    def __str__(self) -> str:
        return self.label or self.key
