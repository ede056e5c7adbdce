from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:campaign_pk>/plans/new/", views.plan_create, name="plan_create"),
    path("campaigns/<int:campaign_pk>/targeted/new/", views.targeted_create, name="targeted_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/delete/", views.plan_delete, name="plan_delete"),
    path("plans/<int:pk>/draw/", views.plan_draw, name="plan_draw"),
    path("plans/<int:pk>/verify/", views.plan_verify, name="plan_verify"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("list/", views.inspection_list, name="inspection_list"),
    path("<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("<int:pk>/status/", views.inspection_transition, name="inspection_transition"),
    path("<int:pk>/items/new/", views.item_create, name="item_create"),
    path("<int:pk>/findings/new/", views.finding_create, name="finding_create"),
    path("<int:pk>/labels/recheck/", views.inspection_labels_recheck,
         name="inspection_labels_recheck"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/<str:kind>/download/", views.item_file, name="item_file"),
    path("items/<int:pk>/explicit/<int:evidence_id>/", views.item_explicit_evidence,
         name="item_explicit_evidence"),
    path("items/<int:pk>/labels/recheck/", views.item_labels_recheck, name="item_labels_recheck"),
    path("checks/<int:pk>/finding/", views.check_finding_create, name="check_finding_create"),
    path("findings/", views.finding_list, name="finding_list"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/deadline/", views.finding_deadline, name="finding_deadline"),
    path("findings/<int:pk>/status/", views.finding_transition, name="finding_transition"),
    path("calendar/", views.calendar_view, name="calendar"),
]
