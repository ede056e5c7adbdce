"""Template tags other apps' pages use to show inspections data."""

from django import template

from core.access import is_staff_user

from .. import selectors

register = template.Library()


@register.inclusion_tag("inspections/_enterprise_history_body.html", takes_context=True)
def enterprise_history(context, enterprise):
    """The inspection and finding history of an enterprise, for staff only."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not is_staff_user(user):
        return {"visible": False}
    return {"visible": True, "history": selectors.enterprise_history(viewer=user, enterprise=enterprise)}
