"""ASGI entry point, served by uvicorn (`portaat serve`)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portaat.settings")
application = get_asgi_application()

from portaat.logs import install_on_server_loggers  # noqa: E402 - needs the settings loaded

install_on_server_loggers()
