from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import analytics, findings, notices, notifications, rectification, staff

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    # Findings, notices, rectification: enterprise users and staff.
    path("findings/", findings.FindingList.as_view(), name="v1-finding-list"),
    path("findings/<int:pk>/", findings.FindingDetail.as_view(), name="v1-finding-detail"),
    path("findings/<int:pk>/extension-requests/", rectification.ExtensionCreate.as_view(),
         name="v1-extension-create"),
    path("notices/", notices.NoticeList.as_view(), name="v1-notice-list"),
    path("notices/<int:pk>/", notices.NoticeDetail.as_view(), name="v1-notice-detail"),
    path("notices/<int:pk>/pdf/", notices.NoticePdf.as_view(), name="v1-notice-pdf"),
    path("notices/<int:pk>/proof/", notices.NoticeProof.as_view(), name="v1-notice-proof"),
    path("notices/<int:pk>/acknowledge/", notices.NoticeAcknowledge.as_view(),
         name="v1-notice-acknowledge"),
    path("reports/", rectification.ReportList.as_view(), name="v1-report-list"),
    path("reports/<int:pk>/", rectification.ReportDetail.as_view(), name="v1-report-detail"),
    path("reports/<int:pk>/responses/<int:response_pk>/", rectification.ReportResponseUpdate.as_view(),
         name="v1-report-response"),
    path("reports/<int:pk>/responses/<int:response_pk>/evidence/",
         rectification.EvidenceUpload.as_view(), name="v1-evidence-upload"),
    path("reports/<int:pk>/submit/", rectification.ReportSubmit.as_view(), name="v1-report-submit"),
    path("reports/<int:pk>/new-version/", rectification.ReportNewVersion.as_view(),
         name="v1-report-new-version"),
    path("evidence/<int:pk>/", rectification.EvidenceDetail.as_view(), name="v1-evidence-detail"),
    path("evidence/<int:pk>/download/", rectification.EvidenceDownload.as_view(),
         name="v1-evidence-download"),
    path("extension-requests/", rectification.ExtensionList.as_view(), name="v1-extension-list"),
    path("extension-requests/<int:pk>/", rectification.ExtensionDetail.as_view(),
         name="v1-extension-detail"),
    path("extension-requests/<int:pk>/withdraw/", rectification.ExtensionWithdraw.as_view(),
         name="v1-extension-withdraw"),
    path("notifications/", notifications.NotificationList.as_view(), name="v1-notification-list"),
    path("notifications/<int:pk>/read/", notifications.NotificationRead.as_view(),
         name="v1-notification-read"),
    path("notifications/read-all/", notifications.NotificationReadAll.as_view(),
         name="v1-notification-read-all"),
]

urlpatterns += [
    # Staff only (enterprise users: 404).
    path("enterprises/", staff.EnterpriseList.as_view(), name="v1-enterprise-list"),
    path("enterprises/<int:pk>/", staff.EnterpriseDetail.as_view(), name="v1-enterprise-detail"),
    path("campaigns/", staff.CampaignList.as_view(), name="v1-campaign-list"),
    path("campaigns/<int:pk>/", staff.CampaignDetail.as_view(), name="v1-campaign-detail"),
    path("plans/", staff.PlanList.as_view(), name="v1-plan-list"),
    path("plans/<int:pk>/", staff.PlanDetail.as_view(), name="v1-plan-detail"),
    path("inspections/", staff.InspectionList.as_view(), name="v1-inspection-list"),
    path("inspections/<int:pk>/", staff.InspectionDetail.as_view(), name="v1-inspection-detail"),
    path("inspections/<int:pk>/items/", staff.InspectionItems.as_view(), name="v1-inspection-items"),
    path("items/<int:pk>/", staff.ItemDetail.as_view(), name="v1-item-detail"),
    path("audit-events/", staff.AuditEventList.as_view(), name="v1-audit-list"),
    path("analytics/", analytics.AnalyticsIndex.as_view(), name="v1-analytics-index"),
    path("analytics/<slug:slug>/", analytics.AnalyticsSeries.as_view(), name="v1-analytics-series"),
    path("label-check/", staff.LabelCheck.as_view(), name="v1-label-check"),
]
