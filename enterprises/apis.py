"""
Read-only JSON API of the enterprise registry (staff only). Querysets come
from selectors, which own the access scoping.
"""

from rest_framework import generics, serializers

from core.access import StaffOnly

from . import selectors
from .models import Enterprise


class EnterpriseOutputSerializer(serializers.ModelSerializer):
    roles = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Enterprise
        fields = ("id", "uscc", "name", "district", "roles", "risk_tier", "status")


class EnterpriseListApi(generics.ListAPIView):
    permission_classes = [StaffOnly]
    serializer_class = EnterpriseOutputSerializer

    def get_queryset(self):
        return selectors.enterprise_list(viewer=self.request.user, filters={})


class EnterpriseDetailApi(generics.RetrieveAPIView):
    permission_classes = [StaffOnly]
    serializer_class = EnterpriseOutputSerializer

    def get_object(self):
        return selectors.enterprise_get(viewer=self.request.user, pk=self.kwargs["pk"])
