from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _step_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loading fixtures: the practices come with them
        return
    from portaat.repertoire.services import sync_step_practice

    sync_step_practice(instance)


class RepertoireConfig(AppConfig):
    name = "portaat.repertoire"
    verbose_name = _("Repertoire of practices")

    def ready(self) -> None:
        # Every step of every ladder is a practice at its level, also for custom ladders.
        post_save.connect(_step_saved, sender="ladders.Step", dispatch_uid="repertoire-step")
