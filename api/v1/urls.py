from django.urls import path, re_path, register_converter
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from . import analytics, errors, findings, notices, notifications, rectification, staff


class IdConverter:
    """An object id: 1 to 18 digits, so it always fits the database's integer."""

    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Interactive documentation, its assets served from static (no CDN).
    path("docs/", SpectacularSwaggerSplitView.as_view(
        url_name="api-schema", template_name="api/swagger_ui.html"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(
        url_name="api-schema", template_name="api/redoc.html"), name="api-redoc"),
    # Findings, notices, rectification: enterprise users and staff.
    path("findings/", findings.FindingList.as_view(), name="v1-finding-list"),
    path("findings/<id:pk>/", findings.FindingDetail.as_view(), name="v1-finding-detail"),
    path("findings/<id:pk>/extension-requests/", rectification.ExtensionCreate.as_view(),
         name="v1-extension-create"),
    path("notices/", notices.NoticeList.as_view(), name="v1-notice-list"),
    path("notices/<id:pk>/", notices.NoticeDetail.as_view(), name="v1-notice-detail"),
    path("notices/<id:pk>/pdf/", notices.NoticePdf.as_view(), name="v1-notice-pdf"),
    path("notices/<id:pk>/proof/", notices.NoticeProof.as_view(), name="v1-notice-proof"),
    path("notices/<id:pk>/acknowledge/", notices.NoticeAcknowledge.as_view(),
         name="v1-notice-acknowledge"),
    path("reports/", rectification.ReportList.as_view(), name="v1-report-list"),
    path("reports/<id:pk>/", rectification.ReportDetail.as_view(), name="v1-report-detail"),
    path("reports/<id:pk>/responses/<id:response_pk>/", rectification.ReportResponseUpdate.as_view(),
         name="v1-report-response"),
    path("reports/<id:pk>/responses/<id:response_pk>/evidence/",
         rectification.EvidenceUpload.as_view(), name="v1-evidence-upload"),
    path("reports/<id:pk>/submit/", rectification.ReportSubmit.as_view(), name="v1-report-submit"),
    path("reports/<id:pk>/new-version/", rectification.ReportNewVersion.as_view(),
         name="v1-report-new-version"),
    path("evidence/<id:pk>/", rectification.EvidenceDetail.as_view(), name="v1-evidence-detail"),
    path("evidence/<id:pk>/download/", rectification.EvidenceDownload.as_view(),
         name="v1-evidence-download"),
    path("extension-requests/", rectification.ExtensionList.as_view(), name="v1-extension-list"),
    path("extension-requests/<id:pk>/", rectification.ExtensionDetail.as_view(),
         name="v1-extension-detail"),
    path("extension-requests/<id:pk>/withdraw/", rectification.ExtensionWithdraw.as_view(),
         name="v1-extension-withdraw"),
    path("notifications/", notifications.NotificationList.as_view(), name="v1-notification-list"),
    path("notifications/<id:pk>/read/", notifications.NotificationRead.as_view(),
         name="v1-notification-read"),
    path("notifications/read-all/", notifications.NotificationReadAll.as_view(),
         name="v1-notification-read-all"),
]

urlpatterns += [
    # Staff only (enterprise users: 404).
    path("enterprises/", staff.EnterpriseList.as_view(), name="v1-enterprise-list"),
    path("enterprises/<id:pk>/", staff.EnterpriseDetail.as_view(), name="v1-enterprise-detail"),
    path("campaigns/", staff.CampaignList.as_view(), name="v1-campaign-list"),
    path("campaigns/<id:pk>/", staff.CampaignDetail.as_view(), name="v1-campaign-detail"),
    path("plans/", staff.PlanList.as_view(), name="v1-plan-list"),
    path("plans/<id:pk>/", staff.PlanDetail.as_view(), name="v1-plan-detail"),
    path("inspections/", staff.InspectionList.as_view(), name="v1-inspection-list"),
    path("inspections/<id:pk>/", staff.InspectionDetail.as_view(), name="v1-inspection-detail"),
    path("inspections/<id:pk>/items/", staff.InspectionItems.as_view(), name="v1-inspection-items"),
    path("items/<id:pk>/", staff.ItemDetail.as_view(), name="v1-item-detail"),
    path("items/<id:pk>/explicit-evidence/<id:evidence_pk>/", staff.ItemExplicitEvidence.as_view(),
         name="v1-item-explicit-evidence"),
    path("audit-events/", staff.AuditEventList.as_view(), name="v1-audit-list"),
    path("analytics/", analytics.AnalyticsIndex.as_view(), name="v1-analytics-index"),
    path("analytics/<slug:slug>/", analytics.AnalyticsSeries.as_view(), name="v1-analytics-series"),
    path("label-check/", staff.LabelCheck.as_view(), name="v1-label-check"),
]

# Anything else under /api/v1/ answers 404 in the error shape, not an HTML page.
urlpatterns += [re_path(r"^.*$", errors.NotFoundView.as_view())]
