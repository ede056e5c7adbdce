from django.urls import path

from . import views

app_name = "tipoffs"
urlpatterns = [
    path("report/", views.report, name="report"),
    path("report/submitted/", views.submitted, name="submitted"),
    path("track/", views.track, name="track"),
    path("", views.tipoff_list, name="list"),
    path("statistics/", views.tipoff_stats, name="stats"),
    path("<int:pk>/", views.tipoff_detail, name="detail"),
    path("<int:pk>/decide/", views.tipoff_decide, name="decide"),
    path("<int:pk>/assign/", views.tipoff_assign, name="assign"),
    path("<int:pk>/link/", views.tipoff_link, name="link"),
    path("<int:pk>/merge/", views.tipoff_merge, name="merge"),
    path("<int:pk>/convert/inspection/", views.tipoff_convert_inspection, name="convert_inspection"),
    path("<int:pk>/convert/finding/", views.tipoff_convert_finding, name="convert_finding"),
]
