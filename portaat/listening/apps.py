from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListeningConfig(AppConfig):
    name = "portaat.listening"
    verbose_name = _("Listening")

    def ready(self) -> None:
        from portaat.listening import public_accounts  # noqa: F401  (connects its receivers)
