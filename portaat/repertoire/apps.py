from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _step_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loading fixtures: the practices come with them
        return
    from portaat.repertoire.services import sync_step_practice

    sync_step_practice(instance)


def _attachment_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from portaat.repertoire.services import delete_file_on_commit

    delete_file_on_commit(instance)


class RepertoireConfig(AppConfig):
    name = "portaat.repertoire"
    verbose_name = _("Repertoire of practices")

    def ready(self) -> None:
        # Every step of every ladder is a practice at its level, also for custom ladders.
        post_save.connect(_step_saved, sender="ladders.Step", dispatch_uid="repertoire-step")
        # An attachment's file goes with its row: deleted one by one, or with its experiment.
        post_delete.connect(
            _attachment_deleted,
            sender="repertoire.ExperimentAttachment",
            dispatch_uid="repertoire-attachment-file",
        )
