"""Notice pages live in urls_notices.py, analytics pages in urls_analytics.py."""

from .urls_analytics import urlpatterns as analytics_urlpatterns
from .urls_notices import urlpatterns as notice_urlpatterns

app_name = "reports"
urlpatterns = notice_urlpatterns + analytics_urlpatterns
