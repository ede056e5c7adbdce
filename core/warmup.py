"""
What every web process would otherwise do on its first requests, done once
when the application is loaded: import the URLconf (and with it every view
module), compile every template into the cached loader, load each
language's message catalogue.

Under gunicorn (config/gunicorn.py) the application is loaded in the master
before it forks its workers, so this is done once for all of them and the
workers start warm; then the master moves everything loaded so far out of
the garbage collector's reach (gc.freeze), so that no worker's collections
walk the inherited heap again.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)


def template_names() -> list[str]:
    """The name of every HTML template the Django engines can find, once each."""
    names: set[str] = set()
    for backend in engines.all():
        for folder in backend.template_dirs:
            root = Path(folder)
            names.update(str(path.relative_to(root)) for path in root.rglob("*.html"))
    return sorted(names)


def warm_up() -> int:
    """Import the URLconf, compile the templates, load the catalogues; the number of templates."""
    # The URLconf and every view module, and the reverse lookups ({% url %}).
    get_resolver().reverse_dict  # noqa: B018 - built on first access
    compiled = 0
    for name in template_names():
        for backend in engines.all():
            try:
                backend.get_template(name)
                compiled += 1
                break
            except TemplateSyntaxError as error:
                # A package's template for a tag library not installed here: never rendered.
                logger.debug("template %s not compiled: %s", name, error)
            except Exception:  # noqa: BLE001, S112 - another engine's template: try the next
                continue
    with translation.override(None):
        for code, _name in settings.LANGUAGES:
            translation.activate(code)
    return compiled
