from django.urls import path

from . import apis

app_name = "inspections-api"
urlpatterns = [
    path("findings/", apis.FindingListApi.as_view(), name="finding-list"),
    path("findings/<int:pk>/", apis.FindingDetailApi.as_view(), name="finding-detail"),
    path("label-check/", apis.LabelCheckApi.as_view(), name="label-check"),
]
