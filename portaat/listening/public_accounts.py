"""When an account stops being public (its entry in *public accounts* is deleted, or its handle
changed), the posts collected while it was public stop showing its handle: they show the
pseudonym every other author has (``Post.author_pseudonym`` is kept for every post)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver

from portaat.listening.models import Post, PublicAccount
from portaat.listening.privacy import normalise_handle, pseudonymise


def forget_public_handle(platform: str, handle: str) -> int:
    """Empties the stored handle of the posts by ``handle`` on ``platform``; returns how many."""
    normalised = normalise_handle(handle)
    if not normalised:
        return 0
    return (
        Post.objects.filter(platform=platform, author_pseudonym=pseudonymise(platform, normalised))
        .exclude(author_handle="")
        .update(author_handle="")
    )


@receiver(post_delete, sender=PublicAccount)
def _account_no_longer_public(sender: Any, instance: PublicAccount, **kwargs: Any) -> None:
    forget_public_handle(instance.platform, instance.handle)


@receiver(pre_save, sender=PublicAccount)
def _account_changed(sender: Any, instance: PublicAccount, **kwargs: Any) -> None:
    if instance.pk is None:
        return
    before = PublicAccount.objects.filter(pk=instance.pk).values_list("platform", "handle").first()
    if before is None:
        return
    if (before[0], normalise_handle(before[1])) != (
        instance.platform,
        normalise_handle(instance.handle),
    ):
        forget_public_handle(*before)
