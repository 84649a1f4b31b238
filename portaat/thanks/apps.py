from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThanksConfig(AppConfig):
    name = "portaat.thanks"
    verbose_name = _("Thanks")
