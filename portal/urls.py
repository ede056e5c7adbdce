from django.urls import path

from . import views, views_cases, views_selfchecks

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("extensions/<int:pk>/withdraw/", views.extension_withdraw, name="extension_withdraw"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_start, name="report_start"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/new-version/", views.report_new_version, name="report_new_version"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
    path("self-inspections/", views_selfchecks.selfcheck_list, name="selfcheck_list"),
    path("self-inspections/<int:pk>/", views_selfchecks.selfcheck_detail, name="selfcheck_detail"),
    path("self-inspections/<int:pk>/edit/", views_selfchecks.selfcheck_edit, name="selfcheck_edit"),
    path("self-inspections/evidence/<int:pk>/download/", views_selfchecks.selfcheck_evidence_download,
         name="selfcheck_evidence_download"),
    path("self-inspections/evidence/<int:pk>/remove/", views_selfchecks.selfcheck_evidence_remove,
         name="selfcheck_evidence_remove"),
    path("cases/", views_cases.case_list, name="case_list"),
    path("cases/<int:pk>/", views_cases.case_detail, name="case_detail"),
    path("cases/documents/<int:pk>/", views_cases.document_download, name="case_document"),
    path("cases/documents/<int:pk>/acknowledge/", views_cases.document_acknowledge,
         name="case_document_acknowledge"),
]
