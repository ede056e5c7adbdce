from django.urls import path

from core.lazyviews import lazy_view

app_name = "enterprises-api"
urlpatterns = [
    path("enterprises/", lazy_view("enterprises.apis.EnterpriseListApi"), name="list"),
    path("enterprises/<int:pk>/", lazy_view("enterprises.apis.EnterpriseDetailApi"), name="detail"),
]
