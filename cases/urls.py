from django.urls import path

from . import views, views_evidence

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_propose, name="case_propose"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/step/<slug:step>/", views.case_step, name="case_step"),
    path("<int:pk>/prior-notice/", views.case_prior_notice, name="case_prior_notice"),
    path("<int:pk>/decide/", views.case_decide, name="case_decide"),
    path("<int:pk>/transfer/", views.case_transfer, name="case_transfer"),
    path("<int:pk>/performance/", views.case_perform, name="case_perform"),
    path("<int:pk>/records/new/", views.record_create, name="record_create"),
    path("<int:pk>/interview-notice/", views.interview_notice, name="interview_notice"),
    path("<int:pk>/hearing-notice/", views.hearing_notice, name="hearing_notice"),
    path("<int:pk>/recusal/", views.recusal_declare, name="recusal_declare"),
    path("records/<int:pk>/party/", views.record_party, name="record_party"),
    path("records/<int:pk>/confirm/", views.record_confirm, name="record_confirm"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("documents/<int:pk>/proof/", views.document_proof, name="document_proof"),
    path("documents/<int:pk>/serve/", views.document_serve, name="document_serve"),
    path("recusals/<int:pk>/decide/", views.recusal_decide, name="recusal_decide"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/evidence/", views_evidence.evidence_preserve, name="evidence_preserve"),
    path("<int:pk>/evidence/notice/", views_evidence.preservation_notice, name="preservation_notice"),
    path("<int:pk>/evidence/decision/", views_evidence.preservation_decision, name="preservation_decision"),
    path("evidence/<int:pk>/confirm/", views_evidence.evidence_confirm, name="evidence_confirm"),
]
