"""
The models of the reports app, one module an area: notices (notices/models.py),
bulletins, published inspection results (publication/) and the analytics
roll-ups (analytics/). Django loads an app's models from here.
"""

from .analytics.models import *  # noqa: F401,F403
from .bulletins.models import *  # noqa: F401,F403
from .notices.models import *  # noqa: F401,F403
from .publication.models import *  # noqa: F401,F403
