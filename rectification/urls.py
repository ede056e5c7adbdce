from django.urls import path

from . import views

app_name = "rectification"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("responses/<int:pk>/decide/", views.response_decide, name="response_decide"),
    path("responses/<int:pk>/reverify/", views.response_reverify, name="response_reverify"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
    path("extensions/", views.extension_list, name="extension_list"),
    path("extensions/<int:pk>/", views.extension_detail, name="extension_detail"),
    path("escalations/", views.escalation_list, name="escalation_list"),
    path("escalations/new/", views.escalation_create, name="escalation_create"),
    path("escalations/<int:pk>/", views.escalation_detail, name="escalation_detail"),
    path("escalations/<int:pk>/minutes/", views.escalation_minutes, name="escalation_minutes"),
    path("findings/<int:pk>/", views.finding_rectification, name="finding"),
]
