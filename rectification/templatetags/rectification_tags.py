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


@register.simple_tag(takes_context=True)
def portal_notices_section(context, user):
    """Render the notices engineer's `{% portal_notices user %}` once it exists."""
    from django.template import TemplateSyntaxError, engines

    try:
        tpl = engines["django"].from_string("{% load reports_portal %}{% portal_notices user %}")
    except (TemplateSyntaxError, ImportError):
        return ""
    return tpl.render({"user": user, "request": context.get("request")},
                      request=context.get("request"))
