"""Publishing a campaign's results (staff) and the public results pages (no login)."""

from django.urls import path

from . import views

urlpatterns = [
    path("results/", views.public_results, name="public_results"),
    path("results/<int:campaign_pk>/", views.public_result_detail, name="public_result_detail"),
    path("campaign-reports/<int:campaign_pk>/publication/", views.campaign_publication,
         name="campaign_publication"),
    path("campaign-reports/<int:campaign_pk>/publication/publish/", views.campaign_publication_publish,
         name="campaign_publication_publish"),
    path("campaign-reports/<int:campaign_pk>/publication/withdraw/", views.campaign_publication_withdraw,
         name="campaign_publication_withdraw"),
]
