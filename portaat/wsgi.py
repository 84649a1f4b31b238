"""WSGI entry point (for deployments that prefer a WSGI server; live views need ASGI)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portaat.settings")
application = get_wsgi_application()
