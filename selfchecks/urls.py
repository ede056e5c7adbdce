from django.urls import path

from . import views

app_name = "selfchecks"
urlpatterns = [
    path("", views.selfinspection_list, name="list"),
    path("launch/<int:campaign_pk>/", views.selfinspection_launch, name="launch"),
    path("<int:pk>/", views.selfinspection_detail, name="detail"),
    path("<int:pk>/remind/", views.selfinspection_remind, name="remind"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
]
