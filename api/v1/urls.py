"""
The API, version 1. Its views are named by their dotted path (core.lazyviews):
DRF and drf-spectacular load with the first API request, not with every
command's system checks.
"""

from django.urls import path, re_path, register_converter

from core.lazyviews import lazy_view


class IdConverter:
    """An object id: 1 to 18 digits, so it always fits the database's integer."""

    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    path("schema/", lazy_view("drf_spectacular.views.SpectacularAPIView"), name="api-schema"),
    # Interactive documentation, its assets served from static (no CDN).
    path(
        "docs/",
        lazy_view(
            "drf_spectacular.views.SpectacularSwaggerSplitView",
            url_name="api-schema",
            template_name="api/swagger_ui.html",
        ),
        name="api-docs",
    ),
    path(
        "redoc/",
        lazy_view(
            "drf_spectacular.views.SpectacularRedocView",
            url_name="api-schema",
            template_name="api/redoc.html",
        ),
        name="api-redoc",
    ),
    # Findings, notices, rectification: enterprise users and staff.
    path("findings/", lazy_view("api.v1.findings.FindingList"), name="v1-finding-list"),
    path("findings/<id:pk>/", lazy_view("api.v1.findings.FindingDetail"), name="v1-finding-detail"),
    path(
        "findings/<id:pk>/extension-requests/",
        lazy_view("api.v1.rectification.ExtensionCreate"),
        name="v1-extension-create",
    ),
    path("notices/", lazy_view("api.v1.notices.NoticeList"), name="v1-notice-list"),
    path("notices/<id:pk>/", lazy_view("api.v1.notices.NoticeDetail"), name="v1-notice-detail"),
    path("notices/<id:pk>/pdf/", lazy_view("api.v1.notices.NoticePdf"), name="v1-notice-pdf"),
    path("notices/<id:pk>/proof/", lazy_view("api.v1.notices.NoticeProof"), name="v1-notice-proof"),
    path(
        "notices/<id:pk>/acknowledge/",
        lazy_view("api.v1.notices.NoticeAcknowledge"),
        name="v1-notice-acknowledge",
    ),
    path("reports/", lazy_view("api.v1.rectification.ReportList"), name="v1-report-list"),
    path(
        "reports/<id:pk>/", lazy_view("api.v1.rectification.ReportDetail"), name="v1-report-detail"
    ),
    path(
        "reports/<id:pk>/responses/<id:response_pk>/",
        lazy_view("api.v1.rectification.ReportResponseUpdate"),
        name="v1-report-response",
    ),
    path(
        "reports/<id:pk>/responses/<id:response_pk>/evidence/",
        lazy_view("api.v1.rectification.EvidenceUpload"),
        name="v1-evidence-upload",
    ),
    path(
        "reports/<id:pk>/submit/",
        lazy_view("api.v1.rectification.ReportSubmit"),
        name="v1-report-submit",
    ),
    path(
        "reports/<id:pk>/new-version/",
        lazy_view("api.v1.rectification.ReportNewVersion"),
        name="v1-report-new-version",
    ),
    path(
        "evidence/<id:pk>/",
        lazy_view("api.v1.rectification.EvidenceDetail"),
        name="v1-evidence-detail",
    ),
    path(
        "evidence/<id:pk>/download/",
        lazy_view("api.v1.rectification.EvidenceDownload"),
        name="v1-evidence-download",
    ),
    path(
        "extension-requests/",
        lazy_view("api.v1.rectification.ExtensionList"),
        name="v1-extension-list",
    ),
    path(
        "extension-requests/<id:pk>/",
        lazy_view("api.v1.rectification.ExtensionDetail"),
        name="v1-extension-detail",
    ),
    path(
        "extension-requests/<id:pk>/withdraw/",
        lazy_view("api.v1.rectification.ExtensionWithdraw"),
        name="v1-extension-withdraw",
    ),
    path(
        "notifications/",
        lazy_view("api.v1.notifications.NotificationList"),
        name="v1-notification-list",
    ),
    path(
        "notifications/<id:pk>/read/",
        lazy_view("api.v1.notifications.NotificationRead"),
        name="v1-notification-read",
    ),
    path(
        "notifications/read-all/",
        lazy_view("api.v1.notifications.NotificationReadAll"),
        name="v1-notification-read-all",
    ),
]

urlpatterns += [
    # Staff only (enterprise users: 404).
    path("enterprises/", lazy_view("api.v1.staff.EnterpriseList"), name="v1-enterprise-list"),
    path(
        "enterprises/<id:pk>/",
        lazy_view("api.v1.staff.EnterpriseDetail"),
        name="v1-enterprise-detail",
    ),
    path("campaigns/", lazy_view("api.v1.staff.CampaignList"), name="v1-campaign-list"),
    path("campaigns/<id:pk>/", lazy_view("api.v1.staff.CampaignDetail"), name="v1-campaign-detail"),
    path("plans/", lazy_view("api.v1.staff.PlanList"), name="v1-plan-list"),
    path("plans/<id:pk>/", lazy_view("api.v1.staff.PlanDetail"), name="v1-plan-detail"),
    path("inspections/", lazy_view("api.v1.staff.InspectionList"), name="v1-inspection-list"),
    path(
        "inspections/<id:pk>/",
        lazy_view("api.v1.staff.InspectionDetail"),
        name="v1-inspection-detail",
    ),
    path(
        "inspections/<id:pk>/items/",
        lazy_view("api.v1.staff.InspectionItems"),
        name="v1-inspection-items",
    ),
    path("items/<id:pk>/", lazy_view("api.v1.staff.ItemDetail"), name="v1-item-detail"),
    path(
        "items/<id:pk>/explicit-evidence/<id:evidence_pk>/",
        lazy_view("api.v1.staff.ItemExplicitEvidence"),
        name="v1-item-explicit-evidence",
    ),
    path("audit-events/", lazy_view("api.v1.staff.AuditEventList"), name="v1-audit-list"),
    path("analytics/", lazy_view("api.v1.analytics.AnalyticsIndex"), name="v1-analytics-index"),
    path(
        "analytics/<slug:slug>/",
        lazy_view("api.v1.analytics.AnalyticsSeries"),
        name="v1-analytics-series",
    ),
    path("label-check/", lazy_view("api.v1.staff.LabelCheck"), name="v1-label-check"),
]

# Anything else under /api/v1/ answers 404 in the error shape, not an HTML page.
urlpatterns += [re_path(r"^.*$", lazy_view("api.v1.errors.NotFoundView"))]
