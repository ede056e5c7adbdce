from django.urls import path

from . import views

urlpatterns = [
    path("analytics/", views.analytics_index, name="analytics_index"),
    path("analytics/refresh/", views.analytics_refresh, name="analytics_refresh"),
    path("analytics/drill/", views.analytics_drill, name="analytics_drill"),
    path("analytics/enterprise/<int:pk>/", views.analytics_scorecard, name="analytics_scorecard"),
    path("analytics/enterprise/<int:pk>/export.<str:fmt>", views.analytics_scorecard_export,
         name="analytics_scorecard_export"),
    path("analytics/<slug:slug>/", views.analytics_dashboard, name="analytics_dashboard"),
    path("analytics/<slug:slug>/export.<str:fmt>", views.analytics_export, name="analytics_export"),
]
