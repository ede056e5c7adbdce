"""Findings and inspections exports."""

from django.urls import path

from . import views

urlpatterns = [
    path("exports/findings.<str:fmt>", views.export_findings, name="export_findings"),
    path("exports/inspections.<str:fmt>", views.export_inspections, name="export_inspections"),
]
