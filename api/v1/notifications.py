"""The caller's own notifications (the same as the bell in the pages, and the e-mails)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from core.models import Notification
from core.notification_filters import NotificationFilter
from core.notifications import notification_list, notification_mark_all_read, notification_mark_read

from .base import V1APIView, V1ListView
from .schema import ERRORS, examples


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ("id", "kind", "subject", "body", "url", "created_at", "read_at")


@extend_schema(tags=["notifications"], responses={200: NotificationSerializer(many=True), **ERRORS},
               examples=examples("notification_list"))
class NotificationList(V1ListView):
    """
    The caller's notifications, newest first; the parameter is the
    notification page's: `?unread=true` for unread ones only (`false`: read ones).
    """

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    ordering_fields = ("id", "created_at")

    def get_queryset(self):
        return notification_list(viewer=self.request.user, filters=self.request.query_params)


@extend_schema(tags=["notifications"], request=None, responses={200: NotificationSerializer, **ERRORS},
               examples=examples("notification_read"))
class NotificationRead(V1APIView):
    """Mark one of the caller's notifications read."""

    def post(self, request, pk: int):
        notification = get_object_or_404(notification_list(viewer=request.user), pk=pk)
        notification = notification_mark_read(notification=notification)
        return Response(NotificationSerializer(notification).data)


@extend_schema(tags=["notifications"], request=None,
               responses={200: inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}),
                          **ERRORS},
               examples=examples("notifications_read_all"))
class NotificationReadAll(V1APIView):
    """Mark every unread notification of the caller read; return how many."""

    def post(self, request):
        return Response({"marked": notification_mark_all_read(user=request.user)})
