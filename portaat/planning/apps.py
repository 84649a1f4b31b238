from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "portaat.planning"
    verbose_name = _("Planning analytics")

    def ready(self) -> None:
        from portaat.listening.signals import posts_edited
        from portaat.planning import services

        # an edited post's analysis is stale, in the same transaction as the edit
        posts_edited.connect(services.mark_edited, dispatch_uid="planning.mark_edited")
