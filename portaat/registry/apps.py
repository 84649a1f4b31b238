from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "portaat.registry"
    verbose_name = _("Fourth-sector registry")
