"""`{% portal_notices user %}`: the enterprise's notices and bulletins on the portal home."""

from django import template

from legal.models import CONSENT_STATEMENT

from ..bulletins.selectors import bulletin_list
from ..notices.models import NoticeStatus
from ..notices.selectors import notice_list

register = template.Library()


@register.inclusion_tag("reports/notices/_portal.html", takes_context=True)
def portal_notices(context, user):
    notices = list(notice_list(viewer=user)[:50]) if user.is_authenticated else []
    bulletins = []
    if user.is_authenticated and user.enterprise_id:
        bulletins = list(
            bulletin_list(viewer=user).prefetch_related("recipients")
            .order_by("-issued_at")[:20]
        )
        for bulletin in bulletins:
            bulletin.receipt = next(
                (r for r in bulletin.recipients.all() if r.enterprise_id == user.enterprise_id), None
            )
    consent = None
    if user.is_authenticated and user.enterprise_id:
        from legal.services import consent_in_force

        consent = consent_in_force(enterprise_id=user.enterprise_id)
    return {
        "notices": notices, "bulletins": bulletins, "ISSUED": NoticeStatus.ISSUED, "consent": consent,
        "consent_statement": CONSENT_STATEMENT,
        "csrf_token": context.get("csrf_token"), "request": context.get("request"),
    }
