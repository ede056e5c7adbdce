from django.urls import path

from core.lazyviews import lazy_view

app_name = "inspections-api"
urlpatterns = [
    path("findings/", lazy_view("inspections.apis.FindingListApi"), name="finding-list"),
    path(
        "findings/<int:pk>/", lazy_view("inspections.apis.FindingDetailApi"), name="finding-detail"
    ),
    path("label-check/", lazy_view("inspections.apis.LabelCheckApi"), name="label-check"),
]
