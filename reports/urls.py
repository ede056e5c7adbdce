"""
The reports app's pages, one URL module an area. Every name stays in the
`reports:` namespace, whichever area serves it.
"""

from .analytics.urls import urlpatterns as analytics
from .bulletins.urls import urlpatterns as bulletins
from .campaign_report.urls import urlpatterns as campaign_report
from .exports.urls import urlpatterns as exports
from .notices.urls import urlpatterns as notices
from .publication.urls import urlpatterns as publication

app_name = "reports"
urlpatterns = notices + publication + bulletins + campaign_report + exports + analytics
