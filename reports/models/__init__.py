"""
Models of the reports app: notices and bulletins (notices.py), analytics
roll-ups (analytics.py), published inspection results (publication.py).
"""

from .analytics import *  # noqa: F401,F403
from .notices import *  # noqa: F401,F403
from .publication import *  # noqa: F401,F403
