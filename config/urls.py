from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("work/", include("workbench.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("inspections/", include("inspections.urls")),
    path("tipoffs/", include("tipoffs.urls")),
    path("rectification/", include("rectification.urls")),
    path("self-inspections/", include("selfchecks.urls")),
    path("reports/", include("reports.urls")),
    path("cases/", include("cases.urls")),
    path("portal/", include("portal.urls")),
    path("portal/api-tokens/", include("api.urls")),
    path("api/v1/", include("api.v1.urls")),
    # The first, session-only API: kept answering as before for one release.
    path("api/", include("enterprises.api_urls")),
    path("api/", include("inspections.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
