"""WSGI entry point for gunicorn: ``gunicorn thrive.wsgi``.

The URLs (and through them every view, form and the API) are loaded here rather than by the
first request, and what start-up made is then frozen out of the garbage collector's full
passes: they walk every object a process holds, and walking the service's start-up objects
each time paused a request for 100 to 200 ms now and then (``bench/results.md``).
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thrive.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - loads every URL module now
gc.collect()
gc.freeze()
