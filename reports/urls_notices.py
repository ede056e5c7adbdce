"""Notice, bulletin, verification, campaign report and export pages (issue 6)."""

from django.urls import path

from .views import notices as views
from .views import publication

urlpatterns = [
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/new/", views.notice_create, name="notice_create"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/edit/", views.notice_edit, name="notice_edit"),
    path("notices/<int:pk>/approve/", views.notice_approve, name="notice_approve"),
    path("notices/<int:pk>/return/", views.notice_return, name="notice_return"),
    path("notices/<int:pk>/issue/", views.notice_issue, name="notice_issue"),
    path("notices/<int:pk>/serve/", views.notice_serve, name="notice_serve"),
    path("notices/<int:pk>/preview.pdf", views.notice_preview, name="notice_preview"),
    path("notices/<int:pk>/pdf/", views.notice_pdf, name="notice_pdf"),
    path("notices/<int:pk>/proof/", views.notice_proof, name="notice_proof"),
    path("notices/<int:pk>/acknowledge/", views.notice_acknowledge, name="notice_acknowledge"),
    path("notices/campaign/<int:campaign_pk>/batch/", views.notice_batch, name="notice_batch"),
    path("notices/batch/<int:pk>/status/", views.notice_batch_status, name="notice_batch_status"),
    path("notices/batch/<int:pk>/resume/", views.notice_batch_resume, name="notice_batch_resume"),
    path("verify/", views.verify, name="verify"),
    path("results/", publication.public_results, name="public_results"),
    path("results/<int:campaign_pk>/", publication.public_result_detail, name="public_result_detail"),
    path("campaign-reports/<int:campaign_pk>/publication/", publication.campaign_publication,
         name="campaign_publication"),
    path("campaign-reports/<int:campaign_pk>/publication/publish/", publication.campaign_publication_publish,
         name="campaign_publication_publish"),
    path("campaign-reports/<int:campaign_pk>/publication/withdraw/", publication.campaign_publication_withdraw,
         name="campaign_publication_withdraw"),
    path("bulletins/", views.bulletin_list, name="bulletin_list"),
    path("bulletins/new/", views.bulletin_create, name="bulletin_create"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/issue/", views.bulletin_issue, name="bulletin_issue"),
    path("bulletins/<int:pk>/pdf/", views.bulletin_pdf, name="bulletin_pdf"),
    path("campaign-reports/", views.campaign_report_index, name="campaign_report_index"),
    path("campaign-reports/<int:campaign_pk>/report.pdf", views.campaign_report, name="campaign_report"),
    path("exports/findings.<str:fmt>", views.export_findings, name="export_findings"),
    path("exports/inspections.<str:fmt>", views.export_inspections, name="export_inspections"),
]
