import gc
import importlib
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# The libraries pages render with that start-up leaves out (every command
# and worker would pay for them: tests/core/test_startup.py): the analytics
# charts'.
PAGE_LIBRARIES = ("pandas", "plotly.graph_objects")

if not settings.DEBUG:
    from core.warmup import warm_up

    # Served processes start warm (core.warmup); under gunicorn
    # (config/gunicorn.py) this runs once, in the master, before the fork.
    # What is loaded now lives as long as the process: the garbage
    # collector need not walk it at every full collection.
    warm_up()
    for library in PAGE_LIBRARIES:
        importlib.import_module(library)
    gc.freeze()
