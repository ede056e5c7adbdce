"""
`{% enterprise_timeline enterprise %}`: the enterprise's escalation steps,
notices, reports and extensions, for the registry page and the portal.
"""

from django import template

from ..selectors import enterprise_timeline as timeline_for

register = template.Library()


@register.inclusion_tag("rectification/_timeline.html", takes_context=True)
def enterprise_timeline(context, enterprise, limit: int = 40):
    request = context.get("request")
    viewer = getattr(request, "user", None) or context.get("user")
    entries = timeline_for(viewer=viewer, enterprise_id=enterprise.pk, limit=limit) if viewer else []
    return {"entries": entries, "enterprise": enterprise}
