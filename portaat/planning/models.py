"""Analyses of collected posts for planning: per-post results, topic runs, the theme taxonomy,
spike subscriptions and alerts, and snapshots attached to cases as evidence.

The computing is plain Python in ``portaat/analytics/`` (no Django); this app stores its results
and runs it in the background. State lives in rows, so a killed worker loses nothing: a post
without a fresh analysis is picked up by the next batch, a topic run still ``pending`` is
started again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
    """A theme of the municipal taxonomy (land use, green areas, traffic …) that guides topics.

    Seeded from ``portaat/analytics/data/themes.json`` by ``portaat init``; officials edit the
    labels and seed terms in the app. ``terms`` is ``{"fi": [...], "sv": [...], "en": [...]}``
    of lemmas (base forms).
    """

    key = models.SlugField(_("identifier"), max_length=60, unique=True)
    label = models.CharField(_("name"), max_length=120)
    terms = models.JSONField(_("seed terms"), default=dict, blank=True)
    active = models.BooleanField(
        _("in use"), default=True, help_text=_("Themes not in use do not guide the topics.")
    )
    is_builtin = models.BooleanField(_("built-in"), default=False, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.label or self.key


class TopicRunStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class TopicRun(models.Model):
    """Topics of the posts one set of filters selects: the cached result of an analysis.

    ``filter_key`` identifies the filters (the page finds the latest run for them);
    ``fingerprint`` is the number and newest analysis time of the posts it saw, so the page
    and the background task can tell when new posts make it ``stale``. ``topics`` is a list of
    ``{"id", "theme", "labels": {lang: [terms]}, "size", "examples": [post ids]}``.
    """

    filter_key = models.CharField(max_length=64, db_index=True)
    filters = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=TopicRunStatus.choices, default=TopicRunStatus.PENDING
    )
    stale = models.BooleanField(_("out of date"), default=False)
    post_count = models.PositiveIntegerField(_("posts"), default=0)
    fingerprint = models.CharField(max_length=80, blank=True)
    topics = models.JSONField(default=list, blank=True)
    error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    # when someone last asked for or looked at the result of these filters: only those seen
    # lately are kept fresh (a refreshed run carries it over, so refreshing is not "seeing")
    viewed_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("computed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # one run waiting or computing per filters: a double click queues one
            models.UniqueConstraint(
                fields=["filter_key"],
                condition=models.Q(status__in=["pending", "running"]),
                name="topicrun_one_open",
            ),
        ]
        indexes = [
            # the page: the latest run for these filters
            models.Index(fields=["filter_key", "-created_at"], name="topicrun_filter_idx"),
            # the background task: runs waiting, or ready but out of date
            models.Index(fields=["status", "stale"], name="topicrun_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.status} {self.post_count}"

    def topic(self, topic_id: int) -> dict[str, object] | None:
        for topic in self.topics or []:
            if isinstance(topic, dict) and topic.get("id") == topic_id:
                return topic
        return None


class PostAnalysis(models.Model):
    """What the analysis found in one post: language, places, theme, keywords.

    ``stale`` is set when the post's text is edited (the listening app's ``posts_edited``
    signal, in the storing transaction); a post whose text was removed later than
    ``analysed_at`` is also re-analysed (to nothing), so no keyword outlives its text.
    ``topic`` is the post's topic in ``topic_run``, the latest topic run that read it.
    """

    post = models.OneToOneField(
        "listening.Post", on_delete=models.CASCADE, related_name="analysis", primary_key=True
    )
    lang = models.CharField(_("language"), max_length=8)
    places = models.JSONField(_("places"), default=list, blank=True)
    theme = models.CharField(_("theme"), max_length=60, blank=True, db_index=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    topic_run = models.ForeignKey(
        TopicRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topic = models.IntegerField(null=True, blank=True)
    posted_at = models.DateTimeField()  # the post's time, copied for the trend queries
    analysed_at = models.DateTimeField()
    stale = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("post analysis")
        verbose_name_plural = _("post analyses")
        indexes = [
            # the spike check and trend charts read a time window
            models.Index(fields=["posted_at"], name="postanalysis_posted_idx"),
            # the background batch: WHERE stale
            models.Index(fields=["stale"], name="postanalysis_stale_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.lang} {self.places}"


class PlaceMention(models.Model):
    """A post mentions an area of the registry's gazetteer (the map's and the trends' counts)."""

    post = models.ForeignKey(
        "listening.Post", on_delete=models.CASCADE, related_name="place_mentions"
    )
    area = models.ForeignKey(
        "registry.Area", on_delete=models.CASCADE, related_name="post_mentions"
    )
    posted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "area"], name="place_mention_once"),
        ]
        indexes = [
            # spikes and trends per area over a time window
            models.Index(fields=["posted_at", "area"], name="place_mention_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} @ {self.area_id}"


class SubscriptionKind(models.TextChoices):
    AREA = "area", _("Area")
    TOPIC = "topic", _("Theme")
    KEYWORD = "keyword", _("Keyword")


class SpikeSubscription(models.Model):
    """An official wants to know when an area, a theme or a keyword suddenly flares up.

    ``value`` is the area's key, the theme's key or the keyword (lower case).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="spike_subscriptions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SubscriptionKind.choices)
    value = models.CharField(_("what"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("spike alert subscription")
        verbose_name_plural = _("spike alert subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "value"], name="spike_subscription_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}:{self.value}"

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"


class SpikeAlert(models.Model):
    """A spike that was alerted. ``key`` is ``kind:value``; ``window_end`` the end of the
    recent window, to the hour. Unique, so a check that runs twice (or on two workers) alerts
    once; a key alerted within the recent window is not alerted again for the same surge."""

    key = models.CharField(max_length=200)
    window_end = models.DateTimeField()
    recent = models.PositiveIntegerField()
    expected = models.FloatField()
    p_value = models.FloatField()
    # the key's alert within the recent window: at most one per key (the database refuses a
    # second, whatever hour two workers round their checks to); cleared once the window passed
    current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-window_end", "key"]
        constraints = [
            models.UniqueConstraint(fields=["key", "window_end"], name="spike_alert_once"),
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(current=True), name="spike_alert_one_current"
            ),
        ]
        indexes = [models.Index(fields=["key", "-window_end"], name="spike_alert_key_idx")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_end:%Y-%m-%d %H:%M}"


class AnalysisSnapshot(models.Model):
    """An analysis frozen as evidence on a case: the figures, the filters, who and when.

    ``figures`` holds counts only (posts, languages, places, topics with their labels, spikes),
    never post texts or authors, so the case keeps no personal data from the posts.
    """

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="snapshots"
    )
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    filters = models.JSONField(default=dict)
    figures = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("attached"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("analysis snapshot")
        verbose_name_plural = _("analysis snapshots")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.case_id]) + f"#snapshot-{self.pk}"
