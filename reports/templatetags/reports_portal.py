"""`{% portal_notices user %}`: the enterprise's notices and bulletins on the portal home."""

from django import template
from django.db.models import Prefetch

from legal.models import CONSENT_STATEMENT

from ..bulletins.models import BulletinRecipient
from ..bulletins.selectors import bulletin_list
from ..notices.models import NoticeStatus
from ..notices.selectors import notice_list

register = template.Library()


@register.inclusion_tag("reports/notices/_portal.html", takes_context=True)
def portal_notices(context, user):
    # What the tables show, not the notices' text nor the people behind them.
    notices = list(
        notice_list(viewer=user).select_related(None)
        .only("number", "issue_date", "status", "deadline", "deadline_at", "served_at")[:50]
    ) if user.is_authenticated else []
    bulletins = []
    if user.is_authenticated and user.enterprise_id:
        # The enterprise's own receipt of each, not every recipient's (a
        # bulletin goes to every enterprise of its campaign: thousands).
        own = Prefetch("recipients", to_attr="own_receipts",
                       queryset=BulletinRecipient.objects.filter(enterprise_id=user.enterprise_id))
        bulletins = list(
            bulletin_list(viewer=user).select_related(None).only("title", "issue_date")
            .prefetch_related(own).order_by("-issued_at")[:20]
        )
        for bulletin in bulletins:
            bulletin.receipt = bulletin.own_receipts[0] if bulletin.own_receipts else None
    consent = None
    if user.is_authenticated and user.enterprise_id:
        from legal.services import consent_in_force

        consent = consent_in_force(enterprise_id=user.enterprise_id)
    return {
        "notices": notices, "bulletins": bulletins, "ISSUED": NoticeStatus.ISSUED, "consent": consent,
        "consent_statement": CONSENT_STATEMENT,
        "csrf_token": context.get("csrf_token"), "request": context.get("request"),
    }
