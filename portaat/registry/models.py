"""The fourth-sector registry: units of the administration, areas, and activisms.

An activism needs no legal person: no association, no bank account, no signatory. What the
registry keeps is what an official needs to recognise it: what it does, where, through which
channels, and whom to contact (only with recorded consent).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    CITY = "city", _("City")
    DIVISION = "division", _("Division")
    UNIT = "unit", _("Service or unit")


class Unit(models.Model):
    """A part of the administration: city → division → service/unit."""

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("units:dashboard", args=[self.slug])


class MemberRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    OFFICIAL = "official", _("Official")
    ELECTED = "elected", _("Elected member")


class Membership(models.Model):
    """A user's place in a unit. Rights in a unit come from here, site roles from groups."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["unit", "user"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit} ({self.role})"


class AreaKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    MAJOR_DISTRICT = "major_district", _("Major district")
    DISTRICT = "district", _("District")
    SUB_DISTRICT = "sub_district", _("Sub-district")


class Area(models.Model):
    """A place from the gazetteer (``portaat/analytics/data/gazetteer.json`` or an import)."""

    key = models.SlugField(_("identifier"), max_length=120, unique=True)
    name = models.CharField(_("name (Finnish)"), max_length=120)
    name_sv = models.CharField(_("name (Swedish)"), max_length=120)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AreaKind.choices)
    municipality = models.CharField(_("municipality"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name

    def display_name(self, language: str | None) -> str:
        """The Swedish name for Swedish readers, the Finnish name otherwise."""
        return self.name_sv if language == "sv" and self.name_sv else self.name


class ActivismKind(models.Model):
    """An extendable list: planning group, REKO ring, peer-lending service, …"""

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    is_builtin = models.BooleanField(_("built-in"), default=False, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("kind of activism")
        verbose_name_plural = _("kinds of activism")

    def __str__(self) -> str:
        return self.name


class LegalForm(models.TextChoices):
    NONE = "none", _("None (fourth sector)")
    ASSOCIATION = "association", _("Registered association")
    COMPANY = "company", _("Company or cooperative")
    OTHER = "other", _("Other")


class ActivismStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    ENDED = "ended", _("Ended")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Administration only")


class Origin(models.TextChoices):
    OFFICIAL = "official", _("Registered by an official")
    SELF = "self", _("Registered by the activists themselves")
    LISTENING = "listening", _("Suggested by listening")


class Review(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Activism(models.Model):
    """A fourth-sector actor: a network, group or service of residents."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.ForeignKey(
        ActivismKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="activisms"
    )
    domains = models.ManyToManyField(
        "ladders.Ladder", verbose_name=_("domains"), blank=True, related_name="activisms"
    )
    areas: models.ManyToManyField[Area, Any] = models.ManyToManyField(
        Area, verbose_name=_("areas"), blank=True, related_name="activisms"
    )
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, default=LegalForm.NONE
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActivismStatus.choices, default=ActivismStatus.ACTIVE
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    origin = models.CharField(
        _("origin"), max_length=20, choices=Origin.choices, default=Origin.OFFICIAL
    )
    review = models.CharField(
        _("review"), max_length=20, choices=Review.choices, default=Review.APPROVED
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_consent_at = models.DateTimeField(_("contact consent given"), null=True, blank=True)
    contact_consent_text = models.TextField(_("consent text shown"), blank=True)
    maintainers: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("maintainers"),
        blank=True,
        related_name="maintained_activisms",
        help_text=_("Activists who may keep this entry up to date."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("activism")
        verbose_name_plural = _("activisms")
        indexes = [
            # the public list: WHERE visibility='public' AND review='approved'
            models.Index(fields=["visibility", "review"], name="activism_public_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:activism", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC and self.review == Review.APPROVED


class Platform(models.TextChoices):
    FACEBOOK_GROUP = "facebook_group", _("Facebook group")
    FACEBOOK_PAGE = "facebook_page", _("Facebook page")
    MASTODON_ACCOUNT = "mastodon_account", _("Mastodon account")
    MASTODON_HASHTAG = "mastodon_hashtag", _("Mastodon hashtag")
    BLUESKY = "bluesky", _("Bluesky")
    TELEGRAM = "telegram", _("Telegram")
    INSTAGRAM = "instagram", _("Instagram")
    RSS = "rss", _("RSS or Atom feed")
    WEBSITE = "website", _("Website")


class Channel(models.Model):
    """Where an activism acts and talks; the platform is recognised from the URL."""

    activism = models.ForeignKey(Activism, on_delete=models.CASCADE, related_name="channels")
    url = models.URLField(_("address"), max_length=500)
    platform = models.CharField(_("platform"), max_length=30, choices=Platform.choices)
    handle = models.CharField(_("account or tag"), max_length=200, blank=True)

    class Meta:
        ordering = ["activism", "platform", "url"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        constraints = [
            models.UniqueConstraint(fields=["activism", "url"], name="channel_unique_url"),
        ]

    def __str__(self) -> str:
        return self.url
