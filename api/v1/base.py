"""
What every v1 endpoint shares: token or session authentication, the token's
scope, per-token rate limits, the one error shape, the request's language,
cursor pagination and the filter and ordering backends.
"""

from django.utils import translation
from django.utils.translation import trans_real
from rest_framework import generics
from rest_framework.authentication import SessionAuthentication
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.views import APIView

from core.access import is_staff_user
from core.api_filters import SelectorFilterBackend

from ..authentication import TokenAuthentication, TokenScopePermission
from ..throttling import TokenRateThrottle
from .errors import v1_exception_handler


def language_from_header(header: str) -> str | None:
    """The first supported language of an Accept-Language header, or None."""
    for code, _quality in trans_real.parse_accept_lang_header(header[:500]):
        if code == "*":
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


class Cursor(CursorPagination):
    """Stable pages over large, changing lists: `?cursor=…` from `next`/`previous`."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"


class V1Mixin:
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated, TokenScopePermission]
    throttle_classes = [TokenRateThrottle]

    def get_exception_handler(self):
        return v1_exception_handler

    def initial(self, request, *args, **kwargs):
        # An explicit Accept-Language wins over the account's preferred
        # language (which the page middleware applies to sessions).
        header = request.META.get("HTTP_ACCEPT_LANGUAGE")
        language = language_from_header(header) if header else None
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)


class V1APIView(V1Mixin, APIView):
    pass


class V1ListView(V1Mixin, generics.ListAPIView):
    pagination_class = Cursor
    # Every list's selector applies its FilterSet, the one its page uses;
    # the backend only puts that FilterSet's parameters in the schema.
    filter_backends = [SelectorFilterBackend, OrderingFilter]
    ordering = ("-id",)


class V1RetrieveView(V1Mixin, generics.RetrieveAPIView):
    pass


class StaffOnlyPermission(IsAuthenticated):
    """Staff endpoints: an enterprise user gets 404, as on the pages."""

    def has_permission(self, request, view) -> bool:
        from rest_framework.exceptions import NotFound

        if not super().has_permission(request, view):
            return False
        if not is_staff_user(request.user):
            raise NotFound
        return True


class EnterpriseOnlyPermission(IsAuthenticated):
    """Portal actions (acknowledge, report, extension): staff get 404, as on the pages."""

    def has_permission(self, request, view) -> bool:
        from rest_framework.exceptions import NotFound

        if not super().has_permission(request, view):
            return False
        if request.user.role != "enterprise" or not request.user.enterprise_id:
            raise NotFound
        return True


STAFF: list[type[BasePermission]] = [StaffOnlyPermission, TokenScopePermission]
ENTERPRISE = [EnterpriseOnlyPermission, TokenScopePermission]
