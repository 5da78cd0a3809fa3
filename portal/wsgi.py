"""WSGI entry point for gunicorn: ``gunicorn portal.wsgi``."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()

# The half million objects Django and the apps made at start live as long as the worker: moved
# out of the collector's sight, they no longer make full collections so rare that each request's
# garbage (reference cycles of querysets and forms) piles up to some 15 MiB between them.
gc.freeze()
