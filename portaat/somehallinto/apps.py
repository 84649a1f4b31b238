from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SomehallintoConfig(AppConfig):
    name = "portaat.somehallinto"
    verbose_name = _("Social-media governance")
