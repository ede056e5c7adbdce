from django.urls import path

from . import apis

app_name = "enterprises-api"
urlpatterns = [
    path("enterprises/", apis.EnterpriseListApi.as_view(), name="list"),
    path("enterprises/<int:pk>/", apis.EnterpriseDetailApi.as_view(), name="detail"),
]
