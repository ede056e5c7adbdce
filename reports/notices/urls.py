"""Notice, batch issuance and public verification pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/new/", views.notice_create, name="notice_create"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/edit/", views.notice_edit, name="notice_edit"),
    path("notices/<int:pk>/submit/", views.notice_submit, name="notice_submit"),
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
]
