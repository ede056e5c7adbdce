"""Campaign report pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("campaign-reports/", views.campaign_report_index, name="campaign_report_index"),
    path("campaign-reports/<int:campaign_pk>/report.pdf", views.campaign_report, name="campaign_report"),
]
