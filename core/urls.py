from django.urls import path

from . import views, views_audit, views_exports, views_notifications

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views_notifications.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views_notifications.notification_read,
         name="notification_read"),
    path("notifications/read-all/", views_notifications.notifications_read_all,
         name="notifications_read_all"),
    path("audit/", views_audit.audit_list, name="audit_list"),
    path("audit/export.csv", views_audit.audit_export, name="audit_export"),
    path("exports/", views_exports.export_jobs, name="export_jobs"),
    path("exports/<int:pk>/", views_exports.export_job, name="export_job"),
    path("exports/<int:pk>/download/", views_exports.export_job_download,
         name="export_job_download"),
]
