"""
Settings for the test suite (pyproject's DJANGO_SETTINGS_MODULE): the
development defaults of `make test` (DJANGO_DEBUG=1) unless the environment
says otherwise, so `pytest` runs the same from the shell. pytest-django runs
the tests themselves with DEBUG off, as production does.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from .settings import *  # noqa: E402,F403
